/**
 * `callhome demo`: a lab fleet and a back end on temporary state, the devices pointed at the back
 * end (HTTP for half, e-mail through the back end's SMTP listener for the rest), a few events raised.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushPlanner } from '../fleet/push-planner.js';
import { createApiClient } from '../client/api-client.js';
import { startBackend, type Backend } from '../backend/server.js';
import { DDCE_SERVICE_PATH } from '../domain/callhome.js';
import type { DesiredConfig } from '../fleet/desired.js';
import type { FleetResult, PushData } from '../domain/fleet.js';
import { openFleet } from '../fleet/open-fleet.js';
import { pushTask } from '../fleet/push.js';
import { collectFleet } from '../fleet/runner.js';
import { startLab, type Lab } from '../lab/devices.js';
import type { LabEvent } from '../lab/types.js';
import { startDemoGateway, type DemoGateway } from './gateway.js';
import { confirmDemoRegistrations, demoContractNumber, importDemoContracts } from './registrations.js';
import { createDemoAccounts, demoCompanyOf, demoLoginLines, type DemoAccount } from './accounts.js';

export type DemoOptions = {
  readonly devices: number;
  /** Progress lines ("lab: 20 devices listening"). */
  readonly onProgress?: (line: string) => void;
  /** Raise one more event on a random device this often so the console stays lively; 0 = never (default 4000). */
  readonly tickMs?: number;
  /** Put a Transport Gateway between the HTTP half of the lab and the back end (issue 17). */
  readonly gateway?: boolean;
};

export type Demo = {
  readonly backend: Backend;
  readonly lab: Lab;
  readonly token: string;
  /** Temporary directory (mode 0700) holding everything below; removed by close(). */
  readonly dir: string;
  /** The API token, alone in a file only its owner can read: printed instead of the token. */
  readonly tokenFile: string;
  /** `source` it in a second terminal: CALLHOME_BACKEND, CALLHOME_TOKEN (read from tokenFile) and the file paths. */
  readonly envFile: string;
  readonly inventoryFile: string;
  readonly knownHostsFile: string;
  /** The configuration pushed to the HTTP half. */
  readonly httpDesired: DesiredConfig;
  /** The configuration the demo pushed to each host (by inventory name): verify and drift compare against it. */
  readonly desiredFor: (host: string) => DesiredConfig | undefined;
  readonly pushResults: readonly FleetResult<PushData>[];
  /** The two demo users, one Administrator per company (accounts-cli, issue 15). */
  readonly accounts: readonly DemoAccount[];
  /** With --gateway: the Transport Gateway the HTTP half posts to. */
  readonly gateway?: DemoGateway;
  close(): Promise<void>;
};

const BASE: DesiredConfig = {
  service: true,
  contactEmail: 'noc@example.com',
  phoneNumber: '+1-408-555-1234',
  streetAddress: '1 Main Street, Springfield',
  customerId: 'DemoCorp',
  siteId: 'SITE-1',
  contractId: 'C123456',
};

/** The desired configuration of each half of the demo fleet. */
export function demoDesired(backendUrl: string): { http: DesiredConfig; email: DesiredConfig } {
  const subscriptions = {
    syslog: { severity: 'major', pattern: '.*' },
    diagnostic: { severity: 'minor' },
    environment: { severity: 'minor' },
    crash: {},
    inventory: {},
    configuration: {},
  } as const;
  return {
    http: { ...BASE, profiles: { 'demo-http': { active: true, transport: ['http'], http: [`${backendUrl}${DDCE_SERVICE_PATH}`], format: 'xml', subscriptions } } },
    email: {
      ...BASE,
      senderFrom: 'router@example.com',
      mailServers: [{ address: '127.0.0.1', priority: 1 }],
      profiles: { 'demo-mail': { active: true, transport: ['email'], email: ['callhome@demo.example.com'], format: 'xml', subscriptions } },
    },
  };
}

/** The events the demo raises, in order. */
export const DEMO_EVENTS: readonly LabEvent[] = [
  { kind: 'syslog', facility: 'LINK', syslogLevel: 2, mnemonic: 'UPDOWN', text: 'Interface GigabitEthernet1, changed state to down' },
  { kind: 'environment', severity: 5, eventName: 'TEMP_WARN', description: 'Inlet temperature 52C exceeds the major threshold' },
  { kind: 'diagnostic', severity: 4, eventName: 'DIAG_FAIL', description: 'TestLoopback failed on slot 0' },
  { kind: 'crash', eventName: 'TRACEBACK', description: 'Traceback in process IP Input' },
];

/** Starts everything; `close()` stops it and removes the temporary state. */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const say = options.onProgress ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'callhome-demo-'));
  const token = randomBytes(18).toString('base64url');
  const cleanups: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const backend = await startBackend({ dbPath: join(dir, 'callhome.db'), httpPort: 0, smtpPort: 0, token });
    cleanups.push(() => backend.close());
    say(`back end: ${backend.url} (SMTP on ${backend.smtpPort ?? '-'}), database ${join(dir, 'callhome.db')}`);
    const gateway = options.gateway === true ? await startDemoGateway(backend.url, token, dir, demoCompanyOf(0, options.devices)) : undefined;
    if (gateway) {
      cleanups.push(() => gateway.gateway.close());
      say(`gateway: ${gateway.name} on ${gateway.url} forwards the HTTP half to the back end (queue ${gateway.queueDir})`);
    }
    const lab = await startLab({ devices: options.devices, port: 0, stateDir: join(dir, 'lab'), smtpPort: backend.smtpPort ?? 25 });
    cleanups.push(() => lab.close());
    const inventoryFile = join(dir, 'inventory.yaml');
    const knownHostsFile = join(dir, 'known_hosts');
    await lab.writeInventory(inventoryFile);
    await lab.writeKnownHosts(knownHostsFile);
    say(`lab: ${lab.devices.length} devices listening (inventory ${inventoryFile})`);
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const envFile = join(dir, 'env.sh');
    writeFileSync(envFile, envScript({ url: backend.url, tokenFile, inventoryFile, knownHostsFile }), { mode: 0o600 });

    const fleet = openFleet({
      inventoryFile,
      knownHostsFile,
      settings: { concurrency: 20, timeout: 30, connectTimeout: 10, connectAttempts: 3, knownHosts: undefined },
      env: {},
      sshConfigPath: null,
    });
    const { inventory } = fleet;
    const desired = demoDesired(gateway?.url ?? backend.url);
    const half = Math.ceil(inventory.hosts.length / 2);
    const desiredByHost = new Map(inventory.hosts.map((h, i) => [h.name, i < half ? desired.http : desired.email]));
    const push = (d: DesiredConfig, hosts: typeof inventory.hosts) => collectFleet(fleet.run(pushTask(d, pushPlanner, { dryRun: false, save: true, prune: false }), hosts));
    const [h, e] = await Promise.all([push(desired.http, inventory.hosts.slice(0, half)), push(desired.email, inventory.hosts.slice(half))]);
    const pushResults = [...h.results, ...e.results];
    const failed = pushResults.filter((r) => !r.ok);
    say(`push: ${pushResults.length - failed.length}/${pushResults.length} devices configured (HTTP: ${half}, e-mail: ${inventory.hosts.length - half})`);
    for (const f of failed) say(`push failed on ${f.host}: ${f.error?.kind}: ${f.error?.message}`);

    lab.devices.forEach((d, i) => {
      const event = DEMO_EVENTS[i % DEMO_EVENTS.length];
      if (event !== undefined) d.device.raise(event);
    });
    say(`events: raised ${lab.devices.length} (syslog, environment, diagnostic, crash)`);
    const api = createApiClient({ url: backend.url, token });
    const leave = leaveFor(lab);
    const uncovered = lab.devices.length - leave - 1;
    const companyOf = (i: number): string => demoCompanyOf(i, lab.devices.length);
    const contractsOf = (company: string): string[] => lab.devices.flatMap((_, i) => (companyOf(i) === company && demoContractNumber(i, uncovered) !== '' ? [demoContractNumber(i, uncovered)] : []));
    const accounts = await createDemoAccounts(api, dir, backend.url, contractsOf);
    say(`accounts: companies ${accounts.map((a) => a.company).join(' and ')}, one Administrator each (${accounts.map((a) => a.user).join(', ')})`);
    registerInBackground(api, lab, say, cleanups, companyOf);
    const tickMs = options.tickMs ?? 4000;
    if (tickMs > 0) {
      let n = 0;
      const timer = setInterval(() => {
        n++;
        const d = lab.devices[Math.floor(Math.random() * lab.devices.length)];
        const event = DEMO_EVENTS[n % DEMO_EVENTS.length];
        if (d !== undefined && event !== undefined) d.device.raise(event);
      }, tickMs);
      timer.unref();
      cleanups.push(async () => clearInterval(timer));
    }
    return {
      backend,
      lab,
      token,
      dir,
      tokenFile,
      envFile,
      inventoryFile,
      knownHostsFile,
      httpDesired: desired.http,
      desiredFor: (host) => desiredByHost.get(host),
      pushResults,
      accounts,
      ...(gateway ? { gateway } : {}),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `text` as one POSIX shell word. */
const shellWord = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The script a second terminal sources to reach this demo; the token is read from its file, never written here. */
function envScript(files: { url: string; tokenFile: string; inventoryFile: string; knownHostsFile: string }): string {
  return [
    '# callhome demo: `source` this file, then run any callhome command against the running demo.',
    `export CALLHOME_BACKEND=${shellWord(files.url)}`,
    `export CALLHOME_TOKEN="$(cat ${shellWord(files.tokenFile)})"`,
    `export CALLHOME_DEMO_INVENTORY=${shellWord(files.inventoryFile)}`,
    `export CALLHOME_DEMO_KNOWN_HOSTS=${shellWord(files.knownHostsFile)}`,
    '',
  ].join('\n');
}

/**
 * What a second terminal needs to use the running demo: the back-end URL, where the token is (its file,
 * not the secret: a token printed on the terminal stays in scrollback, logs and screen recordings), the
 * lab inventory and known_hosts, and the lines to paste.
 */
export function demoAccessLines(demo: Pick<Demo, 'backend' | 'tokenFile' | 'envFile' | 'inventoryFile' | 'knownHostsFile'> & Partial<Pick<Demo, 'accounts' | 'gateway'>>): string[] {
  return [
    `back end ${demo.backend.url}   token in ${demo.tokenFile} (SCH administrator: every company)`,
    `inventory ${demo.inventoryFile}   known_hosts ${demo.knownHostsFile}`,
    `second terminal: source ${demo.envFile}`,
    ...demoLoginLines(demo.accounts ?? []),
    ...(demo.gateway ? demoGatewayLines(demo.gateway) : []),
  ];
}

/** How to see the demo's gateway: the console's mail screen, its queue and logs, the stream. */
function demoGatewayLines(g: DemoGateway): string[] {
  return [
    `gateway ${g.name} on ${g.url} (HTTP half → gateway → back end): console screen 3 (mail) shows its row`,
    `  callhome gateway held --queue-dir ${g.queueDir}   ·   callhome gateway logs --queue-dir ${g.queueDir}`,
    `  callhome gateway list   ·   callhome events --type gateway.status`,
  ];
}

/** Commands to try once the env file is sourced. */
export function demoExampleLines(): string[] {
  return ['callhome devices', 'callhome stats --inventory "$CALLHOME_DEMO_INVENTORY" --known-hosts "$CALLHOME_DEMO_KNOWN_HOSTS"', 'callhome users   (after logging in as alice or bob: only that company)'];
}

/** Devices left pending so the console's Registration screen has something to confirm. */
const LEAVE_PENDING = 2;

/** How many devices stay pending in a lab of this size. */
const leaveFor = (lab: Lab): number => (lab.devices.length > LEAVE_PENDING + 1 ? LEAVE_PENDING : 0);

/**
 * Confirms registrations once the first messages have made the devices pending (their messages are
 * then processed, so cases open), retrying every second for a while because mail arrives later.
 */
function registerInBackground(api: ReturnType<typeof createApiClient>, lab: Lab, say: (line: string) => void, cleanups: (() => Promise<void>)[], companyOf: (index: number) => string): void {
  const leave = leaveFor(lab);
  const wanted = lab.devices.length - leave;
  let confirmed = 0;
  let tries = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const round = tries === 0 ? importDemoContracts(api, lab, wanted - 1, companyOf) : Promise.resolve();
    round
      .then(() => confirmDemoRegistrations(api, lab, leave))
      .then((serials) => {
        confirmed += serials.length;
        if (serials.length > 0) say(`registration: confirmed ${serials.length} device(s) with their tokens; ${leave} left pending for the console`);
      })
      .catch((error: unknown) => say(`registration: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        busy = false;
        tries++;
        if (confirmed >= wanted || tries >= 30) clearInterval(timer);
      });
  }, 1000);
  timer.unref();
  cleanups.push(async () => clearInterval(timer));
}
