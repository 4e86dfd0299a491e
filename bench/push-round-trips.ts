/**
 * `npm run bench:push-round-trips -- [--rtt-ms 20] [--line-by-line] [--quiet]`
 *
 * Counts the round trips of one push session (push + read-back verify + save of the docs/cli.md
 * desired configuration) to one lab device whose link adds `--rtt-ms`: every packet the client
 * receives is timestamped, with ssh2's name for it, and a packet arriving more than half an RTT after
 * the client last wrote starts a new round trip. Load barely matters here: the count is of waits.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ssh2 from 'ssh2';
import { runFleetPush } from '../commands/push.js';
import { startLab } from '../src/lab/devices.js';
import { SettingsSchema } from '../src/settings.js';
import { isMain, loadAverageText, numberArg } from './support.js';

export type Event = { readonly at: number; readonly what: string; readonly inbound: boolean; readonly packet: boolean };

class Sink extends Writable {
  override _write(_chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    done();
  }
}

/** Timestamps every TCP chunk and ssh2 message of the connections opened while `run` runs. */
async function recordPackets<T>(run: () => Promise<T>): Promise<{ result: T; events: Event[] }> {
  const events: Event[] = [];
  const startedAt = performance.now();
  const at = (): number => performance.now() - startedAt;
  const connect = net.connect;
  const mutableNet = net as { connect: typeof net.connect };
  mutableNet.connect = ((...args: Parameters<typeof net.connect>) => {
    const socket = connect(...args);
    socket.on('data', (data: Buffer) => events.push({ at: at(), what: `<- ${data.length} bytes`, inbound: true, packet: true }));
    const write = socket.write.bind(socket) as (chunk: Buffer | string, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
      events.push({ at: at(), what: `-> ${chunk.length} bytes`, inbound: false, packet: true });
      return write(chunk, ...rest);
    }) as typeof socket.write;
    return socket;
  }) as typeof net.connect;
  const clientConnect = ssh2.Client.prototype.connect;
  ssh2.Client.prototype.connect = function (this: ssh2.Client, config: ssh2.ConnectConfig) {
    const debug = (message: string): void => {
      if (/^(Inbound|Outbound): /.test(message) && !/CHANNEL_WINDOW_ADJUST/.test(message)) events.push({ at: at(), what: `   ${message}`, inbound: message.startsWith('Inbound'), packet: false });
    };
    return clientConnect.call(this, { ...config, debug });
  };
  try {
    return { result: await run(), events };
  } finally {
    mutableNet.connect = connect;
    ssh2.Client.prototype.connect = clientConnect;
  }
}

/** Round trips: inbound packets that arrive at least half an RTT after the last outbound write. */
function countRoundTrips(events: readonly Event[], rttMs: number): { count: number; marks: Set<Event> } {
  const marks = new Set<Event>();
  let lastOut = Number.NaN;
  let waiting = false;
  for (const event of events) {
    if (!event.packet) continue;
    if (!event.inbound) {
      lastOut = event.at;
      waiting = true;
    } else if (waiting && event.at - lastOut >= rttMs / 2) {
      marks.add(event);
      waiting = false;
    }
  }
  return { count: marks.size, marks };
}

/** What one push session to one lab device at `rttMs` measured. */
export type RoundTrips = { readonly roundTrips: number; readonly ms: number; readonly ok: boolean; readonly error: string | null; readonly events: readonly Event[]; readonly marks: ReadonlySet<Event>; readonly transcript: string };

/** One push + verify + save of the docs/cli.md desired configuration to one lab device at `rttMs`, its packets counted. */
export async function measureRoundTrips(options: { readonly rttMs: number; readonly lineByLine: boolean }): Promise<RoundTrips> {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-round-trips-'));
  try {
    const desired = join(dir, 'desired.yaml');
    copyFileSync(join(import.meta.dirname, '..', 'test/fixtures/desired/cli-md-example.yaml'), desired);
    const lab = await startLab({ devices: 1, stateDir: join(dir, 'state'), faults: { r1: { rttMs: options.rttMs } } });
    try {
      await lab.writeInventory(join(dir, 'inventory.yaml'));
      await lab.writeKnownHosts(join(dir, 'known_hosts'));
      const settings = SettingsSchema.parse({ timeout: 30, connectTimeout: 30 });
      const logDir = join(dir, 'logs');
      const { result: report, events } = await recordPackets(() =>
        runFleetPush(
          { inventory: join(dir, 'inventory.yaml'), knownHosts: join(dir, 'known_hosts'), json: true, config: desired, save: true, lineByLine: options.lineByLine, logDir },
          { stdout: new Sink(), settings, env: {} },
        ),
      );
      const { count, marks } = countRoundTrips(events, options.rttMs);
      const result = report.results[0];
      return {
        roundTrips: count,
        ms: result?.durationMs ?? 0,
        ok: result?.ok === true,
        error: result?.error?.message ?? null,
        events,
        marks,
        transcript: readFileSync(join(logDir, 'r1.log'), 'utf8'),
      };
    } finally {
      await lab.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rttMs = numberArg('rtt-ms', 20);
  const lineByLine = process.argv.includes('--line-by-line');
  const run = await measureRoundTrips({ rttMs, lineByLine });
  if (!process.argv.includes('--quiet')) {
    let trip = 0;
    for (const event of run.events) {
      if (run.marks.has(event)) trip += 1;
      console.log(`${event.at.toFixed(1).padStart(8)} ms ${run.marks.has(event) ? `#${String(trip).padEnd(3)}` : '    '} ${event.what}`);
    }
    console.log(`\ntranscript:\n${run.transcript}`);
  }
  console.log(
    `${lineByLine ? 'line by line' : 'pipelined'} push + verify + save at ${rttMs} ms RTT: ${run.ok ? 'ok' : `FAILED (${run.error ?? '?'})`}, ` +
      `${run.roundTrips} round trips, ${run.ms.toFixed(0)} ms (${(run.ms / rttMs).toFixed(1)} RTT), load ${loadAverageText()}`,
  );
}

if (isMain(import.meta.url)) await main();
