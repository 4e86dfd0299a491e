/**
 * The one report `npm run bench` writes: every bench's section (or why it failed or was skipped), the
 * machine it ran on, and a summary of goals met and missed — as JSON and as Markdown. Pure: no I/O.
 */
import { z } from 'zod';
import { assertNever } from '../src/util/assert-never.js';
import { formatNumber, sectionTable, type BenchFigure, type BenchSection } from './report.js';

// JSON has no NaN or Infinity: a figure that could not be measured arrives as null.
const measured = z
  .number()
  .nullable()
  .transform((v) => v ?? Number.NaN);

/** A section as a bench child writes it to BENCH_REPORT (validated: it crosses a process boundary). */
export const BenchSectionSchema = z.object({
  bench: z.string().min(1),
  title: z.string(),
  command: z.string(),
  figures: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      value: measured,
      unit: z.string(),
      baseline: z.object({ label: z.string(), value: measured }).optional(),
      ratio: z
        .number()
        .nullable()
        .optional()
        .transform((v) => v ?? undefined),
      goal: z.object({ text: z.string(), met: z.boolean() }).optional(),
    }),
  ),
  notes: z.array(z.string()),
}) satisfies z.ZodType<BenchSection, unknown>;

/** How one bench of the run ended. */
export type BenchRun =
  | { readonly kind: 'done'; readonly bench: string; readonly command: string; readonly seconds: number; readonly section: BenchSection }
  | {
      readonly kind: 'failed';
      readonly bench: string;
      readonly command: string;
      readonly seconds: number;
      /** Why, in words: 'exit code 1', 'killed by SIGTERM after the 900 s limit', 'exited 0 without a report'. */
      readonly reason: string;
      readonly exitCode: number | null;
      /** The last lines the bench printed (stdout and stderr), for the report. */
      readonly lastLines: readonly string[];
    }
  | { readonly kind: 'skipped'; readonly bench: string; readonly command: string; readonly reason: string };

/** The whole run: where and when it ran, and every bench's outcome in run order. */
export type FullBenchReport = {
  readonly date: string;
  readonly node: string;
  readonly cores: number;
  readonly loadAverage: readonly number[];
  /** `git rev-parse --short HEAD`, with '+dirty' when the tree had changes; 'unknown' outside git. */
  readonly commit: string;
  /** True for `--quick`: smaller sizes, figures not comparable with the goals' sizes. */
  readonly quick: boolean;
  /** The benches `--only` chose; absent when every bench ran. */
  readonly only?: readonly string[];
  readonly runs: readonly BenchRun[];
};

/** One goal of one figure, for the summary. */
export type GoalLine = { readonly bench: string; readonly figure: BenchFigure; readonly text: string; readonly met: boolean };

/** Every figure with a goal, in run order. */
export function goalLines(runs: readonly BenchRun[]): GoalLine[] {
  return runs.flatMap((run) =>
    run.kind === 'done'
      ? run.section.figures.flatMap((figure) =>
          figure.goal ? [{ bench: run.bench, figure, text: figure.goal.text, met: figure.goal.met }] : [],
        )
      : [],
  );
}

/** True when any bench failed (a missed goal is not a failure: it is reported). */
export function anyFailed(report: FullBenchReport): boolean {
  return report.runs.some((run) => run.kind === 'failed');
}

function goalBullet(line: GoalLine): string {
  const { figure } = line;
  const ratio = figure.ratio !== undefined && Number.isFinite(figure.ratio) ? `, ${figure.ratio.toFixed(2)}×` : '';
  return `${line.bench} — ${figure.label}: ${formatNumber(figure.value)} ${figure.unit}${ratio} (goal ${line.text})`;
}

function runBullet(run: BenchRun): string {
  switch (run.kind) {
    case 'done':
      return `${run.bench}: done in ${Math.round(run.seconds)} s`;
    case 'failed':
      return `${run.bench}: **failed** (${run.reason}) after ${Math.round(run.seconds)} s`;
    case 'skipped':
      return `${run.bench}: skipped — ${run.reason}`;
    default:
      return assertNever(run);
  }
}

/** The summary at the top: each bench's outcome, then goals missed, then goals met. */
export function summaryMarkdown(runs: readonly BenchRun[]): string {
  const goals = goalLines(runs);
  const missed = goals.filter((g) => !g.met);
  const met = goals.filter((g) => g.met);
  const lines = ['## Summary', '', ...runs.map((run) => `- ${runBullet(run)}`), ''];
  lines.push(`**Goals missed: ${missed.length}**${missed.length > 0 ? '' : ' — none'}`, '');
  if (missed.length > 0) lines.push(...missed.map((g) => `- ✗ ${goalBullet(g)}`), '');
  lines.push(`**Goals met: ${met.length}**`, '');
  if (met.length > 0) lines.push(...met.map((g) => `- ✓ ${goalBullet(g)}`), '');
  return lines.join('\n');
}

function runMarkdown(run: BenchRun): string {
  switch (run.kind) {
    case 'done': {
      const notes = run.section.notes.map((n) => `- ${n}`);
      return [`## ${run.section.title}`, '', `Reproduce: \`${run.section.command}\``, '', sectionTable(run.section), '', ...notes, ''].join('\n');
    }
    case 'failed':
      return [`## ${run.bench} — failed`, '', `Reproduce: \`${run.command}\``, '', `${run.reason} after ${Math.round(run.seconds)} s. Last lines:`, '', '```text', ...run.lastLines, '```', ''].join('\n');
    case 'skipped':
      return [`## ${run.bench} — skipped`, '', `Reproduce: \`${run.command}\``, '', `Skipped: ${run.reason}.`, ''].join('\n');
    default:
      return assertNever(run);
  }
}

function reproduceAll(report: FullBenchReport): string {
  const flags = [...(report.only ? ['--only', report.only.join(',')] : []), ...(report.quick ? ['--quick'] : [])];
  return flags.length > 0 ? `npm run bench -- ${flags.join(' ')}` : 'npm run bench';
}

/** The Markdown report: heading, conditions, summary, then one section per bench. */
export function reportMarkdown(report: FullBenchReport): string {
  const load = report.loadAverage.map((l) => l.toFixed(1)).join(' ');
  const header = [
    '# Benchmark report',
    '',
    `${report.date} · Node ${report.node} · ${report.cores} core(s) · load average at start ${load} · commit ${report.commit}`,
    '',
    `Reproduce everything: \`${reproduceAll(report)}\`.`,
    ...(report.quick ? ['', '**Quick run:** smaller sizes than the goals are stated for; a smoke test, not a measurement.'] : []),
    '',
  ];
  return [...header, summaryMarkdown(report.runs), ...report.runs.map(runMarkdown)].join('\n');
}
