import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { StreamFrameSchema, type StreamFrame } from '../../../src/events/protocol.js';

/** A plain HTTP server on 127.0.0.1, port 0 unless given. */
export async function listen(port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Closes a server, cutting any connection still open. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Resolves when `predicate` holds, polling on the event loop; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A raw ws client that records every validated frame and how it closed. */
export type Recorder = {
  ws: WebSocket;
  frames: StreamFrame[];
  seqs(): number[];
  closed: Promise<{ code: number; reason: string }>;
};

/** Opens a raw ws client; resolves once open, or rejects with the HTTP status it was refused with. */
export async function record(url: string, options: WebSocket.ClientOptions = {}): Promise<Recorder> {
  const ws = new WebSocket(url, options);
  const frames: StreamFrame[] = [];
  ws.on('message', (data) => frames.push(StreamFrameSchema.parse(JSON.parse(String(data)))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode ?? 0}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    closed,
    seqs: () => frames.flatMap((f) => ('seq' in f ? [f.seq] : [])),
  };
}

/** 1..n */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
