/** Shared pieces of the security suite: raw HTTP and WebSocket requests from a chosen loopback address. */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';

export type RawReply = { status: number; headers: IncomingHttpHeaders; body: string };

/**
 * One HTTP request with full control of headers and of the local address (127.0.0.2 is another
 * client to the server, since all of 127/8 is loopback).
 */
export function rawRequest(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: init.method ?? 'GET', headers: init.headers ?? {}, ...(init.localAddress ? { localAddress: init.localAddress } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Opens `/events` and reports the HTTP status of the upgrade answer (101 when it opened); closes at once. */
export function upgradeStatus(base: string, path: string, init: { headers?: Record<string, string>; localAddress?: string } = {}): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(new URL(path, base.replace(/^http/, 'ws')), { headers: init.headers ?? {}, ...(init.localAddress ? { localAddress: init.localAddress } : {}) });
    ws.on('unexpected-response', (_req, res) => {
      const retryAfter = res.headers['retry-after'];
      res.resume();
      resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
      ws.terminate();
    });
    ws.on('open', () => {
      resolve({ status: 101, retryAfter: undefined });
      ws.close();
    });
    ws.on('error', (e) => reject(e));
  });
}

/** Polls `fn` until `ok(value)` holds (no fixed sleeps), or throws after `timeoutMs`. */
export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A hand-driven SMTP client: the tests need to see EHLO extensions and send what no mailer would. */
export type RawSmtp = {
  /** Sends one command line (CRLF added) and resolves with the complete reply. */
  command(line: string): Promise<{ code: number; text: string }>;
  /** Resolves with the next complete reply (the greeting, or the answer after DATA's dot). */
  reply(): Promise<{ code: number; text: string }>;
  /** Writes raw bytes; resolves when the socket has taken them (back-pressure respected). */
  write(data: string | Buffer): Promise<void>;
  close(): void;
};

/** Connects to an SMTP listener on loopback. */
export async function rawSmtp(port: number): Promise<RawSmtp> {
  const { connect } = await import('node:net');
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  let buffer = '';
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    let i: number;
    while ((i = buffer.indexOf('\r\n')) >= 0) {
      lines.push(buffer.slice(0, i));
      buffer = buffer.slice(i + 2);
    }
    wake?.();
  });
  socket.on('close', () => wake?.());
  const reply = async (): Promise<{ code: number; text: string }> => {
    const got: string[] = [];
    for (;;) {
      const line = lines.shift();
      if (line === undefined) {
        if (socket.destroyed) throw new Error(`SMTP connection closed; got ${JSON.stringify(got)}`);
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        continue;
      }
      got.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) return { code: Number(line.slice(0, 3)), text: got.join('\n') };
    }
  };
  const write = (data: string | Buffer): Promise<void> => new Promise((resolve, reject) => socket.write(data, (e) => (e ? reject(e) : resolve())));
  return {
    reply,
    write,
    async command(line) {
      await write(`${line}\r\n`);
      return reply();
    },
    close: () => socket.destroy(),
  };
}
