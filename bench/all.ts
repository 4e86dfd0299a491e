/**
 * `npm run bench [-- --only lab,push] [--quick]`
 *
 * Runs every benchmark ONE AT A TIME, each in its own child process (`node --import tsx bench/x.ts …`
 * with BENCH_REPORT naming a temp JSON file), streams their output, and writes one report:
 * bench/results/latest.json (every section, the date, Node, cores, load average, git commit) and
 * bench/results/latest.md (a summary of goals met and missed, then a heading per bench with the
 * command that reproduces it and its table). A bench that fails is reported as failed and the others
 * still run; the exit code is non-zero if any failed. A missed goal is reported, not a failure.
 * `--quick` runs smaller sizes as a smoke test.
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { anyFailed, BenchSectionSchema, reportMarkdown, type BenchRun, type FullBenchReport } from './full-report.js';
import { parseOnly, planBench, type BenchPlan } from './plan.js';

const repoRoot = join(import.meta.dirname, '..');
const resultsDir = join(repoRoot, 'bench/results');
const LAST_LINES = 30;

function onPath(program: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The child running now, so Ctrl-C can end its whole process group (a lab child included). */
let running: number | null = null;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function runOne(p: BenchPlan, dir: string): Promise<BenchRun> {
  if (p.skip !== undefined) {
    console.log(`\n━━ ${p.bench}: skipped — ${p.skip}`);
    return { kind: 'skipped', bench: p.bench, command: p.command, reason: p.skip };
  }
  const reportFile = join(dir, `${p.bench}.json`);
  console.log(`\n━━ ${p.bench}: ${p.command}`);
  const started = performance.now();
  // Its own process group, so a timeout or Ctrl-C also ends the processes it started.
  const child = spawn(process.execPath, ['--import', 'tsx', p.script, ...p.args], {
    cwd: repoRoot,
    env: { ...process.env, ...p.env, BENCH_REPORT: reportFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running = child.pid ?? null;
  const lastLines: string[] = [];
  const keep = (line: string): void => {
    lastLines.push(line);
    if (lastLines.length > LAST_LINES) lastLines.shift();
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    keep(line);
  });
  createInterface({ input: child.stderr }).on('line', (line) => {
    process.stderr.write(`${line}\n`);
    keep(line);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) killGroup(child.pid, 'SIGTERM');
  }, p.limitSeconds * 1000);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('error', () => resolve([null, null]));
    child.once('close', (code, sig) => resolve([code, sig]));
  });
  clearTimeout(timer);
  running = null;
  const seconds = (performance.now() - started) / 1000;
  const failed = (reason: string): BenchRun => ({ kind: 'failed', bench: p.bench, command: p.command, seconds, reason, exitCode, lastLines: [...lastLines] });
  if (timedOut) return failed(`stopped after the ${p.limitSeconds} s limit`);
  if (exitCode !== 0) return failed(exitCode === null ? `killed by ${signal ?? 'a signal'}` : `exit code ${exitCode}`);
  if (!existsSync(reportFile)) return failed('exited 0 without writing its report');
  const parsed = BenchSectionSchema.safeParse(JSON.parse(readFileSync(reportFile, 'utf8')));
  if (!parsed.success) return failed(`its report does not have the BenchSection shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return { kind: 'done', bench: p.bench, command: parsed.data.command, seconds, section: parsed.data };
}

function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' }).trim().length > 0;
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } } });
  const context = { quick: values.quick, env: process.env, scriptExists: (script: string) => existsSync(join(repoRoot, script)), onPath };
  const names = parseOnly(values.only);
  const dir = mkdtempSync(join(tmpdir(), 'callhome-bench-all-'));
  const stop = (signal: NodeJS.Signals): void => {
    if (running !== null) killGroup(running, signal);
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const date = new Date().toISOString();
  const loadAverage = loadavg();
  const commit = gitCommit();
  const runs: BenchRun[] = [];
  try {
    for (const name of names) runs.push(await runOne(planBench(name, context), dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const report: FullBenchReport = { date, node: process.version, cores: cpus().length, loadAverage, commit, quick: values.quick, ...(values.only === undefined ? {} : { only: names }), runs };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = reportMarkdown(report);
  writeFileSync(join(resultsDir, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`written: bench/results/latest.md and bench/results/latest.json`);
  if (anyFailed(report)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
