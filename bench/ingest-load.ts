/**
 * The ingest benchmark's load generator, run in its own process (child_process.fork from bench/ingest.ts)
 * so that it does not share an event loop with the back end. It posts ~10 KB Call Home XML over
 * keep-alive connections and reports each phase's rate and HTTP latency back over IPC.
 */
import { Agent, request } from 'node:http';
import { z } from 'zod';
import { DDCE_SERVICE_PATH } from '../src/domain/callhome.js';
import { connectEventStream } from '../src/events/client.js';
import { benchMessageId, benchTemplates, MESSAGE_ID_PLACEHOLDER, nowUs, percentile, sentAtFromMessageId } from './ingest-message.js';

/** What the parent asks for. */
export const LoadCommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('max'), url: z.string(), count: z.number().int().positive(), concurrency: z.number().int().positive() }),
  // withLarge: one ~3 MiB message (escaped show output) is posted half way through the phase.
  z.object({ type: z.literal('steady'), url: z.string(), token: z.string(), rate: z.number().positive(), seconds: z.number().positive(), withLarge: z.boolean().optional() }),
  z.object({ type: z.literal('exit') }),
]);
export type LoadCommand = z.infer<typeof LoadCommandSchema>;

/** What a phase reports. */
export type PhaseReport = {
  readonly type: 'report';
  readonly phase: 'max' | 'steady';
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly rate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly firstError: string | null;
  /** Device-to-WebSocket-client latency (steady phase only): event receipt − request send. */
  readonly events?: { readonly received: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /** Steady phase: every sample, so that the parent can pool several phases' percentiles. */
  readonly samples?: { readonly httpMs: readonly number[]; readonly eventMs: readonly number[] };
  /** The ~3 MiB message of a `withLarge` phase: its HTTP answer. */
  readonly large?: { readonly bytes: number; readonly ok: boolean; readonly ms: number; readonly error: string | null };
};

const templates = benchTemplates();
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
let counter = 0;

/** A template whose attachment is ~3 MiB of escaped show output: the largest message a device sends. */
function largeBody(): string {
  const template = templates[0] ?? '';
  const line = '&lt;189&gt;%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down &amp; up\n';
  const data = line.repeat(Math.floor((3_145_728 - template.length - 1024) / line.length));
  return template.replace(/(<aml-block:Data[^>]*>)[\s\S]*?(<\/aml-block:Data>)/, `$1${data}$2`);
}

function post(url: URL, phase: string, template?: string): Promise<{ ok: boolean; ms: number; error?: string }> {
  counter += 1;
  const t = counter % templates.length;
  const sentAtUs = nowUs();
  const body = (template ?? templates[t] ?? '').replace(MESSAGE_ID_PLACEHOLDER, benchMessageId(phase, counter, t, sentAtUs));
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, path: DDCE_SERVICE_PATH, method: 'POST', agent, headers: { 'content-type': 'application/soap+xml; charset=utf-8', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const ok = res.statusCode === 200;
          resolve({ ok, ms: performance.now() - start, ...(ok ? {} : { error: `HTTP ${res.statusCode ?? 0}: ${text.slice(0, 200)}` }) });
        });
      },
    );
    req.on('error', (error) => resolve({ ok: false, ms: performance.now() - start, error: error.message }));
    req.end(body);
  });
}

function report(phase: PhaseReport['phase'], results: { ok: boolean; ms: number; error?: string }[], seconds: number): PhaseReport {
  const ok = results.filter((r) => r.ok);
  const latencies = ok.map((r) => r.ms).sort((a, b) => a - b);
  return {
    type: 'report',
    phase,
    sent: results.length,
    ok: ok.length,
    failed: results.length - ok.length,
    seconds,
    rate: ok.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    firstError: results.find((r) => !r.ok)?.error ?? null,
  };
}

/** `url` of a command: one back end, or several replicas separated by commas (posts go round-robin). */
function urlList(url: string): URL[] {
  return url.split(',').map((u) => new URL(u));
}

let turn = 0;
function roundRobin(urls: readonly URL[]): URL {
  const url = urls[turn++ % urls.length];
  if (!url) throw new Error('bench: no back-end URL');
  return url;
}

/** Closed loop: `concurrency` requests always in flight until `count` are done. */
async function maxRate(urls: readonly URL[], count: number, concurrency: number): Promise<PhaseReport> {
  const results: { ok: boolean; ms: number; error?: string }[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        results.push(await post(roundRobin(urls), 'MAX'));
      }
    }),
  );
  return report('max', results, (performance.now() - start) / 1000);
}

/** Subscribes to the back end's /events as a console would, timing each steady-phase message. */
async function watchEvents(url: string, token: string): Promise<{ latenciesMs: number[]; close(): void }> {
  const latenciesMs: number[] = [];
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const client = connectEventStream({
    url,
    token,
    onEvent: (event) => {
      if (event.type !== 'message.received') return;
      const sent = sentAtFromMessageId(event.message.messageId);
      if (sent?.phase === 'STD') latenciesMs.push((nowUs() - sent.sentAtUs) / 1000);
    },
    onState: (state) => {
      if (state.type === 'open') opened();
      if (state.type === 'unauthorized') throw new Error(`bench: the event stream refused the token: ${state.message}`);
    },
  });
  await open;
  return { latenciesMs, close: () => client.close() };
}

/** Open loop: requests leave on schedule (`rate` per second) whatever the responses do. */
async function steady(urls: readonly URL[], token: string, rate: number, seconds: number, withLarge = false): Promise<PhaseReport> {
  // The client watches the first replica; it must get every replica's events.
  const watcher = await watchEvents(urls[0]?.href ?? '', token);
  const total = Math.round(rate * seconds);
  const pending: Promise<{ ok: boolean; ms: number; error?: string }>[] = [];
  const large = withLarge ? largeBody() : null;
  let largeReply: Promise<{ ok: boolean; ms: number; error?: string }> | null = null;
  const start = performance.now();
  while (pending.length < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    while (pending.length < due) pending.push(post(roundRobin(urls), 'STD'));
    // The large message is not a 'STD' one: the stream's latencies stay those of the steady messages.
    if (large && !largeReply && pending.length >= total / 2) largeReply = post(roundRobin(urls), 'BIG', large);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const results = await Promise.all(pending);
  const largeResult = largeReply ? await largeReply : null;
  const seconds_ = (performance.now() - start) / 1000;
  const okCount = results.filter((r) => r.ok).length;
  // Every acknowledged message is published after its commit; wait (bounded) for the stragglers.
  const deadline = Date.now() + 10_000;
  while (watcher.latenciesMs.length < okCount && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  watcher.close();
  const sorted = [...watcher.latenciesMs].sort((a, b) => a - b);
  return {
    ...report('steady', results, seconds_),
    events: { received: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? Number.NaN },
    samples: { httpMs: results.filter((r) => r.ok).map((r) => r.ms), eventMs: sorted },
    ...(largeResult ? { large: { bytes: large?.length ?? 0, ok: largeResult.ok, ms: largeResult.ms, error: largeResult.error ?? null } } : {}),
  };
}

process.on('message', (raw: unknown) => {
  const command = LoadCommandSchema.parse(raw);
  const send = (value: PhaseReport): void => {
    process.send?.(value);
  };
  switch (command.type) {
    case 'max':
      void maxRate(urlList(command.url), command.count, command.concurrency).then(send);
      return;
    case 'steady':
      void steady(urlList(command.url), command.token, command.rate, command.seconds, command.withLarge ?? false).then(send);
      return;
    case 'exit':
      agent.destroy();
      process.disconnect();
      return;
    default:
      command satisfies never;
  }
});
process.send?.({ type: 'ready' });
