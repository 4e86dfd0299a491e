/**
 * The event-stream client: connects to the back end's `/events`, validates every frame, resumes from the
 * last seq it delivered after any disconnect, backs off with jitter, and treats silence as a dead link.
 * The console store and `callhome events` both sit on it.
 */
import { retryAfterSeconds, tokenRefused, tokenThrottled } from './token-problems.js';
import WebSocket from 'ws';
import type { ZodError } from 'zod';
import { BackendEventSchema, ControlFrameSchema, StreamFrameSchema, type BackendEvent } from './protocol.js';

/** The connection state, for a status line. */
export type StreamState =
  | { readonly type: 'connecting'; readonly attempt: number }
  | { readonly type: 'open'; readonly serverLastSeq: number }
  | { readonly type: 'backing-off'; readonly attempt: number; readonly retryInMs: number; readonly reason: string }
  | { readonly type: 'closed' }
  /** The token was refused (401), or refused and slowed down (429, `retryAfterSeconds` set); `message` is the one wording of token-problems.ts. */
  | { readonly type: 'unauthorized'; readonly message: string; readonly retryAfterSeconds: number | null };

/** A frame that failed validation: reported, never thrown. */
export type InvalidFrame = { readonly raw: string; readonly error: string };

/** Options of {@link connectEventStream}. */
export type EventStreamClientOptions = {
  /** Back-end base URL (http/https/ws/wss); `/events` is appended unless the path already ends in it. */
  readonly url: string;
  readonly token: string;
  /** Deliver events after this seq; without it the stream starts at the newest event. */
  readonly since?: number;
  readonly onEvent: (event: BackendEvent) => void;
  readonly onState?: (state: StreamState) => void;
  /** The server's newest seq at each (re)connect. */
  readonly onHello?: (lastSeq: number) => void;
  readonly onInvalidFrame?: (frame: InvalidFrame) => void;
  /** Silence longer than this (no frame, no ping) counts as a dead link (default 45 s: three server pings). */
  readonly heartbeatTimeoutMs?: number;
  /** First back-off delay (default 500 ms); doubles per failed attempt up to `maxBackoffMs` (default 30 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Time allowed for the TCP and WebSocket handshake (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** PEM certificate(s) to trust for a wss:// back end with a private or self-signed certificate. */
  readonly ca?: string;
};

/** A running client. */
export type EventStreamClient = {
  /** Stops for good; the state becomes `closed`. */
  close(): void;
  /** The newest seq delivered to `onEvent` (or the resume point when none yet). */
  lastSeq(): number | undefined;
  /** The current state. */
  state(): StreamState;
};

/** Resolves the `/events` WebSocket URL from a back-end base URL. */
export function eventStreamUrl(base: string, since: number | undefined): URL {
  const url = new URL(base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (!url.pathname.endsWith('/events')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/events`;
  if (since !== undefined) url.searchParams.set('since', String(since));
  else url.searchParams.delete('since');
  return url;
}

/** Back-off delay for `attempt` (1-based): exponential with "equal jitter", so retries from many clients spread out. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Connects to the event stream and keeps it connected until `close()`. */
export function connectEventStream(options: EventStreamClientOptions): EventStreamClient {
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 45_000;
  const initialBackoffMs = options.initialBackoffMs ?? 500;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;

  let resumeFrom = options.since;
  let current: StreamState = { type: 'connecting', attempt: 1 };
  let attempt = 0;
  let stopped = false;
  let socket: WebSocket | undefined;
  let silenceTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const setState = (next: StreamState): void => {
    current = next;
    options.onState?.(next);
  };

  const armSilenceTimer = (ws: WebSocket, ms: number): void => {
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => ws.terminate(), ms);
  };

  const scheduleRetry = (reason: string, immediate: boolean): void => {
    if (stopped) return;
    const retryInMs = immediate ? 0 : backoffDelay(Math.max(attempt, 1), initialBackoffMs, maxBackoffMs);
    setState({ type: 'backing-off', attempt, retryInMs, reason });
    retryTimer = setTimeout(open, retryInMs);
  };

  const handleFrame = (raw: string): void => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      options.onInvalidFrame?.({ raw, error: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    const parsed = StreamFrameSchema.safeParse(json);
    if (!parsed.success) {
      options.onInvalidFrame?.({ raw, error: explainInvalidFrame(json, parsed.error) });
      return;
    }
    const frame = parsed.data;
    switch (frame.type) {
      case 'hello':
        // A server whose log ends before our resume point was reset; start over from its end.
        if (resumeFrom === undefined || frame.lastSeq < resumeFrom) resumeFrom = frame.lastSeq;
        attempt = 0;
        setState({ type: 'open', serverLastSeq: frame.lastSeq });
        options.onHello?.(frame.lastSeq);
        return;
      case 'resync':
        // The server closes with 4008 next; the close handler reconnects at once with since.
        return;
      default:
        if (resumeFrom !== undefined && frame.seq <= resumeFrom) return;
        resumeFrom = frame.seq;
        options.onEvent(frame);
    }
  };

  function open(): void {
    if (stopped) return;
    attempt += 1;
    setState({ type: 'connecting', attempt });
    const ws = new WebSocket(eventStreamUrl(options.url, resumeFrom), {
      headers: { authorization: `Bearer ${options.token}` },
      handshakeTimeout: connectTimeoutMs,
      perMessageDeflate: false,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    });
    socket = ws;
    let unauthorized = false;
    let resync = false;
    let failure = 'connection closed';

    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 1000) body += chunk;
      });
      response.on('end', () => {
        const message = serverError(body) ?? `HTTP ${status}`;
        if (status === 401 || status === 403 || status === 429) {
          unauthorized = true;
          stopped = true;
          // Our own wording, not the server's (which may suggest forms this client does not use).
          const wait = status === 429 ? retryAfterSeconds(response.headers['retry-after']) : null;
          const problem = status === 429 ? tokenThrottled(options.url, wait) : tokenRefused(options.url);
          setState({ type: 'unauthorized', message: `${problem.message} ${problem.tryMessage ?? ''}`.trim(), retryAfterSeconds: wait });
        } else {
          failure = `server refused the stream: ${message}`;
        }
        ws.terminate();
      });
      response.on('error', () => ws.terminate());
    });
    ws.on('open', () => armSilenceTimer(ws, heartbeatTimeoutMs));
    ws.on('ping', () => armSilenceTimer(ws, heartbeatTimeoutMs));
    ws.on('message', (data, isBinary) => {
      armSilenceTimer(ws, heartbeatTimeoutMs);
      if (isBinary) {
        options.onInvalidFrame?.({ raw: '<binary>', error: 'binary frame' });
        return;
      }
      handleFrame(rawText(data));
    });
    ws.on('error', (error) => {
      // Keep the server's own refusal rather than ws's "closed before the connection was established".
      if (!failure.startsWith('server refused')) failure = error.message;
    });
    ws.on('close', (code, reason) => {
      if (silenceTimer) clearTimeout(silenceTimer);
      if (socket === ws) socket = undefined;
      if (unauthorized || stopped) return;
      if (code === 4008) resync = true;
      else if (code !== 1006 || failure === 'connection closed') failure = reason.length > 0 ? `closed ${code}: ${reason.toString()}` : `closed ${code}`;
      scheduleRetry(failure, resync);
    });
  }

  open();

  return {
    close: () => {
      if (stopped && current.type === 'closed') return;
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (silenceTimer) clearTimeout(silenceTimer);
      socket?.close(1000, 'client closing');
      // A peer that never answers the close handshake must not keep the process alive.
      const ws = socket;
      if (ws) setTimeout(() => ws.terminate(), 2_000).unref();
      if (current.type !== 'unauthorized') setState({ type: 'closed' });
    },
    lastSeq: () => resumeFrom,
    state: () => current,
  };
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function serverError(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed && typeof parsed.error === 'string') return parsed.error;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().length > 0 ? body.trim().slice(0, 200) : undefined;
}

/** The union's own error says only "Invalid input"; re-check against the schema the frame's type names. */
function explainInvalidFrame(json: unknown, unionError: ZodError): string {
  const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
  const schema = type === 'hello' || type === 'resync' ? ControlFrameSchema : BackendEventSchema;
  const detail = schema.safeParse(json);
  return detail.success ? describeZodError(unionError) : describeZodError(detail.error);
}

function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(frame)'}: ${issue.message}`).join('; ');
}
