/**
 * The e-mail ingest: an SMTP listener (smtp-server) that reads each mail with mailparser and feeds
 * XML, long-text or short-text Call Home messages to the same validation, storage and processing as
 * HTTP. The SMTP transaction is accepted (250) only after the message is committed.
 */
import type { ParsedMail } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { CallHomeMessage } from '../../domain/message.js';
import { MAX_MESSAGE_SIZE, type MessageFormat } from '../../domain/callhome.js';
import { ok, type Result } from '../../util/result.js';
import type { ByteBudget, ResolvedLimits } from '../limits.js';
import type { MessageFlag } from '../store/types.js';
import type { BackendService } from '../service.js';
import { capStream } from './capped-stream.js';
import { readMailContent, type MailContent } from './mail-content.js';
import type { ParsePool } from './parse-pool.js';
import type { Refusal } from './refusal.js';

/** MIME and base64 overhead on top of the 3 MiB Call Home message limit. */
const SMTP_SIZE_LIMIT = Math.ceil(MAX_MESSAGE_SIZE * 1.4) + 64 * 1024;

/** How long a mail still being received or stored may take to finish once the listener closes. */
const CLOSE_GRACE_MS = 10_000;

/** An SMTP response error with its reply code. */
class SmtpReply extends Error {
  constructor(
    message: string,
    readonly responseCode: number,
  ) {
    super(message);
  }
}

/** Parses a mail into a message (in this thread; the listener uses the pool): tests and fuzzing read mails so. */
export async function readMail(service: BackendService, mail: ParsedMail): Promise<Result<StoredMail, Refusal>> {
  const content = readMailContent(mail);
  return content.ok ? attribute(service, content.value) : content;
}

type StoredMail = { message: CallHomeMessage; format: MessageFormat; raw: string; flags?: readonly MessageFlag[] };

/**
 * Completes a mail's content with what the store knows. Short text carries only the host name, which
 * anyone can write: it is tied to a device only when exactly one device has that name; otherwise it is
 * stored against no device and flagged (issue 11). The subject's `SR#n` names a case (S49).
 */
export async function attribute(service: BackendService, content: MailContent): Promise<Result<StoredMail, Refusal>> {
  const sr = content.serviceRequest;
  const withSr = (m: CallHomeMessage): CallHomeMessage => (sr && !m.serviceRequest ? { ...m, serviceRequest: sr } : m);
  if (content.format !== 'short-text') return ok({ message: withSr(content.message), format: content.format, raw: content.raw });
  const { short, raw } = content;
  const devices = await service.store.devicesByHostname(short.hostname, 2);
  const device = devices.length === 1 ? devices[0] : undefined;
  const kind = /%[A-Z0-9_]+-\d-/.test(short.description) ? 'syslog' : 'diagnostic';
  return ok({
    format: 'short-text',
    raw,
    ...(device ? {} : { flags: ['unattributed'] as const }),
    message: withSr({
      messageId: '', groupId: '', kind, subType: '', severity: short.severity, eventName: '', eventTime: short.eventTime, description: short.description, to: '', brand: '', series: device?.series ?? '',
      hostname: short.hostname, contactName: '', contactEmail: device?.contactEmail ?? '', phoneNumber: '', streetAddress: '', customerId: '', siteId: '', contractId: '', deviceId: '', ccoId: '', idToken: '',
      model: device?.model ?? '', hardwareVersion: '', serialNumber: device?.serial ?? '', partNumber: '', softwareVersion: device?.softwareVersion ?? '', systemObjectId: '', systemDescription: '', builderName: '', builderVersion: '', profileName: '', cards: [], attachments: [],
    }),
  });
}

/** Reads a stream to its end into one buffer (the capped stream bounds it). */
function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

export type SmtpIngest = { readonly server: SMTPServer; listen(port: number, host: string): Promise<number>; close(): Promise<void> };

/** What the SMTP listener shares with the rest of the back end. */
export type SmtpIngestOptions = {
  readonly tls?: { readonly key: string; readonly cert: string } | undefined;
  readonly limits: Pick<ResolvedLimits, 'maxSmtpConnections' | 'smtpDataTimeoutMs'>;
  /** Bytes held by unfinished requests, shared with HTTP. */
  readonly budget: ByteBudget;
  readonly logger?: Logger | undefined;
  /** Where mails are parsed. */
  readonly parsers: ParsePool;
};

/** Creates the SMTP listener. No authentication (devices do not authenticate; bind it to a trusted network). */
export function createSmtpIngest(service: BackendService, options: SmtpIngestOptions): SmtpIngest {
  const { tls, limits, budget, logger, parsers } = options;
  // Sessions whose mail is being received or stored now; only those are worth waiting for at close.
  const receiving = new Set<string>();
  let closing = false;
  /** Ends an idle connection at once with 421, so the sender retries elsewhere or later (RFC 5321 §3.8). */
  const hangUp = (sessionId: string): void => {
    for (const connection of server.connections) {
      if (connection.session.id !== sessionId) continue;
      connection.send(421, 'callhome ingest shutting down, try again later');
      connection.close();
    }
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    size: SMTP_SIZE_LIMIT,
    // One more connection is answered 421 (smtp-server), so a sender retries later.
    maxClients: limits.maxSmtpConnections,
    banner: 'callhome Smart Call Home ingest',
    logger: false,
    closeTimeout: CLOSE_GRACE_MS,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, reply: (e?: Error | null) => void) {
      const remote = session.remoteAddress || null;
      receiving.add(session.id);
      const holder = budget.open();
      let answered = false;
      // A DATA that trickles in (or stalls) holds its bytes and a connection; it gets a total time.
      const deadline = setTimeout(() => {
        if (answered) return;
        answered = true;
        receiving.delete(session.id);
        holder.release();
        logger?.info({ remote, session: session.id, limitMs: limits.smtpDataTimeoutMs }, 'SMTP DATA cut: time limit');
        service.reject('email', 'too-slow', remote);
        for (const connection of server.connections) {
          if (connection.session.id !== session.id) continue;
          connection.send(421, `DATA took longer than ${Math.round(limits.smtpDataTimeoutMs / 1000)} s, closing`);
          connection.close();
        }
      }, limits.smtpDataTimeoutMs);
      deadline.unref();
      stream.once('close', () => {
        // The sender hung up mid-DATA: one line, and what it held goes back.
        if (!answered && !stream.readableEnded) logger?.info({ remote, session: session.id, bytes: holder.held }, 'SMTP DATA aborted by the client');
      });
      const callback = (e?: Error | null): void => {
        clearTimeout(deadline);
        holder.release();
        if (answered) return;
        answered = true;
        receiving.delete(session.id);
        reply(e);
        // The reply (250 or the error) is queued first; then a closing listener lets the sender go.
        if (closing) setImmediate(() => hangUp(session.id));
      };
      const refuse = (r: Refusal, code: number): void => {
        service.reject('email', r.kind, remote);
        callback(new SmtpReply(r.reason, code));
      };
      // The parser sees at most the limit; an oversize rest is dropped as it arrives, not buffered.
      const capped = capStream(stream, SMTP_SIZE_LIMIT, (n) => holder.take(n));
      const busy = (): void => refuse({ kind: 'busy', reason: 'The back end holds too many unfinished requests; try again later.' }, 451);
      const tooLarge = (): void => refuse({ kind: 'too-large', reason: `The mail is larger than ${SMTP_SIZE_LIMIT} bytes.` }, 552);
      collect(capped.stream)
        .then(async (bytes) => {
          if (stream.sizeExceeded || capped.cut()) return void capped.ended.then(tooLarge);
          if (capped.starved()) return void capped.ended.then(busy);
          const content = await parsers.mail(bytes);
          const r = content.ok ? await attribute(service, content.value) : content;
          if (!r.ok) return refuse(r.error, 554);
          await service.ingest({ receivedAt: new Date().toISOString(), transport: 'email', remote, format: r.value.format, raw: r.value.raw, message: r.value.message, packed: content.ok ? content.packed : undefined, ...(r.value.flags ? { flags: r.value.flags } : {}) });
          callback();
        })
        .catch((e: unknown) => {
          if (capped.cut()) return void capped.ended.then(tooLarge);
          if (capped.starved()) return void capped.ended.then(busy);
          callback(new SmtpReply(`Temporary failure storing the message: ${e instanceof Error ? e.message : String(e)}`, 451));
        });
    },
  });
  server.on('error', () => {
    // Per-connection errors (resets, TLS failures) are the client's; the listener keeps running.
  });
  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          const addr = server.server.address();
          resolve(typeof addr === 'object' && addr ? addr.port : port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        server.close(() => resolve());
        // smtp-server would wait closeTimeout for every open connection, idle or not; an idle one
        // (a device's or MTA's pooled connection) holds nothing, so it goes now.
        for (const connection of [...server.connections]) if (!receiving.has(connection.session.id)) hangUp(connection.session.id);
      }),
  };
}
