import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../../src/fleet/async-queue.js';
import { summarize, type FleetEvent, type FleetResult } from '../../src/domain/fleet.js';
import { printFleetRun } from '../../src/output/fleet-output.js';
import { advanceProgress, formatProgress, startProgress } from '../../src/output/progress.js';
import { Capture } from './helpers.js';

const ok: FleetResult = { host: 'r1', ok: true, changed: true, commands: ['call-home'], data: { n: 1 }, error: null, durationMs: 12 };
const bad: FleetResult = { host: 'r2', ok: false, changed: false, commands: [], data: {}, error: { kind: 'timeout', message: 'r2: no reply' }, durationMs: 30 };

function stream(): AsyncQueue<FleetEvent> {
  const events = new AsyncQueue<FleetEvent>();
  events.push({ type: 'device-started', host: 'r1' });
  events.push({ type: 'device-started', host: 'r2' });
  events.push({ type: 'device-succeeded', result: ok });
  events.push({ type: 'device-failed', result: bad });
  events.push({ type: 'run-finished', results: [ok, bad], summary: summarize([ok, bad]) });
  events.end();
  return events;
}

describe('fleet output', () => {
  it('--json prints exactly {results, summary} without durations, exit code 2 on a failure', async () => {
    const stdout = new Capture();
    const report = await printFleetRun(stream(), { mode: 'json', total: 2, stdout, stderr: new Capture() });
    expect(JSON.parse(stdout.text)).toEqual({
      results: [
        { host: 'r1', ok: true, changed: true, commands: ['call-home'], data: { n: 1 }, error: null },
        { host: 'r2', ok: false, changed: false, commands: [], data: {}, error: { kind: 'timeout', message: 'r2: no reply' } },
      ],
      summary: { total: 2, ok: 1, failed: 1, changed: 1 },
    });
    expect(report.exitCode).toBe(2);
  });

  it('on a TTY draws progress on stderr and a table on stdout', async () => {
    const stdout = new Capture();
    const stderr = new Capture();
    await printFleetRun(stream(), { mode: 'table', total: 2, stdout, stderr, view: { detail: () => 'fine' } });
    expect(stderr.text).toContain('2/2 done · 1 failed · 0 running');
    expect(stdout.text).toMatch(/│ r1\s+│ ok\s+│ yes\s+│ fine/);
    expect(stdout.text).toMatch(/│ r2\s+│ FAILED timeout │ no\s+│ r2: no reply/);
    expect(stdout.text).toContain('2 devices: 1 ok, 1 failed, 1 changed');
  });

  it('formats rate and ETA from the progress state', () => {
    let state = startProgress(10, 0);
    for (let i = 0; i < 4; i++) state = advanceProgress(advanceProgress(state, 'started'), 'succeeded');
    state = advanceProgress(state, 'started');
    expect(formatProgress(state, 2000)).toBe('4/10 done · 0 failed · 1 running · 2.0/s · ETA 3s');
  });
});
