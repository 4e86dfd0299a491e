/**
 * `startGateway`: the Transport Gateway (S81–S88) in one process. Devices post Call Home XML to the
 * same DDCEService path as the service, or mail it over SMTP; each message is fsynced into the queue
 * before it is acknowledged, then forwarded to the service (forward.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { DDCE_SERVICE_PATH, MAX_MESSAGE_SIZE } from '../domain/callhome.js';
import { refusalStatus, type Refusal } from '../backend/ingest/refusal.js';
import { ByteBudget } from '../backend/limits.js';
import { readBody } from '../backend/read-body.js';
import type { Result } from '../util/result.js';
import type { GatewayStatus } from '../events/protocol.js';
import type { GatewayEvent } from './events.js';
import { startForwarder, type Credentials, type Forwarder } from './forward.js';
import type { HttpTarget } from './http-post.js';
import { startMailboxPoller, type MailboxOptions, type MailboxPoller } from './mailbox.js';
import { logDir, openGatewayLogs, pruneLogs } from './logs.js';
import { openQueue, type IntakeKind, type Queue, type QueueEntry } from './queue.js';
import { startStatusReporter, type StatusReporter } from './report.js';
import { sniffMail, sniffXml, type Sniffed } from './sniff.js';
import { storeFullMailer, type StoreFullMailOptions } from './store-full-mail.js';

/** MIME and base64 overhead on top of the 3 MiB Call Home message limit (as the service's SMTP listener). */
const SMTP_SIZE_LIMIT = Math.ceil(MAX_MESSAGE_SIZE * 1.4) + 64 * 1024;
const ACCEPTED_TYPES = ['application/soap+xml', 'application/xml', 'text/xml'];
const HOLD_AFTER_MS = 3 * 3600_000;
const PURGE_AFTER_MS = 2 * 24 * 3600_000;
export const HELD_BY_FLAG = 'Send flag is No: waiting for `callhome gateway send`';
export const HELD_BY_AGE = 'not forwarded within 3 hours: waiting for `callhome gateway send` or `drop`';

/** The Send flag (S85), kept in the queue file so `callhome gateway send-flag` reaches a running gateway. Default yes. */
export function sendFlag(queue: Queue): boolean {
  return queue.setting('send') !== 'no';
}

export type GatewayOptions = {
  readonly queueDir: string;
  readonly target: HttpTarget;
  /** 0 = a free port; null = no HTTP intake. */
  readonly httpPort?: number | null;
  /** 0 = a free port; null = no SMTP intake (the default). */
  readonly smtpPort?: number | null;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly credentials?: () => Credentials | undefined;
  readonly onNewPassword?: (password: string) => void;
  readonly onEvent?: (e: GatewayEvent) => void;
  readonly logger?: Logger;
  /** Largest queue in bytes; over it intake answers 503 / SMTP 452 (default: no limit). */
  readonly maxStoreBytes?: number;
  /** Store rules (S85): queued longer than this waits for manual action (default 3 hours). */
  readonly holdAfterMs?: number;
  /** Anything older than this is deleted (default 2 days). */
  readonly purgeAfterMs?: number;
  /** How often the store rules run (default 60 s). */
  readonly rulesEveryMs?: number;
  /** A mailbox to poll over IMAP (S84); its intervals default to 3 s and 60 s. */
  readonly mailbox?: Omit<MailboxOptions, 'accept' | 'onEvent'>;
  /** Forwarding back-off bounds (tests shorten them). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Where the weekly communication and retrieval logs go (S87; default QUEUE_DIR/logs); null = none. */
  readonly logDir?: string | null;
  /** Mail the administrators when the store first refuses a message (S85; needs maxStoreBytes). */
  readonly storeFullMail?: StoreFullMailOptions;
  /** Status reports to the service (S96): heartbeat and shortest gap (default 60 s and 5 s); null = none. */
  readonly report?: { readonly everyMs?: number; readonly minGapMs?: number } | null;
  /** The gateway's name in mails (default: the registered name, else the queue directory). */
  readonly name?: string;
};

export type Gateway = {
  readonly httpPort: number | null;
  readonly smtpPort: number | null;
  readonly queue: Queue;
  readonly forwarder: Forwarder;
  readonly mailbox: MailboxPoller | null;
  /** What it would report to the service now (S96). */
  status(): Omit<GatewayStatus, 'activity' | 'reportedAt'>;
  /** Queues one message already read (the mailbox poller); throws when it is not Call Home. */
  accept(kind: IntakeKind, body: Buffer, source: string): Promise<Result<number, Refusal>>;
  close(): Promise<void>;
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const host = o.host ?? '127.0.0.1';
  const logsAt = o.logDir === undefined ? logDir(o.queueDir) : o.logDir;
  const logs = logsAt === null ? null : openGatewayLogs(logsAt);
  let reporter: StatusReporter | null = null;
  const emit = (e: GatewayEvent): void => {
    o.logger?.info({ event: e }, e.type);
    try {
      logs?.event(e);
    } catch (error) {
      o.logger?.error({ err: error }, 'writing the gateway log failed');
    }
    if (reporter) report(reporter, e);
    o.onEvent?.(e);
  };
  const queue = openQueue(o.queueDir);
  const forwarder = startForwarder({
    queue,
    target: o.target,
    credentials: o.credentials ?? (() => undefined),
    onNewPassword: (p) => {
      o.onNewPassword?.(p);
      emit({ type: 'password.rotated' });
    },
    onEvent: emit,
    ...(o.minBackoffMs !== undefined ? { minBackoffMs: o.minBackoffMs } : {}),
    ...(o.maxBackoffMs !== undefined ? { maxBackoffMs: o.maxBackoffMs } : {}),
  });

  const accept = async (kind: IntakeKind, body: Buffer, source: string): Promise<Result<number, Refusal>> => {
    const sniffed: Result<Sniffed, Refusal> = kind === 'xml' ? sniffXml(body.toString('utf8')) : await sniffMail(body);
    if (!sniffed.ok) {
      emit({ type: 'intake.refused', source, reason: sniffed.error.reason });
      return sniffed;
    }
    if (o.maxStoreBytes !== undefined && queue.counts().bytes + body.length > o.maxStoreBytes) {
      const reason = `The gateway store is full (${o.maxStoreBytes} bytes); retry later.`;
      fullAt = queue.counts().bytes;
      emit({ type: 'intake.refused', source, reason, storeFull: true });
      if (mailer) {
        const c = queue.counts();
        void mailer.full({ gateway: gatewayName(), bytes: c.bytes, maxBytes: o.maxStoreBytes, queued: c.queued, held: c.held, reason: `${source}: ${sniffed.value.subject || sniffed.value.messageId || 'a message'} refused` }).then((r) => {
          if (r && o.storeFullMail) emit({ type: 'store-full.mail', to: o.storeFullMail.to, sent: r.sent, detail: r.detail });
        });
      }
      return { ok: false, error: { kind: 'busy', reason } };
    }
    const id = queue.add({ kind, body, source, ...sniffed.value });
    emit({ type: 'queued', id, source, ...sniffed.value });
    // Send flag No (S85): stored, but it waits for `callhome gateway send`.
    if (!sendFlag(queue)) {
      queue.setState([id], 'held', HELD_BY_FLAG);
      emit({ type: 'held', entries: [{ id, ...sniffed.value }], reason: HELD_BY_FLAG });
    } else forwarder.wake();
    return { ok: true, value: id };
  };

  const ref = (e: QueueEntry): { id: number; messageId: string; serial: string; subject: string } => ({ id: e.id, messageId: e.messageId, serial: e.serial, subject: e.subject });
  const mailer = o.storeFullMail && o.storeFullMail.to.length > 0 ? storeFullMailer(o.storeFullMail) : null;
  const gatewayName = (): string => o.name ?? o.credentials?.()?.id ?? o.queueDir;
  /** Bytes in the store when it last refused a message; null while it is not full. */
  let fullAt: number | null = null;
  /** Once something left the store (forwarded, dropped, purged) it is no longer full; the next full episode is mailed. */
  const roomAgain = (bytes: number): void => {
    if (fullAt === null || bytes >= fullAt) return;
    fullAt = null;
    mailer?.drained();
  };

  const applyRules = (): void => {
    const now = Date.now();
    const purged = queue.purgeOlderThan(new Date(now - (o.purgeAfterMs ?? PURGE_AFTER_MS)).toISOString());
    if (purged.length > 0) emit({ type: 'purged', entries: purged.map(ref) });
    const held = queue.holdOlderThan(new Date(now - (o.holdAfterMs ?? HOLD_AFTER_MS)).toISOString(), HELD_BY_AGE);
    if (held.length > 0) emit({ type: 'held', entries: held.map(ref), reason: HELD_BY_AGE });
    if (logsAt !== null) pruneLogs(logsAt, new Date(now));
    roomAgain(queue.counts().bytes);
  };
  applyRules();
  const rules = setInterval(applyRules, o.rulesEveryMs ?? 60_000);
  rules.unref();

  const budget = new ByteBudget(256 * 1024 * 1024);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== DDCE_SERVICE_PATH) return reply(res, 404, { error: 'not-found', reason: `Devices post to ${DDCE_SERVICE_PATH}.` });
    if (req.method !== 'POST') return reply(res, 405, { error: 'method', reason: 'Devices POST Call Home XML here.' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!ACCEPTED_TYPES.includes(type)) return reply(res, 415, { error: 'content-type', reason: `Send ${ACCEPTED_TYPES.join(', ')}.` });
    const read = await readBody(req, res, MAX_MESSAGE_SIZE, budget);
    if (read.kind !== 'ok') return reply(res, read.kind === 'busy' ? 503 : 413, { error: read.kind, reason: read.kind === 'busy' ? 'The gateway holds too many unfinished requests; retry later.' : `Larger than ${MAX_MESSAGE_SIZE} bytes.` });
    const r = await accept('xml', read.body, 'http');
    if (!r.ok) return reply(res, refusalStatus(r.error.kind), { error: r.error.kind, reason: r.error.reason });
    reply(res, 200, { ok: true, queued: r.value });
  };
  const http = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      o.logger?.error({ err: e }, 'gateway intake failed');
      // Not queued: a 5xx makes the device retry.
      if (!res.headersSent) reply(res, 500, { error: 'internal', reason: 'The gateway could not queue the message; retry later.' });
      else res.destroy();
    });
  });

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: SMTP_SIZE_LIMIT,
    banner: 'callhome Transport Gateway',
    logger: false,
    onData(stream: SMTPServerDataStream, _session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= SMTP_SIZE_LIMIT) chunks.push(c);
      });
      stream.once('end', () => {
        if (stream.sizeExceeded || size > SMTP_SIZE_LIMIT) return callback(Object.assign(new Error(`The mail is larger than ${SMTP_SIZE_LIMIT} bytes.`), { responseCode: 552 }));
        accept('mail', Buffer.concat(chunks), 'email')
          .then((r) => callback(r.ok ? null : Object.assign(new Error(r.error.reason), { responseCode: r.error.kind === 'busy' ? 452 : 554 })))
          .catch((e: unknown) => callback(Object.assign(new Error(`Temporary failure queueing the message: ${e instanceof Error ? e.message : String(e)}`), { responseCode: 451 })));
      });
    },
  });
  smtp.on('error', () => {
    // Per-connection errors are the client's; the listener keeps running.
  });

  let httpPort: number | null = null;
  let smtpPort: number | null = null;
  try {
    if (o.httpPort !== null) httpPort = await listen(http, o.httpPort ?? 0, host);
    if (o.smtpPort !== undefined && o.smtpPort !== null) smtpPort = await listen(smtp.server, o.smtpPort, host);
  } catch (e) {
    http.close();
    smtp.close(() => undefined);
    await forwarder.stop();
    queue.close();
    logs?.close();
    throw e;
  }
  const mailbox = o.mailbox ? startMailboxPoller({ ...o.mailbox, accept: (body) => accept('mail', body, 'mailbox'), onEvent: emit }) : null;
  const status = (): Omit<GatewayStatus, 'activity' | 'reportedAt'> => {
    const c = queue.counts();
    roomAgain(c.bytes);
    const f = forwarder.status();
    const m = mailbox?.status();
    const address = o.mailbox ? `${o.mailbox.address.secure ? 'imaps' : 'imap'}://${o.mailbox.address.user}@${o.mailbox.address.host}:${o.mailbox.address.port}/${o.mailbox.address.folder}` : '';
    return {
      queue: { queued: c.queued, held: c.held, refused: c.refused, bytes: c.bytes, maxBytes: o.maxStoreBytes ?? null, full: fullAt !== null },
      sendFlag: sendFlag(queue),
      forwarding: { state: f.reachable ? 'ok' : 'failing', since: f.failingSince === null ? null : new Date(f.failingSince).toISOString(), lastError: f.lastError },
      mailbox: m ? { address, state: m.state, lastPoll: m.lastPoll, lastError: m.lastError } : null,
      // The service records N26 when a report says full with this on (it mails nothing itself: we do).
      storeFullNotify: o.storeFullMail && o.storeFullMail.to.length > 0 ? { to: [...o.storeFullMail.to] } : null,
    };
  };
  if (o.report !== null) {
    reporter = startStatusReporter({
      target: o.target,
      credentials: o.credentials ?? (() => undefined),
      onNewPassword: (p) => {
        o.onNewPassword?.(p);
        emit({ type: 'password.rotated' });
      },
      snapshot: status,
      onError: (reason) => o.logger?.warn({ reason }, 'status report to the service failed'),
      ...(o.report?.everyMs !== undefined ? { everyMs: o.report.everyMs } : {}),
      ...(o.report?.minGapMs !== undefined ? { minGapMs: o.report.minGapMs } : {}),
    });
  }
  let closing: Promise<void> | null = null;
  return {
    httpPort,
    smtpPort,
    queue,
    forwarder,
    mailbox,
    status,
    accept,
    close() {
      closing ??= (async () => {
        clearInterval(rules);
        await mailbox?.stop();
        await reporter?.stop();
        await Promise.all([
          new Promise<void>((resolve) => {
            if (!http.listening) return resolve();
            http.close(() => resolve());
            http.closeIdleConnections();
          }),
          new Promise<void>((resolve) => (smtpPort === null ? resolve() : smtp.close(() => resolve()))),
        ]);
        await forwarder.stop();
        queue.close();
        logs?.close();
      })();
      return closing;
    },
  };
}

/** Counts an event for the next status report; what an operator watches makes it go soon. */
function report(r: StatusReporter, e: GatewayEvent): void {
  switch (e.type) {
    case 'queued':
    case 'forwarded':
    case 'refused':
      r.count(e.type);
      return r.nudge();
    case 'held':
    case 'purged':
      r.count(e.type, e.entries.length);
      return r.nudge();
    case 'intake.refused':
      r.count('refusedAtIntake');
      return r.nudge();
    case 'backend.unreachable':
    case 'backend.reachable':
    case 'store-full.mail':
      return r.nudge();
    case 'mailbox':
      // A poll that found nothing changes only the last-poll time: the heartbeat carries it.
      if (e.state !== 'polled') r.nudge();
      return;
    case 'password.rotated':
      return;
  }
}
