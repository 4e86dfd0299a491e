/** `/gateway/v1/*`: what a Transport Gateway calls on the service (forwarding and a connection test). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayStatusSchema, type Transport } from '../../events/protocol.js';
import { GATEWAY_AUTH_HEADER, GATEWAY_FORWARD_PATH, GATEWAY_NEW_PASSWORD_HEADER, GATEWAY_PING_PATH, GATEWAY_STATUS_PATH } from './protocol.js';
import { readBody } from '../read-body.js';
import { recordGatewayStatus } from './status.js';
import type { ParsePool } from '../ingest/parse-pool.js';
import type { ByteBudget } from '../limits.js';
import type { BackendService } from '../service.js';
import { handleForwarded, type GatewayReply } from './forwarded.js';
import { authenticateGateway } from './registry.js';
import type { GatewayRecord } from './registry-queries.js';
import { gatewayPasswordChanged } from '../notifications/triggers.js';

/** Path prefix the server hands to this handler. */
export const GATEWAY_PREFIX = '/gateway/v1/';

function write(res: ServerResponse, r: GatewayReply): void {
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(r.status === 503 ? { 'retry-after': '5' } : {}), ...r.headers });
  res.end(text);
}

/** Every gateway request is authenticated (S82); a rotated password rides on the answer (S83). */
export function createGatewayHandler(service: BackendService, scheme: Transport, budget: ByteBudget, parsers: ParsePool): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  return async (req, res, path) => {
    if (path !== GATEWAY_PING_PATH && path !== GATEWAY_FORWARD_PATH && path !== GATEWAY_STATUS_PATH) return write(res, { status: 404, body: { error: 'not-found', reason: `Nothing is served at ${path}.` } });
    const header = req.headers[GATEWAY_AUTH_HEADER];
    const auth = await authenticateGateway(service.store, typeof header === 'string' ? header : undefined, service.now());
    if (!auth.ok) return write(res, { status: 401, body: { error: 'gateway-auth', reason: auth.reason }, headers: { connection: 'close' } });
    const rotated: Record<string, string> = auth.newPassword ? { [GATEWAY_NEW_PASSWORD_HEADER]: auth.newPassword } : {};
    // N24: recorded, never mailed (the new password rides on this answer).
    if (auth.newPassword) await service.raise((ctx) => gatewayPasswordChanged(ctx, auth.gateway, { rotated: true }));
    if (path === GATEWAY_PING_PATH) return write(res, { status: 200, body: { ok: true, gateway: auth.gateway.id, name: auth.gateway.name }, headers: rotated });
    if (path === GATEWAY_STATUS_PATH) return write(res, { ...(await handleStatus(service, auth.gateway, req, res, budget)), headers: rotated });
    const r = await handleForwarded(service, scheme, req, res, budget, parsers);
    write(res, { ...r, headers: { ...r.headers, ...rotated } });
  };
}

/** A status report is small; anything larger is not one. */
const STATUS_LIMIT = 64 * 1024;

async function handleStatus(service: BackendService, gateway: GatewayRecord, req: IncomingMessage, res: ServerResponse, budget: ByteBudget): Promise<GatewayReply> {
  if (req.method !== 'POST') return { status: 405, body: { error: 'method', reason: 'A gateway POSTs its status here.' } };
  const read = await readBody(req, res, STATUS_LIMIT, budget);
  if (read.kind === 'too-large') return { status: 413, body: { error: 'too-large', reason: `A status report is at most ${STATUS_LIMIT} bytes.` } };
  if (read.kind === 'busy') return { status: 503, body: { error: 'busy', reason: 'The service holds too many unfinished requests; retry later.' } };
  let json: unknown;
  try {
    json = JSON.parse(read.body.toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'bad-request', reason: 'The status report is not JSON.' } };
  }
  const status = GatewayStatusSchema.safeParse(json);
  if (!status.success) return { status: 400, body: { error: 'bad-request', reason: `Not a gateway status report: ${status.error.issues[0]?.path.join('.') ?? ''} ${status.error.issues[0]?.message ?? ''}` } };
  const published = await recordGatewayStatus(service, gateway, status.data);
  return { status: 200, body: { ok: true, published } };
}
