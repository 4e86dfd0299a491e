/** `/gateway/v1/*`: what a Transport Gateway calls on the service (forwarding and a connection test). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport } from '../../events/protocol.js';
import { GATEWAY_AUTH_HEADER, GATEWAY_FORWARD_PATH, GATEWAY_NEW_PASSWORD_HEADER, GATEWAY_PING_PATH } from './protocol.js';
import type { ParsePool } from '../ingest/parse-pool.js';
import type { ByteBudget } from '../limits.js';
import type { BackendService } from '../service.js';
import { handleForwarded, type GatewayReply } from './forwarded.js';
import { authenticateGateway } from './registry.js';
import { gatewayCalled } from '../stream/topics.js';

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
    if (path !== GATEWAY_PING_PATH && path !== GATEWAY_FORWARD_PATH) return write(res, { status: 404, body: { error: 'not-found', reason: `Nothing is served at ${path}.` } });
    const header = req.headers[GATEWAY_AUTH_HEADER];
    const auth = await authenticateGateway(service.store, typeof header === 'string' ? header : undefined);
    if (!auth.ok) return write(res, { status: 401, body: { error: 'gateway-auth', reason: auth.reason }, headers: { connection: 'close' } });
    const rotated: Record<string, string> = auth.newPassword ? { [GATEWAY_NEW_PASSWORD_HEADER]: auth.newPassword } : {};
    // sr-notify (S94): gateway.status when it connects after a quiet spell or its password rotates.
    await gatewayCalled(service.log, auth.gateway, auth.newPassword !== undefined);
    if (path === GATEWAY_PING_PATH) return write(res, { status: 200, body: { ok: true, gateway: auth.gateway.id, name: auth.gateway.name }, headers: rotated });
    const r = await handleForwarded(service, scheme, req, res, budget, parsers);
    write(res, { ...r, headers: { ...r.headers, ...rotated } });
  };
}
