/**
 * The demo's people (issue 15): two companies, each with half the lab's devices under its contracts, and
 * one Administrator per company. Their passwords are random, written to 0600 files in the demo's
 * directory (never printed); each user gets an env file that points a second terminal at the demo with
 * its own settings directory, so logging in there never touches the person's own login.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiClient } from '../client/api-client.js';

/** The demo's companies, in the order the lab's devices are split between them. */
export const DEMO_COMPANIES = [
  { id: 'acme', name: 'Acme Corp' },
  { id: 'globex', name: 'Globex' },
] as const;

/** One user per company, each Administrator of it. */
export const DEMO_USERS = [
  { id: 'alice', name: 'Alice Acme', email: 'alice@acme.example', company: 'acme' },
  { id: 'bob', name: 'Bob Globex', email: 'bob@globex.example', company: 'globex' },
] as const;

/** A demo user as the demo prints it: where the password and the env file are, never the password. */
export type DemoAccount = {
  readonly user: string;
  readonly name: string;
  readonly company: string;
  readonly role: 'administrator';
  readonly passwordFile: string;
  /** `source` it, then `callhome login USER --password-file FILE`. */
  readonly envFile: string;
};

/** The company of the lab device at `index` of `count`: the first half Acme (HTTP), the rest Globex (e-mail). */
export function demoCompanyOf(index: number, count: number): string {
  return index < Math.ceil(count / 2) ? DEMO_COMPANIES[0].id : DEMO_COMPANIES[1].id;
}

/** `text` as one POSIX shell word. */
const shellWord = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Creates the companies and users in the back end's simulated CCO directory (with the bootstrap token,
 * an SCH administrator) and writes each user's password file and env file under `dir`.
 * `contractsOf(company)` lists the company's contract numbers: they go into the user's CCO profile (S28).
 */
export async function createDemoAccounts(api: ApiClient, dir: string, backendUrl: string, contractsOf: (company: string) => readonly string[]): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  const users = DEMO_USERS.map((u) => {
    const password = randomBytes(12).toString('base64url');
    const passwordFile = join(dir, `${u.id}.password`);
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    const settingsDir = join(dir, `settings-${u.id}`);
    mkdirSync(settingsDir, { recursive: true, mode: 0o700 });
    const envFile = join(dir, `${u.id}.env.sh`);
    writeFileSync(
      envFile,
      [
        `# callhome demo: \`source\` this file to act as ${u.id} (${u.name}) against the running demo.`,
        `export CALLHOME_BACKEND=${shellWord(backendUrl)}`,
        // Its own settings directory: the login stored there is the demo's, not this person's.
        `export CALLHOME_CONFIG_DIR=${shellWord(settingsDir)}`,
        `export CALLHOME_USER=${shellWord(u.id)}`,
        // The demo's bootstrap token (env.sh) would win over the login: not in this shell.
        'unset CALLHOME_TOKEN',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    accounts.push({ user: u.id, name: u.name, company: u.company, role: 'administrator', passwordFile, envFile });
    return { id: u.id, name: u.name, email: u.email, password, contracts: [...contractsOf(u.company)], profileCompany: u.company, companies: { [u.company]: 'administrator' as const } };
  });
  await api.importDirectory({ companies: DEMO_COMPANIES, users });
  return accounts;
}

/** How to log in as each demo user from a second terminal (the password stays in its file). */
export function demoLoginLines(accounts: readonly DemoAccount[]): string[] {
  return accounts.map((a) => `as ${a.user} (Administrator of ${a.company}): source ${a.envFile} && callhome login ${a.user} --password-file ${a.passwordFile}`);
}
