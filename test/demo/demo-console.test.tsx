/**
 * The real demo (headless), seen as a user would: its fleet is in the state it says (no drift, every
 * verify received, both halves), the fleet screen's first frame already has the data, and a second
 * terminal reaches the same demo with what it printed — through the real executable.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../commands/demo.js';
import type { ConsoleRuntime } from '../../src/console/adapters/runtime.js';
import { openDemoConsole } from '../../src/demo/console.js';
import { demoAccessLines, type Demo } from '../../src/demo/demo.js';
import { SettingsSchema } from '../../src/settings.js';
import { ConsoleApp } from '../../views/ConsoleApp.js';
import { waitFor } from '../views/wait.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const DEVICES = 4;

type Seen = {
  demo: Demo;
  firstFrame: string;
  fleet: ConsoleRuntime['store'] extends { getState(): infer S } ? S : never;
  verify: ReturnType<ConsoleRuntime['store']['getState']>['verify'];
  secondTerminal: { devices: { serial: string; hostname: string }[]; stats: { summary: { total: number; ok: number } } };
  tokenFileMode: number;
  tokenFileText: string;
};

/** The shell a second terminal runs: source the demo's env file, then the real executable. */
async function secondTerminal(envFile: string, command: string): Promise<string> {
  const env = { ...process.env };
  delete env['CALLHOME_TOKEN'];
  delete env['CALLHOME_BACKEND'];
  const { stdout } = await run('bash', ['-c', `source "$1" && ${command}`, 'second-terminal', envFile], { cwd: root, env: { ...env, CALLHOME_CONFIG_DIR: join(envFile, '..', 'settings') } });
  return stdout;
}

describe('callhome demo: the state it shows is the state it is in', () => {
  it('no drift and every verify received on both halves; the fleet screen has its data on the first frame; a second terminal reaches it', async () => {
    const lines: string[] = [];
    const stdout = Object.assign(new Writable({ write(c: Buffer, _e, cb) { lines.push(...c.toString().split('\n').filter(Boolean)); cb(); } }), { isTTY: false });
    let seen: Seen | undefined;
    await runDemo(
      { devices: DEVICES, json: true },
      {
        stdout,
        until: async (demo) => {
          const settings = SettingsSchema.parse({});
          const session = await openDemoConsole(demo, settings, { screen: 'fleet' });
          try {
            const ui = render(<ConsoleApp store={session.store} intents={session.intents} banner={demoAccessLines(demo)} />);
            const firstFrame = ui.frames[0] ?? '';
            ui.unmount();
            const fleet = session.store.getState();
            session.intents.selectAll();
            session.intents.verify();
            await waitFor(() => session.store.getState().verify.length === DEVICES, () => JSON.stringify(session.store.getState().verify), 60_000);
            const verify = session.store.getState().verify;
            const devices = JSON.parse(await secondTerminal(demo.envFile, 'node bin/callhome.js devices --json')) as Seen['secondTerminal']['devices'] extends infer D ? { devices: D } : never;
            const stats = JSON.parse(await secondTerminal(demo.envFile, 'node bin/callhome.js stats --inventory "$CALLHOME_DEMO_INVENTORY" --known-hosts "$CALLHOME_DEMO_KNOWN_HOSTS" --json')) as Seen['secondTerminal']['stats'];
            seen = {
              demo,
              firstFrame,
              fleet,
              verify,
              secondTerminal: { devices: devices.devices, stats },
              tokenFileMode: statSync(demo.tokenFile).mode & 0o777,
              tokenFileText: readFileSync(demo.tokenFile, 'utf8'),
            };
          } finally {
            session.close();
          }
        },
      },
    );
    expect(seen).toBeDefined();
    if (seen === undefined) return;
    const { demo, firstFrame, fleet, verify } = seen;

    // Both halves were configured, and each host is compared with what the demo pushed to it.
    expect(demo.pushResults.map((r) => r.ok)).toEqual(Array(DEVICES).fill(true));
    for (const h of fleet.fleet) {
      expect(h.reachable, h.name).toBe(true);
      expect(h.results.profiles?.ok, `${h.name}: ${JSON.stringify(h.results.profiles?.error)}`).toBe(true);
      expect(h.drift, h.name).toEqual([]);
    }
    // Every verify ends received: HTTP for the first half, e-mail through the back end's SMTP for the rest.
    expect(verify.map((v) => [v.host, v.configured, v.sent, v.received, v.brokenAt])).toEqual(fleet.fleet.map((h) => [h.name, true, true, true, null]));

    // The first frame of the fleet screen: every host up, in sync, service on; the banner says how to reach the demo.
    const rows = firstFrame.split('\n').filter((l) => /^\s*>?\s*r\d+\s/.test(l));
    expect(rows).toHaveLength(DEVICES);
    for (const row of rows) {
      expect(row).toMatch(/\bup\b/);
      expect(row).toMatch(/\bon\b/);
      expect(row).toMatch(/in sync/);
      expect(row).not.toMatch(/\s\?\s/);
    }
    expect(firstFrame).toContain(demo.backend.url);
    expect(firstFrame).toContain('token in');
    expect(firstFrame).toContain('env.sh');

    // The token is in a file only its owner reads; stdout names the file and never holds the token.
    expect(seen.tokenFileMode).toBe(0o600);
    expect(seen.tokenFileText.trim()).toBe(demo.token);
    expect(lines.join('\n')).not.toContain(demo.token);
    const json = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const ready = json.find((j) => j['event'] === 'ready');
    expect(ready).toEqual({
      event: 'ready',
      url: demo.backend.url,
      tokenFile: demo.tokenFile,
      envFile: demo.envFile,
      inventory: demo.inventoryFile,
      knownHosts: demo.knownHostsFile,
      // How to log in as each demo user: files, never a password (accounts-cli, issue 15).
      users: demo.accounts.map((a) => ({ user: a.user, company: a.company, role: 'administrator', passwordFile: a.passwordFile, envFile: a.envFile })),
    });
    expect(demo.accounts.map((a) => a.company)).toEqual(['acme', 'globex']);
    expect(json.at(-1)).toMatchObject({ event: 'stopped', url: demo.backend.url });

    // A second terminal, with only what the demo printed, sees the same back end and the same fleet.
    expect(seen.secondTerminal.devices.map((d) => d.hostname).sort()).toEqual(['R1', 'R2', 'R3', 'R4']);
    expect(seen.secondTerminal.stats.summary).toMatchObject({ total: DEVICES, ok: DEVICES });
  }, 180_000);
});
