/**
 * `npm run bench:lab [-- --devices 1000]`
 *
 * Starts N lab devices (cold: empty state dir, host keys generated; warm: same state dir, keys
 * reused) and reports start time and RSS, then logs in to a sample of devices and runs a command
 * to show they answer. Baseline in a separate process of the same run: N bare ssh2 Servers (one
 * generated ed25519 key each, listening on 127.0.0.1:0, no shell). Reports lab / baseline ratios.
 * Goal: 1,000 devices in well under 1 GiB RSS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import ssh2 from 'ssh2';
import { startLab } from '../src/lab/devices.js';
import { generateHostKey } from '../src/lab/persistence.js';
import { writeBenchSection, type BenchFigure } from './report.js';
import { isMain, machineNotes, numberArg } from './support.js';

type Figures = { readonly startMs: number; readonly rssMiB: number; readonly afterUseRssMiB?: number; readonly usedMs?: number };

const rssMiB = (): number => Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;

function execOn(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.once('error', reject);
    c.once('ready', () =>
      c.exec(command, (err, ch) => {
        if (err) return reject(err);
        let out = '';
        ch.on('data', (d: Buffer) => (out += d.toString()));
        ch.on('close', () => {
          c.end();
          resolve(out);
        });
      }),
    );
    c.connect({ host: '127.0.0.1', port, username: 'admin', password: 'admin', readyTimeout: 30_000 });
  });
}

async function labMode(devices: number, stateDir: string): Promise<Figures> {
  const t0 = performance.now();
  const lab = await startLab({ devices, stateDir });
  const startMs = performance.now() - t0;
  const rss = rssMiB();
  // Use a sample of devices so their lazily built SSH servers and sessions count too.
  const sample = lab.devices.filter((_, i) => i % 10 === 0);
  const limit = pLimit(20);
  const t1 = performance.now();
  const outs = await Promise.all(sample.map((d) => limit(() => execOn(d.port, 'show call-home statistics'))));
  const usedMs = performance.now() - t1;
  if (!outs.every((o) => o.includes('Last call-home message sent time'))) throw new Error('a device did not answer show call-home statistics');
  const after = rssMiB();
  await lab.close();
  return { startMs, rssMiB: rss, afterUseRssMiB: after, usedMs };
}

async function bareMode(devices: number): Promise<Figures> {
  const t0 = performance.now();
  const servers = await Promise.all(
    Array.from({ length: devices }, () => {
      const key = generateHostKey();
      const server = new ssh2.Server({ hostKeys: [key.privateKey] }, (client) => client.on('error', () => undefined));
      return new Promise<InstanceType<typeof ssh2.Server>>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    }),
  );
  const startMs = performance.now() - t0;
  const rss = rssMiB();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return { startMs, rssMiB: rss };
}

/** Runs one mode in a fresh Node process so RSS figures do not mix. */
function child(mode: string, devices: number, stateDir: string): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode, '--devices', String(devices), '--state', stateDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Figures) : reject(new Error(`${mode} run exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const devices = numberArg('devices', 1000);
  const childIdx = process.argv.indexOf('--child');
  if (childIdx >= 0) {
    const mode = process.argv[childIdx + 1];
    const stateDir = process.argv[process.argv.indexOf('--state') + 1] ?? '';
    const figures = mode === 'bare' ? await bareMode(devices) : await labMode(devices, stateDir);
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const notes = machineNotes();
  const stateDir = mkdtempSync(join(tmpdir(), 'callhome-bench-lab-'));
  try {
    console.log(`bench:lab — ${devices} devices: cold start, warm start, then ${devices} bare ssh2 Servers, each in its own process`);
    const cold = await child('lab', devices, stateDir);
    const warm = await child('lab', devices, stateDir);
    const bare = await child('bare', devices, stateDir);
    writeBenchSection({
      bench: 'lab',
      title: `Lab: ${devices} devices in one process`,
      command: `npm run bench:lab -- --devices ${devices}`,
      figures: labFigures(devices, cold, warm, bare),
      notes: [...notes, 'each start runs in a fresh Node process so RSS figures do not mix; the warm start reuses the cold start\'s host keys'],
    });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function labFigures(devices: number, cold: Figures, warm: Figures, bare: Figures): BenchFigure[] {
  const bareStart = { label: `${devices} bare ssh2 Servers`, value: Math.round(bare.startMs) };
  const bareRss = { label: `${devices} bare ssh2 Servers`, value: bare.rssMiB };
  const afterUse = warm.afterUseRssMiB ?? warm.rssMiB;
  return [
    { id: 'lab.coldStartMs', label: 'cold start (host keys generated)', value: Math.round(cold.startMs), unit: 'ms', baseline: bareStart, ratio: cold.startMs / bare.startMs },
    { id: 'lab.warmStartMs', label: 'warm start (host keys reused)', value: Math.round(warm.startMs), unit: 'ms', baseline: bareStart, ratio: warm.startMs / bare.startMs },
    { id: 'lab.warmRssMiB', label: 'RSS after warm start', value: warm.rssMiB, unit: 'MiB', baseline: bareRss, ratio: warm.rssMiB / bare.rssMiB },
    { id: 'lab.usedMs', label: `${Math.ceil(devices / 10)} logins + show call-home statistics`, value: Math.round(warm.usedMs ?? 0), unit: 'ms' },
    { id: 'lab.afterUseRssMiB', label: `RSS after ${Math.ceil(devices / 10)} logins`, value: afterUse, unit: 'MiB', goal: { text: `${devices} devices < 1,024 MiB`, met: afterUse < 1024 } },
  ];
}

if (isMain(import.meta.url)) await main();
