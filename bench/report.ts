/**
 * The shape every benchmark reports in, so `npm run bench` (bench/all.ts) can put each figure beside its
 * same-run baseline and its goal in one Markdown + JSON report.
 */
import { writeFileSync } from 'node:fs';

/** One measured figure, optionally with the same-run baseline it is compared with and a goal. */
export type BenchFigure = {
  /** Stable key, e.g. 'push.devicesPerSecond'. */
  readonly id: string;
  /** What was measured, for people: 'push + verify, 1,000 devices'. */
  readonly label: string;
  readonly value: number;
  /** 'devices/s', 'ms', 'MiB', 'msg/s', 'fps', '%'. */
  readonly unit: string;
  /** The same run's baseline for this figure, when there is one. */
  readonly baseline?: { readonly label: string; readonly value: number };
  /** value ÷ baseline (or the ratio the goal is stated in), rounded by the printer. */
  readonly ratio?: number;
  /** The goal in words ('ratio ≤ 2×') and whether this run met it. */
  readonly goal?: { readonly text: string; readonly met: boolean };
};

/** One benchmark's results. */
export type BenchSection = {
  /** 'lab' | 'push' | 'ingest' | 'console' | 'ansible' | … */
  readonly bench: string;
  readonly title: string;
  /** The command that reproduces it, e.g. 'npm run bench:push -- --devices 1000'. */
  readonly command: string;
  readonly figures: readonly BenchFigure[];
  /** Conditions worth knowing (machine load, sizes, anything skipped and why). */
  readonly notes: readonly string[];
};

/** A figure's number for people: integers grouped, others to 2 decimals (or rounded from 100 up). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

/** Markdown table rows for one section (no heading). */
export function sectionTable(section: BenchSection): string {
  const rows = section.figures.map((f) => {
    const baseline = f.baseline ? `${formatNumber(f.baseline.value)} ${f.unit} (${f.baseline.label})` : '—';
    const ratio = f.ratio === undefined || !Number.isFinite(f.ratio) ? '—' : `${f.ratio.toFixed(2)}×`;
    const goal = f.goal ? `${f.goal.text} — ${f.goal.met ? 'met' : '**missed**'}` : '—';
    return `| ${f.label} | ${formatNumber(f.value)} ${f.unit} | ${baseline} | ${ratio} | ${goal} |`;
  });
  return ['| figure | value | same-run baseline | ratio | goal |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Prints the section and, when BENCH_REPORT names a file, writes its JSON there for bench/all.ts. */
export function writeBenchSection(section: BenchSection): void {
  console.log(`\n## ${section.title}\n\n${sectionTable(section)}\n`);
  for (const note of section.notes) console.log(`- ${note}`);
  const target = process.env['BENCH_REPORT'];
  if (target) writeFileSync(target, `${JSON.stringify(section, null, 2)}\n`);
}
