/**
 * Small pieces every bench script shares: reading numeric flags, percentiles, the machine notes each
 * section carries, and the guard that keeps `main()` from running when a bench is imported.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the script Node was started with (not an import). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl;
}

/** `--name N` from argv as a positive number, or the fallback when absent or not a positive number. */
export function numberArg(name: string, fallback: number, argv: readonly string[] = process.argv): number {
  const index = argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The p-th percentile (nearest rank, 0–100) of an ascending array; 0 for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Load average as '1.2 0.9 0.7'. */
export function loadAverageText(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

/** Notes on the conditions of this run: cores, Node version and load average now. */
export function machineNotes(): string[] {
  return [`${cpus().length} CPU core(s), Node ${process.version}`, `load average at start: ${loadAverageText()} (other work on this machine slows every figure)`];
}
