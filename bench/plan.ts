/**
 * Which benches `npm run bench` runs, with which sizes, and how a person reproduces each one alone.
 * Pure apart from what it is given: the environment and two questions about this machine.
 */
import { assertNever } from '../src/util/assert-never.js';

/** Every bench, in the order `npm run bench` runs them. */
export const BENCHES = ['lab', 'push', 'ingest', 'console', 'ansible'] as const;
export type BenchName = (typeof BENCHES)[number];

/** One bench as the run will start it. */
export type BenchPlan = {
  readonly bench: BenchName;
  /** Relative to the repository root. */
  readonly script: string;
  readonly args: readonly string[];
  /** Set for the child on top of the caller's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** How a person reproduces this bench alone. */
  readonly command: string;
  /** The bench is stopped (and reported failed) after this long. */
  readonly limitSeconds: number;
  /** Why it cannot run here, when it cannot. */
  readonly skip?: string;
};

/** What planning needs to know about where it runs. */
export type PlanContext = {
  readonly quick: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether a repository-relative file exists. */
  readonly scriptExists: (script: string) => boolean;
  /** Whether a program is on PATH. */
  readonly onPath: (program: string) => boolean;
};

/** The environment variables bench/ingest.ts reads for its sizes. */
const INGEST_ENV = ['BENCH_MAX', 'BENCH_RATE', 'BENCH_SECONDS', 'BENCH_CONCURRENCY'] as const;
const QUICK_INGEST_ENV: Readonly<Record<string, string>> = { BENCH_MAX: '1000', BENCH_SECONDS: '2' };

function defined(entries: readonly (readonly [string, string | undefined])[]): Record<string, string> {
  return Object.fromEntries(entries.flatMap(([k, v]) => (v === undefined ? [] : [[k, v]])));
}

/** Plans one bench: full sizes are the ones the goals are stated for, quick ones are a smoke test. */
export function planBench(bench: BenchName, context: PlanContext): BenchPlan {
  const { quick } = context;
  const script = `bench/${bench}.ts`;
  const make = (args: string[], limitSeconds: number, env: Record<string, string> = {}, shownEnv: Record<string, string> = env): BenchPlan => {
    const prefix = Object.entries(shownEnv)
      .map(([k, v]) => `${k}=${v} `)
      .join('');
    return { bench, script, args, env, command: `${prefix}npm run bench:${bench}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`, limitSeconds };
  };
  switch (bench) {
    case 'lab':
      return make(['--devices', quick ? '200' : '1000'], 600);
    case 'push':
      return make(['--devices', quick ? '200' : '1000'], 900);
    case 'ingest': {
      // Sizes the caller set win over the quick ones; the reproduce command names both.
      const callers = defined(INGEST_ENV.map((k) => [k, context.env[k]] as const));
      const quickSizes = quick ? defined(Object.entries(QUICK_INGEST_ENV).map(([k, v]) => [k, callers[k] === undefined ? v : undefined] as const)) : {};
      return make([], 300, quickSizes, { ...callers, ...quickSizes });
    }
    case 'console':
      return make(['--duration', quick ? '5' : '60'], 300);
    case 'ansible': {
      const planned = make(['--devices', quick ? '10' : '50', '--ours', quick ? '200' : '1000'], 3600);
      if (!context.scriptExists(script)) return { ...planned, skip: `${script} does not exist in this tree` };
      if (!context.onPath('ansible-playbook')) return { ...planned, skip: "ansible-playbook is not on PATH (install Debian's ansible and python3-paramiko)" };
      return planned;
    }
    default:
      return assertNever(bench);
  }
}

/** The benches `--only a,b` names, in run order; every bench when absent. Unknown names are an error. */
export function parseOnly(only: string | undefined): BenchName[] {
  if (only === undefined) return [...BENCHES];
  const names = only
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const unknown = names.filter((n) => !(BENCHES as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--only ${only}: unknown bench ${unknown.join(', ') || '(none given)'}; choose from ${BENCHES.join(', ')}, comma-separated`);
  }
  return BENCHES.filter((b) => names.includes(b));
}
