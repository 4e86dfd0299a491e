/** The device-facing HTTP(S) endpoint: POST Call Home XML to DDCE_SERVICE_PATH (ios-call-home.md §7.2). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_MESSAGE_SIZE } from '../../domain/callhome.js';
import type { Transport } from '../../events/protocol.js';
import type { ByteBudget } from '../limits.js';
import { readBody } from '../read-body.js';
import type { BackendService } from '../service.js';
import { LARGE_JOB_BYTES, type ParsePool } from './parse-pool.js';
import { refusalStatus, type Refusal } from './refusal.js';

const ACCEPTED_TYPES = ['application/soap+xml', 'application/xml', 'text/xml'];

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(close ? { connection: 'close' } : {}), ...(status === 503 ? { 'retry-after': '5' } : {}) });
  res.end(text);
}

/** Handles one device POST; the body is parsed in the pool; answers 200 only after the message is committed. */
export async function handleIngest(service: BackendService, transport: Transport, req: IncomingMessage, res: ServerResponse, budget: ByteBudget, parsers: ParsePool): Promise<void> {
  const remote = req.socket.remoteAddress ?? null;
  const refuse = (r: Refusal, close = false): void => {
    service.reject(transport, r.kind, remote);
    send(res, refusalStatus(r.kind), { error: r.kind, reason: r.reason }, close);
    if (close) res.on('finish', () => req.socket.destroy());
  };
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    send(res, 405, { error: 'method', reason: `Devices POST Call Home XML here; ${req.method ?? 'this method'} is not allowed.` });
    return;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!ACCEPTED_TYPES.includes(type)) {
    refuse({ kind: 'content-type', reason: `Content-Type "${(type || '(none)').slice(0, 64)}" is not accepted; send ${ACCEPTED_TYPES.join(', ')}.` }, true);
    return;
  }
  const tooLarge: Refusal = { kind: 'too-large', reason: `The message is larger than ${MAX_MESSAGE_SIZE} bytes, the Call Home maximum (message-size-limit).` };
  if (Number(req.headers['content-length'] ?? 0) > MAX_MESSAGE_SIZE) {
    refuse(tooLarge, true);
    return;
  }
  const read = await readBody(req, res, MAX_MESSAGE_SIZE, budget);
  if (read.kind === 'too-large') {
    refuse(tooLarge, true);
    return;
  }
  if (read.kind === 'busy') {
    refuse({ kind: 'busy', reason: 'The back end holds too many unfinished requests; retry later.' }, true);
    return;
  }
  // A large body goes to the large lane as bytes, decoded there: the event loop never holds its text (3 MiB of
  // decoding and copying that held every other device's request for several ms).
  const text = read.body.length >= LARGE_JOB_BYTES ? null : read.body.toString('utf8');
  const parsed = await parsers.xml(text ?? read.body);
  if (!parsed.ok) {
    refuse(parsed.error);
    return;
  }
  // A parsed large body is packed: its text is in the packed form (the store keeps no other copy).
  const raw = text ?? parsed.raw ?? '';
  const outcome = await service.ingest({ receivedAt: new Date().toISOString(), transport, remote, format: 'xml', raw, message: parsed.value, packed: parsed.packed });
  send(res, 200, outcome.kind === 'stored' ? { ok: true, id: outcome.message.id, duplicate: false } : { ok: true, duplicate: true });
}
