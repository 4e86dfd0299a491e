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
