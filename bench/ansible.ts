/**
 * `npm run bench:ansible -- [--devices 50] [--ours 1000]`
 *
 * A peer on the same fleet. Ansible (Debian's ansible 7 / ansible-core 2.14, cisco.ios collection,
 * network_cli over paramiko) pushes the docs/cli.md desired Call Home configuration with
 * `cisco.ios.ios_config` (save_when: modified) to a fresh lab of `--devices` devices, once at forks 5
 * (its default) and once at forks 50, each on its own fresh lab. The lines it pushes are the ones our
 * planner chose for a device of that lab (a `callhome push --dry-run` on r1), in running-config form.
 * After each run every device is read back with our own push in dry-run mode: a device holds the
 * configuration when there is nothing left to change. Then our push + verify runs on `--ours` devices
 * (measureOurPush) and the report gives both rates and ours ÷ Ansible's best. Goal: ≥ 100×.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runFleetPush } from '../commands/push.js';
import { loadInventory } from '../src/fleet/inventory.js';
import { SettingsSchema } from '../src/settings.js';
import { configBlock, failureMessage, findAnsible, hostsNotOk, prepareAnsibleWorkspace, pushPlaybook, runPlaybook, type AnsibleInstall } from './ansible/peer.js';
import { measureOurPush, startLabProcess, type LabProcess } from './push.js';
import { writeBenchSection, type BenchFigure } from './report.js';
import { isMain, loadAverageText, machineNotes, numberArg } from './support.js';

const GOAL_RATIO = 100;

/** What one Ansible run on a fresh lab measured. */
export type AnsibleMeasurement = {
  readonly forks: number;
  readonly devices: number;
  readonly wallMs: number;
  readonly devicesPerSecond: number;
  /** Hosts the PLAY RECAP shows without failure or unreachable. */
  readonly ok: number;
  /** Hosts the PLAY RECAP shows as changed. */
  readonly changed: number;
  /** Devices that hold the desired configuration when our own dry-run push reads them back. */
  readonly verified: number;
  readonly failures: readonly string[];
  readonly loadAverage: string;
};

const quiet = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

/** Our push in dry-run mode over the lab's inventory (optionally one host): what each device still needs. */
async function dryRun(lab: LabProcess, desired: string, limit?: string) {
  const settings = SettingsSchema.parse({ timeout: 60, connectTimeout: 60, concurrency: 50 });
  const report = await runFleetPush(
    { inventory: lab.inventory, knownHosts: lab.knownHosts, json: true, config: desired, dryRun: true, concurrency: 50, ...(limit ? { limit } : {}) },
    { stdout: quiet(), settings },
  );
  return report.results;
}

/** One Ansible run at `forks` on a fresh lab of `devices`, read back afterwards. */
export async function measureAnsible(options: { readonly install: AnsibleInstall; readonly devices: number; readonly forks: number; readonly desired: string; readonly dir: string }): Promise<AnsibleMeasurement> {
  mkdirSync(options.dir, { recursive: true });
  const lab = await startLabProcess(options.devices, options.dir);
  try {
    const hosts = loadInventory(lab.inventory).hosts;
    const first = hosts[0];
    if (!first) throw new Error('the lab inventory lists no device');
    const [planned] = await dryRun(lab, options.desired, first.name);
    if (!planned?.ok || planned.commands.length === 0) throw new Error(`our dry-run push on ${first.name} planned nothing: ${planned?.error?.message ?? 'no result'}`);

    const workspace = prepareAnsibleWorkspace({
      dir: join(options.dir, 'ansible'),
      install: options.install,
      hosts: hosts.map((h) => ({ name: h.name, port: h.port })),
      credentials: { username: first.username ?? 'admin', password: first.password ?? 'admin', enableSecret: first.enableSecret ?? 'cisco' },
      knownHosts: readFileSync(lab.knownHosts, 'utf8'),
    });
    const configFile = join(workspace.dir, 'call-home.cfg');
    writeFileSync(configFile, configBlock(planned.commands));
    const playbook = join(workspace.dir, 'push.yaml');
    writeFileSync(playbook, pushPlaybook({ configFile }));

    const loadAverage = loadAverageText();
    const run = await runPlaybook(workspace, playbook, { forks: options.forks });
    const names = hosts.map((h) => h.name);
    const notOk = hostsNotOk(run, names);
    const readBack = await dryRun(lab, options.desired);
    return {
      forks: options.forks,
      devices: names.length,
      wallMs: run.wallMs,
      devicesPerSecond: names.length / (run.wallMs / 1000),
      ok: names.length - notOk.length,
      changed: names.filter((h) => (run.recap.get(h)?.changed ?? 0) > 0).length,
      verified: readBack.filter((r) => r.ok && !r.changed).length,
      failures: notOk.map((h) => `${h}: ${failureMessage(run, h)}`),
      loadAverage,
    };
  } finally {
    await lab.stop();
  }
}

function ansibleFigures(m: AnsibleMeasurement): BenchFigure[] {
  const id = `ansible.forks${m.forks}`;
  return [
    { id: `${id}.devicesPerSecond`, label: `Ansible ios_config, ${m.devices} devices, forks ${m.forks}${m.forks === 5 ? ' (its default)' : ''}`, value: m.devicesPerSecond, unit: 'devices/s' },
    { id: `${id}.wallMs`, label: `Ansible wall time, forks ${m.forks}`, value: Math.round(m.wallMs), unit: 'ms' },
    { id: `${id}.verified`, label: `devices holding the configuration after Ansible (forks ${m.forks}), read back by our dry-run push`, value: m.verified, unit: 'devices', goal: { text: `all ${m.devices}`, met: m.verified === m.devices } },
  ];
}

async function main(): Promise<void> {
  const devices = numberArg('devices', 50);
  const ours = numberArg('ours', 1000);
  const notes = machineNotes();
  const install = findAnsible();
  if (!install) throw new Error('ansible-playbook is not on PATH: install Debian\'s ansible and python3-paramiko (apt-get install ansible python3-paramiko)');
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-ansible-'));
  try {
    const desired = join(dir, 'desired.yaml');
    copyFileSync(join(import.meta.dirname, '../test/fixtures/desired/cli-md-example.yaml'), desired);
    const runs: AnsibleMeasurement[] = [];
    for (const forks of [5, 50]) {
      console.log(`Ansible: ${devices} lab devices, forks ${forks}…`);
      const m = await measureAnsible({ install, devices, forks, desired, dir: join(dir, `forks-${forks}`) });
      console.log(`  ${(m.wallMs / 1000).toFixed(1)} s · ${m.devicesPerSecond.toFixed(2)} devices/s · recap ok ${m.ok}/${m.devices}, changed ${m.changed} · verified ${m.verified}/${m.devices}`);
      for (const f of m.failures.slice(0, 5)) console.log(`  ${f}`);
      runs.push(m);
    }
    console.log(`ours: callhome push + verify, ${ours} lab devices, concurrency 50…`);
    const ourLoad = loadAverageText();
    const our = await measureOurPush({ devices: ours, concurrency: 50, save: true });
    console.log(`  ${(our.wallMs / 1000).toFixed(1)} s · ${our.devicesPerSecond.toFixed(1)} devices/s · ${our.ok} ok, ${our.failed} failed`);
    console.log(`ours, --line-by-line: ${ours} lab devices…`);
    const ourLineLoad = loadAverageText();
    const ourLines = await measureOurPush({ devices: ours, concurrency: 50, save: true, lineByLine: true });
    console.log(`  ${(ourLines.wallMs / 1000).toFixed(1)} s · ${ourLines.devicesPerSecond.toFixed(1)} devices/s · ${ourLines.ok} ok, ${ourLines.failed} failed`);

    // Ansible's best only counts when every device really holds the configuration afterwards.
    const best = runs.reduce<AnsibleMeasurement | undefined>((b, m) => (b === undefined || m.devicesPerSecond > b.devicesPerSecond ? m : b), undefined);
    const figures: BenchFigure[] = runs.flatMap(ansibleFigures);
    if (best) {
      const ratio = our.devicesPerSecond / best.devicesPerSecond;
      const allVerified = runs.every((m) => m.verified === m.devices) && our.ok === ours;
      figures.push({
        id: 'ansible.ours.devicesPerSecond',
        label: `callhome push + verify, ${ours} devices, concurrency 50`,
        value: our.devicesPerSecond,
        unit: 'devices/s',
        baseline: { label: `Ansible best, forks ${best.forks}, ${best.devices} devices`, value: best.devicesPerSecond },
        ratio,
        goal: { text: `≥ ${GOAL_RATIO}× Ansible's devices/s`, met: ratio >= GOAL_RATIO && allVerified },
      });
      figures.push({ id: 'ansible.ours.ok', label: `devices pushed and verified by callhome push`, value: our.ok, unit: 'devices', goal: { text: `all ${ours}`, met: our.ok === ours } });
      figures.push({
        id: 'ansible.oursLineByLine.devicesPerSecond',
        label: `callhome push --line-by-line + verify, ${ours} devices, concurrency 50`,
        value: ourLines.devicesPerSecond,
        unit: 'devices/s',
        baseline: { label: `Ansible best, forks ${best.forks}, ${best.devices} devices`, value: best.devicesPerSecond },
        ratio: ourLines.devicesPerSecond / best.devicesPerSecond,
      });
    }
    writeBenchSection({
      bench: 'ansible',
      title: `A peer on the same fleet: Ansible (ansible-core ${/core ([\d.]+)/.exec(install.version)?.[1] ?? '?'}, cisco.ios ios_config) vs callhome push`,
      command: `npm run bench:ansible -- --devices ${devices} --ours ${ours}`,
      figures,
      notes: [
        ...notes,
        ...runs.map((m) => `load average when the forks ${m.forks} run started: ${m.loadAverage}`),
        `load average when our push started: ${ourLoad} (pipelined), ${ourLineLoad} (--line-by-line); the runs are minutes apart, so a load that changes in between moves the ratio`,
        'Ansible: cisco.ios.ios_config with src = the lines our planner chose for the docs/cli.md desired configuration (indented running-config form) and save_when: modified; network_cli over paramiko, enable with ansible_become; each run on a fresh lab in its own process; the wall time includes ansible-playbook start-up, as a user sees it.',
        'Ansible checks host keys: HOME points into the bench workspace, whose ~/.ssh/known_hosts is the one the lab wrote; unknown keys are refused (host_key_auto_add off), none are recorded.',
        'Ours: measureOurPush (bench/push.ts), push + read-back verification + --save (write memory), like ios_config with save_when: modified.',
        'Ansible runs on fewer devices than ours because it is slow; devices/s is compared, not wall time.',
      ],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
