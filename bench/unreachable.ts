/**
 * `npm run bench:unreachable -- [--hosts 1000] [--silent 200]`
 *
 * How long a fleet run takes when its hosts cannot be reached, measured on loopback and extrapolated
 * to 10,000 hosts (the README quotes the result). Two kinds of dead host:
 * - refused: a closed port (RST at once), as a powered-off device on a reachable subnet;
 * - silent: a port that accepts and never speaks SSH, as a black-holed address costs a full
 *   connect timeout per attempt.
 * A fleet run is a series of waves of `concurrency` hosts, so a run costs about
 * ceil(hosts / concurrency) × per-host time; the measured figures give the per-host time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFleet } from '../src/fleet/open-fleet.js';
import { collectFleet } from '../src/fleet/runner.js';
import { execTask } from '../src/fleet/show-task.js';
import { isMain, machineNotes, numberArg } from './support.js';

type Run = { readonly label: string; readonly hosts: number; readonly concurrency: number; readonly attempts: number; readonly connectTimeoutS: number; readonly seconds: number; readonly message: string };

function inventoryOf(file: string, hosts: number, port: number): void {
  const lines = ['defaults: { username: admin, password: admin }', 'hosts:'];
  for (let i = 1; i <= hosts; i++) lines.push(`  d${i}: { host: 127.0.0.1, port: ${port} }`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

async function measure(label: string, inventoryFile: string, hosts: number, concurrency: number, attempts: number, connectTimeoutS: number): Promise<Run> {
  const fleet = openFleet({
    inventoryFile,
    settings: { concurrency, timeout: 5, connectTimeout: connectTimeoutS, connectAttempts: attempts, knownHosts: undefined },
    knownHostsFile: '/dev/null',
    env: {},
    sshConfigPath: null,
  });
  const started = performance.now();
  const { results } = await collectFleet(fleet.run(execTask('show clock')));
  const seconds = (performance.now() - started) / 1000;
  if (results.some((r) => r.ok)) throw new Error(`${label}: a dead host answered`);
  return { label, hosts, concurrency, attempts, connectTimeoutS, seconds, message: results[0]?.error?.message ?? '' };
}

/** The time a run of `hosts` would take at the measured per-wave time. */
function extrapolate(run: Run, hosts: number, concurrency = run.concurrency): number {
  const waves = Math.ceil(run.hosts / run.concurrency);
  return (run.seconds / waves) * Math.ceil(hosts / concurrency);
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export async function benchUnreachable(refusedHosts: number, silentHosts: number): Promise<Run[]> {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-unreachable-'));
  // A port that was free a moment ago: connections to it are refused.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  // A port that accepts and never says a word.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', 4096, resolve));
  const silentPort = (silent.address() as AddressInfo).port;
  try {
    const refused = join(dir, 'refused.yaml');
    const quiet = join(dir, 'silent.yaml');
    inventoryOf(refused, refusedHosts, closedPort);
    inventoryOf(quiet, silentHosts, silentPort);
    return [
      await measure('refused, defaults (3 attempts)', refused, refusedHosts, 50, 3, 10),
      await measure('refused, 1 attempt', refused, refusedHosts, 50, 1, 10),
      await measure('silent, 3 attempts of 1 s', quiet, silentHosts, 50, 3, 1),
      await measure('silent, 1 attempt of 1 s', quiet, silentHosts, 50, 1, 1),
      await measure('silent, 1 attempt of 1 s, concurrency 200', quiet, silentHosts, 200, 1, 1),
    ];
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const runs = await benchUnreachable(numberArg('hosts', 1000), numberArg('silent', 200));
  console.log(machineNotes().join('\n'));
  for (const r of runs) {
    const perHost = r.seconds / Math.ceil(r.hosts / r.concurrency);
    console.log(`${r.label}: ${r.hosts} hosts at concurrency ${r.concurrency} in ${r.seconds.toFixed(2)} s (${perHost.toFixed(2)} s per wave) → 10,000 hosts ≈ ${duration(extrapolate(r, 10_000))}`);
    console.log(`  error: ${r.message}`);
  }
  // A silent host at the default 10 s × 3 attempts costs what the 1 s runs cost, scaled by the timeout.
  const silentDefault = runs[2];
  if (silentDefault) {
    const perWave = silentDefault.seconds / Math.ceil(silentDefault.hosts / silentDefault.concurrency);
    const scaled = (perWave - 3 * 1) + 3 * 10;
    console.log(`silent, defaults (3 attempts of 10 s, concurrency 50) → 10,000 hosts ≈ ${duration(scaled * Math.ceil(10_000 / 50))} (${scaled.toFixed(1)} s per wave)`);
  }
}
