/**
 * Shared pieces of the back-end fault tests: `callhome serve` in a child process, realistic Call Home
 * XML, a keep-alive device loader, a TCP link that can be cut, and a direct look at the SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { ServeOptions } from '../../commands/serve.js';
import { createApiClient } from '../../src/client/api-client.js';
import { DDCE_SERVICE_PATH, type MessageKind } from '../../src/domain/callhome.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { renderXml } from '../../src/callhome/codec.js';
import { assertNever } from '../../src/util/assert-never.js';
import { buildMessage } from '../backend/build-message.js';
import { TOKEN } from '../backend/helpers.js';

/** A `callhome serve --json` child process and where it listens. */
export type ServeProcess = {
  readonly child: ChildProcess;
  readonly url: string;
  readonly httpPort: number;
  readonly smtpPort: number | null;
  /** Settles when the process has exited, with its code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

const spawned = new Set<ChildProcess>();

/** A serve process whose code is loaded and which starts listening on `start()`. */
export type PreparedServe = { start(): Promise<ServeProcess> };

/**
 * Loads the `callhome serve --json` handler for `db` in a child process; `start()` makes it open the
 * database and listen, and resolves once it prints ready. Preparing the replacement before stopping the
 * running process keeps a restart's outage to stop + open + listen. Ports default to free ones; give
 * `smtpPort` to reuse the port of a previous run (a restart on the same address).
 */
export function prepareServe(o: { db: string; httpPort?: number; smtpPort?: number | null }): Promise<PreparedServe> {
  const opts: ServeOptions = { db: o.db, httpPort: o.httpPort ?? 0, token: TOKEN, json: true, httpsSelfSigned: false, host: '127.0.0.1', ...(o.smtpPort !== undefined && o.smtpPort !== null ? { smtpPort: o.smtpPort } : {}) };
  const args = ['--import', 'tsx', fileURLToPath(new URL('./serve-child.ts', import.meta.url)), JSON.stringify(opts)];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CALLHOME_LOG_LEVEL: 'warn' } });
  spawned.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const next = (event: string): Promise<{ http?: number; smtp?: number | null }> =>
    new Promise((resolve, reject) => {
      void exited.then(({ code, signal }) => reject(new Error(`callhome serve exited (${code ?? signal ?? '?'}) before "${event}": ${stderr}`)));
      const onLine = (line: string): void => {
        let frame: { event?: string; http?: number; smtp?: number | null };
        try {
          frame = JSON.parse(line) as typeof frame;
        } catch {
          return;
        }
        if (frame.event !== event) return;
        lines.off('line', onLine);
        resolve(frame);
      };
      lines.on('line', onLine);
    });
  return next('loaded').then(() => ({
    async start() {
      const ready = next('ready');
      child.stdin?.write('go\n');
      const { http, smtp } = await ready;
      if (typeof http !== 'number') throw new Error('callhome serve printed no HTTP port');
      return { child, url: `http://127.0.0.1:${http}`, httpPort: http, smtpPort: smtp ?? null, exited };
    },
  }));
}

/** Starts the `callhome serve --json` handler on `db` in a child process; resolves once it is ready. */
export async function spawnServe(o: { db: string; httpPort?: number; smtpPort?: number | null }): Promise<ServeProcess> {
  return (await prepareServe(o)).start();
}

/** Stops a served process with `signal` and waits until it has exited. */
export async function stopServe(p: ServeProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}

/** Kills every child this module started that is still running (for afterAll). */
export function killSpawned(): void {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  spawned.clear();
}

const KINDS: readonly MessageKind[] = ['syslog', 'diagnostic', 'environment', 'inventory', 'syslog', 'configuration'];

/** Serial of device `d` of a fault-test fleet. */
export function faultSerial(prefix: string, d: number): string {
  return `${prefix}${String(d).padStart(5, '0')}`;
}

/**
 * Message `i` of a load spread over `devices` devices: a mix of alert groups as a real fleet sends,
 * each with command output attached, rendered by the lab's own XML renderer. Ids are unique per `i`.
 */
export function loadMessage(prefix: string, i: number, devices: number): CallHomeMessage {
  const d = i % devices;
  const serialNumber = faultSerial(prefix, d);
  const kind = KINDS[i % KINDS.length] ?? 'syslog';
  const hostname = `${prefix}-${d}`;
  const output = Array.from({ length: 12 }, (_v, k) => `*Nov 23 21:00:${String(k).padStart(2, '0')}.000: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/0/${k}, changed state to ${k % 2 ? 'up' : 'down'}`).join('\n');
  return buildMessage({
    serialNumber,
    hostname,
    messageId: `M${i}:${serialNumber}:${(0x51aeac68 + i).toString(16).toUpperCase()}`,
    kind,
    severity: kind === 'syslog' ? 5 : 2,
    eventName: kind === 'syslog' ? 'LINEPROTO-5-UPDOWN' : '',
    description: kind === 'syslog' ? `%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/0/${i % 48}, changed state to down (${i})` : `${kind} message ${i}`,
    attachments: [{ name: 'show logging', data: `show logging\n${output}\n${hostname}#` }],
  });
}

/** The XML body of {@link loadMessage}. */
export function loadXml(prefix: string, i: number, devices: number): { messageId: string; xml: string } {
  const m = loadMessage(prefix, i, devices);
  return { messageId: m.messageId, xml: renderXml(m) };
}

/** A keep-alive HTTP agent for a device loader with `sockets` connections. */
export function loaderAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

/** Posts Call Home XML as a device does; resolves with the status, rejects when the connection fails. */
export function postDevice(agent: Agent, url: string, xml: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${DDCE_SERVICE_PATH}`, { method: 'POST', agent, headers: { 'content-type': 'application/soap+xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(xml);
  });
}

/** Every stored message id, read page by page through the REST API (what an operator sees). */
export async function apiMessageIds(url: string): Promise<string[]> {
  const client = createApiClient({ url, token: TOKEN });
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.messages({ limit: 1000, cursor });
    for (const m of page.messages) ids.push(m.messageId);
    cursor = page.next ?? undefined;
  } while (cursor);
  return ids;
}

/** What a direct look at the database file finds. */
export type DbLook = { readonly integrity: string; readonly messageIds: string[] };

/** Opens the SQLite file itself (after a crash: as the crash left it) and reads the stored message ids. */
export function lookAtDb(path: string): DbLook {
  const db = new Database(path);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const messageIds = (db.prepare('SELECT message_id FROM messages').all() as { message_id: string }[]).map((r) => r.message_id);
    return { integrity, messageIds };
  } finally {
    db.close();
  }
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

/** How a {@link CuttableLink} connection is broken. */
export type CutMode = 'client-reset' | 'server-reset' | 'black-hole';

/**
 * A TCP relay in front of a server whose connections can be broken on purpose: reset towards the client,
 * reset towards the server (the server side drops first), or black-holed (bytes stop flowing both ways,
 * nothing is closed, as a dead NAT entry or a pulled cable does).
 */
export type CuttableLink = {
  readonly port: number;
  /** Connections currently relayed. */
  open(): number;
  /** Bytes relayed server→client on the newest connection since it opened. */
  bytesDown(): number;
  /** Breaks every open connection; returns how many were broken. */
  cut(mode: CutMode): number;
  close(): Promise<void>;
};

/** Starts a {@link CuttableLink} on 127.0.0.1 towards `targetPort`. */
export async function cuttableLink(targetPort: number): Promise<CuttableLink> {
  type Pair = { readonly client: Socket; readonly upstream: Socket; holed: boolean };
  const pairs = new Set<Pair>();
  let down = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, holed: false };
    pairs.add(pair);
    down = 0;
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => (down += chunk.length));
    upstream.pipe(client);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const live = (): Pair[] => [...pairs].filter((p) => !p.holed);
  return {
    port,
    open: () => live().length,
    bytesDown: () => down,
    cut(mode) {
      const now = live();
      for (const pair of now) {
        switch (mode) {
          case 'client-reset':
            pair.client.resetAndDestroy();
            break;
          case 'server-reset':
            pair.upstream.resetAndDestroy();
            break;
          case 'black-hole':
            // Stop relaying and reading; both ends stay open and hear nothing more.
            pair.holed = true;
            pair.client.unpipe(pair.upstream);
            pair.upstream.unpipe(pair.client);
            pair.client.pause();
            pair.upstream.pause();
            break;
          default:
            assertNever(mode, 'cut mode');
        }
      }
      return now.length;
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
    },
  };
}

/** A raw SMTP client speaking line by line, for tests that stop a listener mid-session. */
export type RawSmtp = {
  /** Writes one command line (CRLF added). */
  write(line: string): void;
  /** Writes bytes as they are (a piece of a mail body). */
  raw(text: string): void;
  /** The next complete reply (multi-line replies joined), e.g. `250 OK`. */
  reply(): Promise<string>;
  /** Settles when the server has closed the connection. */
  readonly ended: Promise<void>;
  destroy(): void;
};

/** Connects to an SMTP listener and waits for the greeting. */
export async function rawSmtp(port: number): Promise<RawSmtp> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const replies: string[] = [];
  const waiting: ((r: string) => void)[] = [];
  let current: string[] = [];
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\r\n'); nl >= 0; nl = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      current.push(line);
      // `250-` continues a reply, `250 ` ends it.
      if (line[3] === '-') continue;
      const reply = current.join('\n');
      current = [];
      const w = waiting.shift();
      if (w) w(reply);
      else replies.push(reply);
    }
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  const session: RawSmtp = {
    write: (line) => socket.write(`${line}\r\n`),
    raw: (text) => socket.write(text),
    reply: () => {
      const r = replies.shift();
      return r !== undefined ? Promise.resolve(r) : new Promise((resolve) => waiting.push(resolve));
    },
    ended,
    destroy: () => socket.destroy(),
  };
  const greeting = await session.reply();
  if (!greeting.startsWith('220')) throw new Error(`unexpected SMTP greeting: ${greeting}`);
  return session;
}
