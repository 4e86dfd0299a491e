/**
 * The service's end of a Transport Gateway (S82, S86, S88): `POST /gateway/v1/messages` takes a
 * message the gateway queued — a device's XML post (`application/xml`) or a whole mail
 * (`message/rfc822`) — and stores it exactly as a direct post or mail would be: same parse pool, same
 * idempotent ingest, so a resend after a gateway crash answers `duplicate: true`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_MESSAGE_SIZE } from '../../domain/callhome.js';
import type { Transport } from '../../events/protocol.js';
import { MAIL_CONTENT_TYPE } from './protocol.js';
import { refusalStatus } from '../ingest/refusal.js';
import type { ParsePool } from '../ingest/parse-pool.js';
import { attribute } from '../ingest/smtp-ingest.js';
import type { ByteBudget } from '../limits.js';
import { readBody } from '../read-body.js';
import type { BackendService } from '../service.js';

/** A mail carries the 3 MiB message plus MIME and base64 overhead. */
const MAIL_LIMIT = Math.ceil(MAX_MESSAGE_SIZE * 1.4) + 64 * 1024;
const XML_TYPES = ['application/soap+xml', 'application/xml', 'text/xml'];

export type GatewayReply = { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> };

/** Reads and stores one forwarded message. `headers` (a rotated password) ride on every answer. */
export async function handleForwarded(service: BackendService, scheme: Transport, req: IncomingMessage, res: ServerResponse, budget: ByteBudget, parsers: ParsePool): Promise<GatewayReply> {
  if (req.method !== 'POST') return { status: 405, body: { error: 'method', reason: 'A gateway POSTs queued messages here.' } };
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const isMail = type === MAIL_CONTENT_TYPE;
  if (!isMail && !XML_TYPES.includes(type)) return { status: 415, body: { error: 'content-type', reason: `Send ${MAIL_CONTENT_TYPE} or ${XML_TYPES.join(', ')}.` } };
  const remote = req.socket.remoteAddress ?? null;
  const read = await readBody(req, res, isMail ? MAIL_LIMIT : MAX_MESSAGE_SIZE, budget);
  if (read.kind === 'too-large') return { status: 413, body: { error: 'too-large', reason: 'The forwarded message is over the Call Home size limit.' } };
  if (read.kind === 'busy') return { status: 503, body: { error: 'busy', reason: 'The service holds too many unfinished requests; retry later.' } };
  const receivedAt = new Date().toISOString();
  if (isMail) {
    const content = await parsers.mail(read.body);
    const r = content.ok ? await attribute(service, content.value) : content;
    if (!r.ok) {
      service.reject('email', r.error.kind, remote);
      return { status: refusalStatus(r.error.kind), body: { error: r.error.kind, reason: r.error.reason } };
    }
    const outcome = await service.ingest({ receivedAt, transport: 'email', remote, format: r.value.format, raw: r.value.raw, message: r.value.message, packed: content.ok ? content.packed : undefined });
    return { status: 200, body: outcome.kind === 'stored' ? { ok: true, id: outcome.message.id, duplicate: false } : { ok: true, duplicate: true } };
  }
  const raw = read.body.toString('utf8');
  const parsed = await parsers.xml(raw);
  if (!parsed.ok) {
    service.reject(scheme, parsed.error.kind, remote);
    return { status: refusalStatus(parsed.error.kind), body: { error: parsed.error.kind, reason: parsed.error.reason } };
  }
  const outcome = await service.ingest({ receivedAt, transport: scheme, remote, format: 'xml', raw, message: parsed.value, packed: parsed.packed });
  return { status: 200, body: outcome.kind === 'stored' ? { ok: true, id: outcome.message.id, duplicate: false } : { ok: true, duplicate: true } };
}
