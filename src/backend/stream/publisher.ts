/**
 * The `/events` WebSocket endpoint: token checked before the upgrade, `since=SEQ` resume,
 * ping/pong heartbeats and a bounded buffer per client (issue 4, spec S94).
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BackendEvent } from '../../events/protocol.js';
import { visibleTo } from '../accounts/audience.js';
import type { Caller } from '../accounts/model.js';
import { authenticate, clientAddress, type AuthThrottle } from '../auth-throttle.js';
import type { HostCheck } from '../host-check.js';
import { presentedToken, tokenMatches } from './auth.js';
import type { EventSource } from './event-source.js';
import { CLOSE_GOING_AWAY, StreamSession, type SessionStats } from './session.js';

/** Options of {@link attachEventStream}. */
export type EventStreamOptions = {
  /** A single bearer token (its holder sees every event); `accounts` replaces it in the back end. */
  readonly token?: string;
  /**
   * accounts (issue 15): who a token stands for, and who they are now (roles change, tokens are revoked or
   * expire while a stream is open). Each client sees only its companies' events.
   */
  readonly accounts?: { authenticate(token: string): Promise<Caller | null>; refresh(caller: Caller): Promise<Caller | null> };
  /** Events one client may have in flight before the rest is read from the log instead (default 1000). */
  readonly maxBufferedEvents?: number;
  /** Bytes one client may have queued in its socket before it is told to resync and closed with 4008 (default 4 MiB). */
  readonly maxBufferedBytes?: number;
  /** Ping period; a peer that misses one pong is terminated at the next tick (default 15 s). */
  readonly pingIntervalMs?: number;
  /** Events per backfill page (default 500). */
  readonly pageSize?: number;
  /** A client told to resync or to go away that has not closed after this long is cut off (default 5 s). */
  readonly closeGraceMs?: number;
  /** URL path of the endpoint (default `/events`). */
  readonly path?: string;
  /** Slows down addresses that keep presenting wrong tokens (shared with the REST API). */
  readonly throttle?: AuthThrottle;
  /** Refuses upgrades whose Host or Origin is not a name the service answers to (DNS rebinding). */
  readonly checkHost?: HostCheck;
};

/** A running event stream attached to an HTTP(S) server. */
export type EventStream = {
  /** Closes every client with 1001 and detaches from the server. */
  close(): Promise<void>;
  /** Re-reads the callers of open streams (after role or token changes); closes those whose token stopped working. */
  revalidate(userId?: string): Promise<void>;
  /** One entry per connected client. */
  clients(): SessionStats[];
};

const CLOSE_GRACE_MS = 5_000;
/** WebSocket close code: the token was revoked or expired (or its user deleted); log in again. */
export const CLOSE_TOKEN_REVOKED = 4401;
/** The one caller of a single-token stream. */
const TOKEN_HOLDER: Caller = { userId: 'token', name: 'token holder', schAdmin: true, tokenId: null, roles: new Map(), agreementPending: false };
/** Clients only send control frames; anything large is abuse. */
const MAX_CLIENT_PAYLOAD = 4 * 1024;

/**
 * Serves `GET /events?since=SEQ` upgrades on `server`, streaming `log`'s events.
 * Refuses a missing or wrong token with 401 and a bad `since` with 400, before upgrading.
 */
export function attachEventStream(server: HttpServer | HttpsServer, log: EventSource, options: EventStreamOptions): EventStream {
  const path = options.path ?? '/events';
  const limits = {
    maxBufferedEvents: options.maxBufferedEvents ?? 1000,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    pageSize: options.pageSize ?? 500,
    closeGraceMs: options.closeGraceMs ?? CLOSE_GRACE_MS,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_PAYLOAD, perMessageDeflate: false });
  const sessions = new Map<WebSocket, StreamSession>();
  /** The caller of each open stream; replaced when their roles change. */
  const callers = new Map<WebSocket, Caller>();
  const accounts = options.accounts;
  const identify = (token: string): Promise<Caller | null> => {
    if (accounts) return accounts.authenticate(token);
    return Promise.resolve(options.token !== undefined && tokenMatches(token, options.token) ? TOKEN_HOLDER : null);
  };
  /** Re-reads callers (all, or one user's); a token that no longer works closes its stream at once. */
  const revalidate = async (userId?: string): Promise<void> => {
    if (!accounts) return;
    for (const [ws, caller] of [...callers]) {
      if (userId !== undefined && caller.userId !== userId) continue;
      const now = await accounts.refresh(caller).catch(() => caller);
      if (now === null) sessions.get(ws)?.close(CLOSE_TOKEN_REVOKED, 'token revoked or expired: log in again');
      else if (callers.has(ws)) callers.set(ws, now);
    }
  };
  let nextId = 1;
  let closed = false;

  const unsubscribe = log.subscribe((event: BackendEvent) => {
    // Revocations and role changes reach every replica through the log: act on them before delivering.
    if (event.type === 'audit' && accounts) {
      const { action, target, detail } = event.entry;
      if (action === 'token.revoked') {
        for (const [ws, caller] of callers) if (caller.tokenId === target) sessions.get(ws)?.close(CLOSE_TOKEN_REVOKED, 'token revoked: log in again');
      } else if (action === 'user.added' || action === 'user.deleted' || action === 'user.role-changed' || action === 'agreement.accepted' || action === 'registration.confirmed') {
        void revalidate(action === 'registration.confirmed' ? event.entry.actor : target);
      } else if (action === 'directory.imported' && typeof detail['users'] === 'number') void revalidate();
    }
    // Never let a client problem propagate into the back end's append path.
    try {
      if (sessions.size === 0) return;
      const json = JSON.stringify(event);
      for (const session of sessions.values()) session.offer(event, json);
    } catch {
      // A failing socket closes itself; the client resumes with since.
    }
  });

  const heartbeat = setInterval(() => {
    for (const session of sessions.values()) session.heartbeat();
    // Expired tokens are found here (revocations close at once, above).
    void revalidate();
  }, options.pingIntervalMs ?? 15_000);
  heartbeat.unref();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      // Another upgrade handler may own this path; answer only when nobody else will.
      if (server.listenerCount('upgrade') === 1) refuse(socket, 404, `No WebSocket endpoint at ${url.pathname}; the event stream is at ${path}.`);
      return;
    }
    if (closed) return refuse(socket, 503, 'The event stream is shutting down; reconnect later.');
    const misdirected = options.checkHost?.(request) ?? null;
    if (misdirected !== null) return refuse(socket, 421, misdirected);
    void authenticate(options.throttle, clientAddress(request.socket), presentedToken(request, url), identify).then(
      (auth) => {
        if (auth.kind === 'throttled') {
          // Answered late, like the API: guessing goes no faster than the lock-out.
          const late = setTimeout(() => refuse(socket, 429, `Too many wrong tokens; this one is wrong too. Wrong tokens are slowed for ${auth.retryAfterSeconds} s; the right token is always accepted.`, auth.retryAfterSeconds), auth.delayMs);
          socket.once('close', () => clearTimeout(late));
          return;
        }
        if (auth.kind !== 'ok') return refuse(socket, 401, 'Missing, wrong, expired or revoked token: send `Authorization: Bearer TOKEN` or `?token=TOKEN` (a token from `callhome login`).');
        if (auth.who.agreementPending) return refuse(socket, 403, 'Accept the legal agreement first (GET /api/v1/agreement, then POST /api/v1/agreement).');
        const since = parseSince(url.searchParams.get('since'));
        if (since === 'invalid') return refuse(socket, 400, 'since must be a non-negative integer event seq.');
        if (closed || socket.destroyed) return socket.destroy();
        wss.handleUpgrade(request, socket, head, (ws) => {
          const remote = `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`;
          callers.set(ws, auth.who);
          const visible = (e: BackendEvent): boolean => {
            const caller = callers.get(ws);
            return caller !== undefined && visibleTo(e, caller);
          };
          const session = new StreamSession(nextId++, ws, remote, log, limits, since, visible);
          sessions.set(ws, session);
          ws.on('close', () => {
            sessions.delete(ws);
            callers.delete(ws);
          });
          ws.on('error', () => ws.terminate());
          // Clients have nothing to say; ignore whatever they send.
          ws.on('message', () => undefined);
          session.start();
        });
      },
      () => refuse(socket, 503, 'The accounts could not be read; reconnect later.'),
    );
  };
  server.on('upgrade', onUpgrade);

  return {
    revalidate,
    clients: () => [...sessions.values()].map((s) => s.stats()),
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      server.off('upgrade', onUpgrade);
      const gone = [...sessions.keys()].map(
        (ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))),
      );
      for (const session of sessions.values()) session.close(CLOSE_GOING_AWAY, 'server shutting down');
      await Promise.all(gone);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `?since=` → a seq, undefined when absent, or 'invalid'. */
function parseSince(raw: string | null): number | undefined | 'invalid' {
  if (raw === null || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) return 'invalid';
  return Number(raw);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 421: 'Misdirected Request', 429: 'Too Many Requests', 503: 'Service Unavailable' };

function refuse(socket: Duplex, status: 400 | 401 | 403 | 404 | 421 | 429 | 503, message: string, retryAfterSeconds?: number): void {
  const body = JSON.stringify({ error: message });
  const auth = (status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '') + (retryAfterSeconds !== undefined ? `Retry-After: ${retryAfterSeconds}\r\n` : '');
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${auth}Connection: close\r\n\r\n${body}`,
  );
}
