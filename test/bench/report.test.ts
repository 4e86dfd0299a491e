import { describe, expect, it } from 'vitest';
import { anyFailed, BenchSectionSchema, goalLines, reportMarkdown, summaryMarkdown, type BenchRun, type FullBenchReport } from '../../bench/full-report.js';
import { formatNumber, sectionTable, type BenchSection } from '../../bench/report.js';

const pushSection: BenchSection = {
  bench: 'push',
  title: 'Push: 1000 lab devices, concurrency 50',
  command: 'npm run bench:push -- --devices 1000',
  figures: [
    { id: 'push.wallMs', label: 'push + verify wall time', value: 36960, unit: 'ms', baseline: { label: 'bare ssh2', value: 26220 }, ratio: 36960 / 26220, goal: { text: 'push ÷ bare ssh2 ≤ 2×', met: true } },
    { id: 'push.p99Ms', label: 'per-device time p99', value: 2290, unit: 'ms' },
  ],
  notes: ['2 CPU core(s), Node v20.20.2'],
};

const consoleSection: BenchSection = {
  bench: 'console',
  title: 'Console: 1000 events/s for 60 s',
  command: 'npm run bench:console -- --duration 60',
  figures: [
    { id: 'console.startToFirstFrameMs', label: 'start → first frame', value: 1137, unit: 'ms', goal: { text: '< 500 ms', met: false } },
    { id: 'console.eventToFrameP99Ms', label: 'event → frame p99', value: Number.NaN, unit: 'ms', goal: { text: '< 100 ms', met: false } },
  ],
  notes: [],
};

const runs: BenchRun[] = [
  { kind: 'done', bench: 'push', command: pushSection.command, seconds: 71.4, section: pushSection },
  { kind: 'failed', bench: 'ingest', command: 'npm run bench:ingest', seconds: 12.2, reason: 'exit code 1', exitCode: 1, lastLines: ['bench:ingest failed: Error: EADDRINUSE'] },
  { kind: 'done', bench: 'console', command: consoleSection.command, seconds: 63, section: consoleSection },
  { kind: 'skipped', bench: 'ansible', command: 'npm run bench:ansible -- --devices 50 --ours 1000', reason: 'ansible-playbook is not on PATH' },
];

const report: FullBenchReport = { date: '2026-11-24T00:00:00.000Z', node: 'v20.20.2', cores: 2, loadAverage: [1.23, 0.5, 0.25], commit: 'abc1234', quick: false, runs };

describe('sectionTable', () => {
  it('puts value, baseline, ratio and goal of each figure in one row, marking a missed goal', () => {
    const table = sectionTable(pushSection).split('\n');
    expect(table[0]).toBe('| figure | value | same-run baseline | ratio | goal |');
    expect(table[2]).toBe('| push + verify wall time | 36,960 ms | 26,220 ms (bare ssh2) | 1.41× | push ÷ bare ssh2 ≤ 2× — met |');
    expect(table[3]).toBe('| per-device time p99 | 2,290 ms | — | — | — |');
    expect(sectionTable(consoleSection)).toContain('| start → first frame | 1,137 ms | — | — | < 500 ms — **missed** |');
  });

  it('shows a figure that could not be measured as n/a, not NaN', () => {
    expect(sectionTable(consoleSection)).toContain('| event → frame p99 | n/a ms |');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('n/a');
    expect(formatNumber(12.345)).toBe('12.35');
    expect(formatNumber(1234.5)).toBe('1,235');
  });
});

describe('summary', () => {
  it('lists goals missed and met with their measured figures', () => {
    const goals = goalLines(runs);
    expect(goals.map((g) => [g.bench, g.met])).toEqual([
      ['push', true],
      ['console', false],
      ['console', false],
    ]);
    const summary = summaryMarkdown(runs);
    expect(summary).toContain('**Goals missed: 2**');
    expect(summary).toContain('- ✗ console — start → first frame: 1,137 ms (goal < 500 ms)');
    expect(summary).toContain('**Goals met: 1**');
    expect(summary).toContain('- ✓ push — push + verify wall time: 36,960 ms, 1.41× (goal push ÷ bare ssh2 ≤ 2×)');
  });

  it('reports each bench outcome, failed and skipped ones included', () => {
    const summary = summaryMarkdown(runs);
    expect(summary).toContain('- push: done in 71 s');
    expect(summary).toContain('- ingest: **failed** (exit code 1) after 12 s');
    expect(summary).toContain('- ansible: skipped — ansible-playbook is not on PATH');
  });

  it('says so when no goal was missed', () => {
    expect(summaryMarkdown(runs.slice(0, 1))).toContain('**Goals missed: 0** — none');
  });
});

describe('reportMarkdown', () => {
  const markdown = reportMarkdown(report);

  it('starts with the conditions and the summary, then a heading per bench with its reproduce command', () => {
    expect(markdown.startsWith('# Benchmark report\n')).toBe(true);
    expect(markdown).toContain('2026-11-24T00:00:00.000Z · Node v20.20.2 · 2 core(s) · load average at start 1.2 0.5 0.3 · commit abc1234');
    const order = ['## Summary', '## Push: 1000 lab devices', '## ingest — failed', '## Console: 1000 events/s', '## ansible — skipped'].map((h) => markdown.indexOf(h));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(markdown).toContain('Reproduce: `npm run bench:push -- --devices 1000`');
    expect(markdown).toContain('- 2 CPU core(s), Node v20.20.2');
  });

  it('shows a failed bench with its reason and last lines', () => {
    expect(markdown).toContain('exit code 1 after 12 s. Last lines:\n\n```text\nbench:ingest failed: Error: EADDRINUSE\n```');
  });

  it('marks a quick run as a smoke test', () => {
    expect(markdown).not.toContain('Quick run');
    expect(markdown).toContain('Reproduce everything: `npm run bench`.');
    const quick = reportMarkdown({ ...report, quick: true, only: ['lab', 'push'] });
    expect(quick).toContain('**Quick run:**');
    expect(quick).toContain('Reproduce everything: `npm run bench -- --only lab,push --quick`.');
  });

  it('treats a failed bench, not a missed goal, as a failure of the run', () => {
    expect(anyFailed(report)).toBe(true);
    expect(anyFailed({ ...report, runs: runs.filter((r) => r.kind !== 'failed') })).toBe(false);
  });
});

describe('BenchSectionSchema', () => {
  it('reads a section back from its JSON, a figure that was NaN arriving as null', () => {
    const parsed = BenchSectionSchema.parse(JSON.parse(JSON.stringify(consoleSection)));
    expect(parsed.figures[1]?.value).toBeNaN();
    expect(parsed.figures[0]).toEqual(consoleSection.figures[0]);
  });

  it('rejects a file that is not a section, saying what is wrong', () => {
    const result = BenchSectionSchema.safeParse({ bench: 'push', figures: 'none' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['title', 'figures']));
  });
});
