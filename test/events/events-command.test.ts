import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvents, type EventsOptions } from '../../commands/events.js';
import { AbortError } from '../../src/errors.js';
import { BackendEventSchema } from '../../src/events/protocol.js';
import { postXml, sampleWith, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { waitFor } from '../backend/stream/helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, deps: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
}

const base: EventsOptions = { ndjson: true, follow: false };

describe('callhome events', () => {
  let backend: TestBackend;
  let before: number;

  beforeAll(async () => {
    backend = await startTestBackend();
    before = await backend.eventLog.lastSeq();
    for (let i = 0; i < 3; i++) {
      const { status } = await postXml(backend.url, sampleWith({ serial: `EVT${i}0000001`, messageId: `M${i}:EVT:0001` }));
      expect(status).toBe(200);
    }
    // One refusal, so more than one event type is in the log.
    expect((await postXml(backend.url, 'not xml at all', 'text/xml')).status).toBeGreaterThanOrEqual(400);
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('--ndjson --since N --no-follow prints every stored event after N, one JSON object per line, and exits', async () => {
    const c = capture();
    await runEvents({ ...base, since: before }, { ...c.deps, connection: { url: backend.url, token: TOKEN } });
    const lines = c.out.join('').trimEnd().split('\n');
    const events = lines.map((line) => BackendEventSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: (await backend.eventLog.lastSeq()) - before }, (_, i) => before + 1 + i));
    const received = events.filter((e) => e.type === 'message.received');
    expect(received).toHaveLength(3);
    expect(events.some((e) => e.type === 'message.rejected')).toBe(true);
    expect(c.err).toEqual([]);
  });

  it('--type keeps only the named types; human mode prints readable lines', async () => {
    const c = capture();
    await runEvents({ ...base, ndjson: false, since: before, type: ['message.received'] }, { ...c.deps, connection: { url: backend.url, token: TOKEN } });
    const lines = c.out.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^#\d+ \S+ message\.received .*\(EVT\d0000001\) syslog/);
  });

  it('follows live events until the signal aborts', async () => {
    const c = capture();
    const stop = new AbortController();
    // Resume from the current end, so the live post cannot race the connect.
    const from = await backend.eventLog.lastSeq();
    const run = runEvents({ ...base, follow: true, since: from }, { ...c.deps, connection: { url: backend.url, token: TOKEN }, signal: stop.signal });
    const { status } = await postXml(backend.url, sampleWith({ serial: 'EVTLIVE0001', messageId: 'M9:EVT:LIVE' }));
    expect(status).toBe(200);
    await waitFor(() => c.out.join('').includes('EVTLIVE0001'), 10_000, 'the live event');
    stop.abort();
    await run;
    const live = c.out.map((line) => BackendEventSchema.parse(JSON.parse(line)));
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((e) => e.seq > from)).toBe(true);
  });

  it('exits with a clear AbortError on a wrong token or an unreachable back end', async () => {
    const c = capture();
    const wrong = runEvents(base, { ...c.deps, connection: { url: backend.url, token: 'wrong' } });
    await expect(wrong).rejects.toBeInstanceOf(AbortError);
    await expect(runEvents(base, { ...c.deps, connection: { url: backend.url, token: 'wrong' } })).rejects.toThrow(/refused the token/);
    await expect(runEvents(base, { ...c.deps, connection: { url: 'http://127.0.0.1:1', token: TOKEN } })).rejects.toThrow(/Cannot reach the back end/);
    await expect(runEvents(base, { ...c.deps, connection: { url: backend.url, token: undefined } })).rejects.toThrow(/No API token/);
  });

  it('runs end to end through bin/callhome.ts, exiting 1 with the reason on a wrong token', { timeout: 90_000 }, async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/callhome.ts', 'events', ...args, '--backend', backend.url], {
        cwd: root,
        env: { ...process.env, CALLHOME_CONFIG_DIR: backend.dir },
        timeout: 80_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    // Both processes at once: each spends seconds loading TypeScript.
    const [ok, failed] = await Promise.all([run(['--ndjson', '--since', String(before), '--no-follow', '--token', TOKEN]), run(['--no-follow', '--token', 'bad'])]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; type: string });
    expect(lines[0]?.seq).toBe(before + 1);
    expect(lines.every((l) => typeof l.seq === 'number' && typeof l.type === 'string')).toBe(true);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/refused the token[\s\S]*--token-file/);
  });
});
