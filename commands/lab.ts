import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Table from 'cli-table3';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { AbortError } from '../src/errors.js';
import { COUNT, numberOption, PORT } from '../src/cli/options.js';
import { MAX_LAB_DEVICES, startLab, type Lab } from '../src/lab/devices.js';
import { SOFTWARE_CHOICES, isSoftwareChoice } from '../src/lab/identity.js';

export type LabCommandOptions = {
  devices: number;
  port: number;
  inventoryOut: string;
  knownHostsOut: string;
  stateDir: string;
  smtpPort: number;
  authorizedKeys?: string | undefined;
  banner?: string | undefined;
  /** Simulated round-trip time of every device's link (fault rttMs). */
  rttMs?: number | undefined;
  /** `17.9.4a`, `16.12.5`, `15.2(4)M11` or `mixed`; absent: IOS XE 17.x releases in turn. */
  software?: string | undefined;
  json: boolean;
};

export type LabDeps = {
  readonly stdout: (t: string) => void;
  /** Resolves when the lab should stop (SIGINT/SIGTERM by default). */
  readonly until: () => Promise<void>;
};

/** Rows of the human device table before it is cut short. */
const TABLE_ROWS = 20;

async function readAuthorizedKeys(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n');
  } catch (e) {
    throw new AbortError(`Cannot read --authorized-keys ${file}: ${e instanceof Error ? e.message : String(e)}`, 'Give an OpenSSH public key file, e.g. ~/.ssh/id_ed25519.pub.');
  }
}

function humanSummary(lab: Lab, opts: LabCommandOptions): string {
  const table = new Table({ head: ['Device', 'Port', 'Serial', 'Model', 'Software'] });
  for (const d of lab.devices.slice(0, TABLE_ROWS)) table.push([d.name, String(d.port), d.identity.serial, d.identity.model, d.identity.softwareVersion]);
  const more = lab.devices.length > TABLE_ROWS ? `... and ${lab.devices.length - TABLE_ROWS} more (see the inventory)\n` : '';
  return [
    `callhome lab: ${lab.devices.length} simulated IOS device(s) on 127.0.0.1`,
    table.toString(),
    more.trimEnd(),
    'Login: admin / admin (or --authorized-keys), enable secret: cisco',
    `Inventory: ${opts.inventoryOut}    known_hosts: ${opts.knownHostsOut}    state: ${opts.stateDir}`,
    `Try: ssh -p ${lab.devices[0]?.port ?? 0} -o UserKnownHostsFile=${opts.knownHostsOut} admin@127.0.0.1`,
    'Press Ctrl-C to stop.',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}

/** Starts the lab, writes the inventory and known_hosts, then runs until `deps.until` resolves. */
export async function runLab(opts: LabCommandOptions, deps: LabDeps): Promise<void> {
  if (opts.software !== undefined && !isSoftwareChoice(opts.software)) {
    throw new AbortError(`--software ${opts.software} is not offered`, `Pass one of ${SOFTWARE_CHOICES.join(', ')}.`);
  }
  const software = opts.software;
  const authorizedKeys = opts.authorizedKeys ? await readAuthorizedKeys(opts.authorizedKeys) : undefined;
  const lab = await startLab({
    devices: opts.devices,
    port: opts.port,
    stateDir: opts.stateDir,
    smtpPort: opts.smtpPort,
    ...(authorizedKeys ? { authorizedKeys } : {}),
    ...(opts.banner !== undefined ? { banner: opts.banner } : {}),
    ...(opts.rttMs ? { faults: Object.fromEntries(Array.from({ length: opts.devices }, (_, i) => [`r${i + 1}`, { rttMs: opts.rttMs }])) } : {}),
    ...(software !== undefined && isSoftwareChoice(software) ? { software } : {}),
  });
  try {
    await lab.writeInventory(opts.inventoryOut);
    await lab.writeKnownHosts(opts.knownHostsOut);
    if (opts.json) deps.stdout(`${JSON.stringify({ event: 'ready', devices: lab.devices.length, inventory: path.resolve(opts.inventoryOut) })}\n`);
    else deps.stdout(humanSummary(lab, opts));
    await deps.until();
  } finally {
    await lab.close();
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** `callhome lab`: Start a lab of simulated IOS devices with Call Home. */
export const labCommand: CommandModule<object, LabCommandOptions> = {
  command: 'lab',
  describe: 'Start a lab of simulated IOS devices with Call Home',
  builder: (y: Argv) =>
    y
      .option('devices', { ...numberOption('--devices', { ...COUNT, max: MAX_LAB_DEVICES }, 'How many devices (r1..rN)'), default: 3 })
      .option('port', { ...numberOption('--port', { ...PORT, example: 2200 }, '0 = free ports; P = consecutive ports from P'), default: 0 })
      .option('inventory-out', { type: 'string', default: './lab-inventory.yaml', describe: 'Where to write the inventory' })
      .option('known-hosts-out', { type: 'string', default: './lab-known_hosts', describe: 'Where to write the OpenSSH known_hosts file' })
      .option('state-dir', { type: 'string', default: './.lab-state', describe: 'Host keys, identities and saved configs' })
      .option('smtp-port', { ...numberOption('--smtp-port', { ...PORT, min: 1, example: 2525 }, 'TCP port the devices use for mail-server entries (IOS uses 25)'), default: 25 })
      .option('authorized-keys', { type: 'string', describe: 'OpenSSH public key file whose keys may log in as admin' })
      .option('banner', { type: 'string', describe: 'Banner MOTD shown before the first prompt' })
      .option('rtt-ms', numberOption('--rtt-ms', { min: 0, unit: 'milliseconds', example: 50 }, 'Simulated round-trip time of every device link, milliseconds (a WAN; default none)'))
      .option('software', {
        type: 'string',
        choices: [...SOFTWARE_CHOICES],
        describe: 'Software the devices run: IOS XE 17.9.4a or 16.12.5, classic IOS 15.2(4)M11, or mixed (all three in turn); default IOS XE 17.x',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print {"event":"ready",...} on one line once every device listens' }) as unknown as Argv<LabCommandOptions>,
  handler: (argv: ArgumentsCamelCase<LabCommandOptions>) => runLab(argv, { stdout: (t) => process.stdout.write(t), until: untilSignal }),
};
