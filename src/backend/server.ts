/**
 * `startBackend` (contract 3): one process serving device ingest (HTTP(S) + SMTP), the REST API and
 * the `/events` WebSocket stream over one SQLite database.
 */
import type { Socket } from 'node:net';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { generate } from 'selfsigned';
import { DDCE_SERVICE_PATH } from '../domain/callhome.js';
import { createApiHandler } from './api/router.js';
import { CONFIRM_PAGE_PATH, serveConfirmPage } from './entitlement/confirm-page.js';
import { createGatewayHandler, GATEWAY_PREFIX } from './gateway/routes.js';
import { callerChecker } from './api/auth.js';
import { createAuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';
import type { EventLog } from './event-log.js';
import { hostChecker } from './host-check.js';
import type { MailLimitOptions } from './processing/mail-limits.js';
import type { RefusalOptions } from './refusals.js';
import { handleIngest } from './ingest/http-ingest.js';
import { ByteBudget, capConnectionsPerAddress, ClientAborted, resolveLimits, type ResourceLimits } from './limits.js';
import { createParsePool } from './ingest/parse-pool.js';
import { createSmtpIngest, type SmtpIngest } from './ingest/smtp-ingest.js';
import { defaultRulesFile, loadRules } from './processing/rules.js';
import { createBackendService, type BackendService } from './service.js';
import { openStore } from './store/open-store.js';
import { attachEventStream } from './stream/publisher.js';
import type { SrContactDirectory } from './cases/sr-contact.js';

/** How long requests in progress may take to finish when the back end stops. */
const HTTP_CLOSE_GRACE_MS = 10_000;

export type BackendOptions = {
  /** A SQLite file, or a postgres:// URL (several replicas may share one PostgreSQL database). */
  dbPath: string;
  /** 0 = a free port. Default 8080. */
  httpPort?: number;
  /** 0 = a free port; null = no SMTP listener. Default null. */
  smtpPort?: number | null;
  /** Default 127.0.0.1. */
  host?: string;
  /** The bootstrap token: an SCH administrator (issue 15), so scripts and a fresh installation work. */
  token: string;
  /** Life of personal tokens issued by log-in (default 7 days). */
  tokenTtlMs?: number;
  /** Heartbeat of /events: pings, and the check that finds expired tokens of open streams (default 15 s). */
  streamPingIntervalMs?: number;
  https?: { cert: string; key: string } | 'self-signed';
  /** Outgoing notification SMTP relay; without it notifications are recorded only. */
  relay?: { host: string; port: number };
  rulesFile?: string;
  logger?: Logger;
  /** Period of trial reminders / expiry checks and the retention purge (default one hour). */
  maintenanceIntervalMs?: number;
  /** Days of messages and events kept (default 92, three months). */
  retentionDays?: number;
  /** Lock-out of addresses that keep sending wrong tokens to the API or the stream (defaults in auth-throttle.ts). */
  authThrottle?: AuthThrottleOptions;
  /** Host names the API and /events answer to besides the listen address, IP literals and localhost (DNS rebinding guard). */
  serverNames?: readonly string[];
  /** Limits on notification mail to addresses taken from device messages (defaults in processing/mail-limits.ts). */
  mailLimits?: MailLimitOptions;
  /** Refusals recorded one by one per minute, and how long they are kept (defaults in refusals.ts). */
  refusals?: RefusalOptions;
  /** Connection, pending-byte and SMTP DATA time caps (defaults in limits.ts). */
  limits?: ResourceLimits;
  /** Parse worker threads for ingest (default: cores − 1, at least 1; ingest/parse-pool.ts). */
  parseWorkers?: number;
  /** ingest: SQLite on the event loop's thread instead of its database thread (bench:ingest's comparison only). */
  sqliteOnMainThread?: boolean;
  // entitlement
  /** Period of the entitlement pass (expiry, warnings, trial reminders), which also runs at start-up (default one day). */
  entitlementIntervalMs?: number;
  /** The clock of processing and the entitlement pass (tests of expiry). */
  now?: () => Date;
  // sr-notify
  /** SCH Support's address for internal alerts (S62). */
  supportEmail?: string;
  /** The user directory that says who may be an SR contact (§3.6); see cases/sr-contact.ts. */
  srContacts?: SrContactDirectory;
};

export type Backend = {
  url: string;
  httpPort: number;
  smtpPort: number | null;
  eventLog: EventLog;
  service: BackendService;
  /** Resolves when the entitlement pass running now (at first the start-up one, which re-checks every registration) has finished. */
  entitlementPassDone(): Promise<void>;
  close(): Promise<void>;
};

/**
 * A self-signed certificate for the demo and tests. The listen address and localhost are subject
 * alternative names, so a client that trusts this certificate (`ca`) verifies the host too.
 */
export async function selfSignedPair(host: string): Promise<{ cert: string; key: string }> {
  // Type 2 is a DNS name, type 7 an IP address (RFC 5280).
  const altNames: ({ type: 2; value: string } | { type: 7; ip: string })[] = [{ type: 2, value: 'localhost' }, /^[\d.]+$|:/.test(host) ? { type: 7, ip: host } : { type: 2, value: host }];
  const pems = await generate([{ name: 'commonName', value: host }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames }],
  });
  return { cert: pems.cert, key: pems.private };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

/** Starts the back end; resolves once every listener is up. */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger;
  const rules = loadRules(options.rulesFile ?? defaultRulesFile());
  const store = await openStore(options.dbPath, { onError: (e) => logger?.warn({ err: e }, 'database connection lost'), ...(options.sqliteOnMainThread === true ? { sqliteOnMainThread: true } : {}) });
  const accounts = { bootstrapToken: options.token, ...(options.tokenTtlMs !== undefined ? { tokenTtlMs: options.tokenTtlMs } : {}) };
  const service = createBackendService({ store, rules, portalUrl: '', relay: options.relay, logger, accounts, ...(options.retentionDays !== undefined ? { retentionDays: options.retentionDays } : {}), ...(options.refusals ? { refusals: options.refusals } : {}), ...(options.mailLimits ? { mailLimits: options.mailLimits } : {}), supportEmail: options.supportEmail, srContacts: options.srContacts, ...(options.now ? { now: options.now } : {}) });
  const throttle = createAuthThrottle(options.authThrottle);
  const limits = resolveLimits(options.limits);
  const checkHost = hostChecker(host, options.serverNames);
  const budget = new ByteBudget(limits.maxPendingBytes);
  const parsers = createParsePool(options.parseWorkers === undefined ? {} : { workers: options.parseWorkers });
  // The first thread loads while the listeners open: the first device's message must not wait for it.
  parsers.warm();
  const api = createApiHandler(service, callerChecker(service.accounts, throttle), budget);
  const tls = options.https === 'self-signed' ? await selfSignedPair(host) : options.https;
  const scheme = tls ? 'https' : 'http';
  const gateways = createGatewayHandler(service, scheme, budget, parsers);

  const route = (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'bad-url', reason: 'The request target is not a valid URL path.' }));
      return Promise.resolve();
    }
    if (url.pathname === DDCE_SERVICE_PATH) return handleIngest(service, scheme, req, res, budget, parsers);
    if (url.pathname === CONFIRM_PAGE_PATH && req.method === 'GET' && checkHost(req) === null) return Promise.resolve(serveConfirmPage(url, res));
    if (url.pathname.startsWith(GATEWAY_PREFIX)) return gateways(req, res, url.pathname);
    if (!url.pathname.startsWith('/api/v1/')) return Promise.resolve(notFound(res, url.pathname));
    const misdirected = checkHost(req);
    if (misdirected !== null) {
      res.writeHead(421, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: 'misdirected', reason: misdirected }));
      return Promise.resolve();
    }
    return api(req, res, url.pathname.slice('/api/v1'.length), url);
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    // Promise.resolve().then keeps a synchronous throw inside the chain, so it becomes a 500, not a crash.
    Promise.resolve().then(() => route(req, res)).catch((e: unknown) => {
      if (e instanceof ClientAborted) {
        // The client's doing, not ours: one line, no stack trace.
        logger?.info({ remote: req.socket.remoteAddress, path: req.url, bytes: e.bytes }, 'request aborted by the client');
        res.destroy();
        return;
      }
      // S8: an internal failure is a 5xx, so devices count it as failed and retry.
      logger?.error({ err: e, path: req.url }, 'request failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal', reason: 'The back end failed to store or process the request; retry later.' }));
      } else res.destroy();
    });
  };
  const http = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, handler) : createHttpServer(handler);
  http.requestTimeout = 60_000;
  // Over the cap Node closes a new connection at once; per address first, so one client cannot take them all.
  http.maxConnections = limits.maxHttpConnections;
  capConnectionsPerAddress(http, limits.maxHttpConnectionsPerAddress, logger);
  http.on('connection', (socket: Socket) => socket.setNoDelay(true));

  const stream = attachEventStream(http, service.log, { accounts: service.accounts, throttle, checkHost, ...(options.streamPingIntervalMs !== undefined ? { pingIntervalMs: options.streamPingIntervalMs } : {}) });
  let smtp: SmtpIngest | null = null;
  let httpPort = 0;
  let smtpPort: number | null = null;
  const url = (): string => `${scheme}://${host}:${httpPort}`;
  try {
    httpPort = await listen(http, options.httpPort ?? 8080, host);
    if (options.smtpPort !== undefined && options.smtpPort !== null) {
      smtp = createSmtpIngest(service, { tls, limits, budget, logger, parsers });
      smtpPort = await smtp.listen(options.smtpPort, host);
    }
    service.setPortalUrl(url());
    await service.log.append({ type: 'listener.status', listener: scheme, state: 'listening', port: httpPort, error: null });
    if (smtpPort !== null) await service.log.append({ type: 'listener.status', listener: 'smtp', state: 'listening', port: smtpPort, error: null });
  } catch (e) {
    // A back end that cannot start in full does not run in part: every listener it opened goes, with its connections.
    await stream.close().catch(() => undefined);
    http.closeAllConnections();
    await new Promise<void>((resolve) => (http.listening ? http.close(() => resolve()) : resolve()));
    if (smtp?.server.server.listening) await smtp.close();
    await parsers.close();
    await service.close().catch(() => undefined);
    await store.close();
    throw e;
  }
  const maintenance = setInterval(() => {
    service.maintenance().catch((e: unknown) => logger?.error({ err: e }, 'maintenance failed'));
  }, options.maintenanceIntervalMs ?? 3_600_000);
  maintenance.unref();
  // entitlement: the pass runs at start-up, then daily; on several replicas the per-serial locks make each effect happen once.
  let passing: Promise<unknown> = Promise.resolve();
  const entitlementPass = (): void => {
    passing = service.entitlementPass().catch((e: unknown) => logger?.error({ err: e }, 'entitlement pass failed'));
  };
  entitlementPass();
  const entitlementTimer = setInterval(entitlementPass, options.entitlementIntervalMs ?? 86_400_000);
  entitlementTimer.unref();

  let closing: Promise<void> | null = null;
  return {
    url: url(),
    httpPort,
    smtpPort,
    eventLog: service.log,
    service,
    entitlementPassDone: async () => {
      await passing;
    },
    close() {
      closing ??= (async () => {
        clearInterval(maintenance);
        clearInterval(entitlementTimer);
        await passing;
        for (const [listener, port] of [[scheme, httpPort], ['smtp', smtpPort]] as const) {
          try {
            if (port !== null) await service.log.append({ type: 'listener.status', listener, state: 'stopped', port, error: null });
          } catch (e) {
            // Shutting down must finish even when the database is already gone.
            logger?.warn({ err: e }, 'recording listener stop failed');
          }
        }
        await stream.close();
        await Promise.all([
          new Promise<void>((resolve) => {
            // Drain: idle keep-alive connections go now; a request in progress may finish (its message is
            // committed either way, but only a delivered 200 spares the device a retry), up to a grace period.
            const force = setTimeout(() => http.closeAllConnections(), HTTP_CLOSE_GRACE_MS);
            http.close(() => {
              clearTimeout(force);
              resolve();
            });
            http.closeIdleConnections();
          }),
          smtp?.close(),
        ]);
        await parsers.close();
        await service.close();
        await store.close();
      })();
      return closing;
    },
  };
}

function notFound(res: ServerResponse, path: string): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not-found', reason: `Nothing is served at ${path}. Devices post to ${DDCE_SERVICE_PATH}; the API is under /api/v1.` }));
}
