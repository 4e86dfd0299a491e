/** `/gateway/v1/*`: what a Transport Gateway calls on the service (forwarding and a connection test). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport } from '../../events/protocol.js';
import { GATEWAY_FORWARD_PATH, GATEWAY_PING_PATH } from '../../gateway/protocol.js';
import type { ParsePool } from '../ingest/parse-pool.js';
import type { ByteBudget } from '../limits.js';
import type { BackendService } from '../service.js';
import { handleForwarded, type GatewayReply } from './forwarded.js';

/** Path prefix the server hands to this handler. */
export const GATEWAY_PREFIX = '/gateway/v1/';

function write(res: ServerResponse, r: GatewayReply): void {
  const text = JSON.stringify(r.body);
  res.writeHead(r.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(r.status === 503 ? { 'retry-after': '5' } : {}), ...r.headers });
  res.end(text);
}

export function createGatewayHandler(service: BackendService, scheme: Transport, budget: ByteBudget, parsers: ParsePool): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  return async (req, res, path) => {
    if (path === GATEWAY_PING_PATH) return write(res, { status: 200, body: { ok: true } });
    if (path === GATEWAY_FORWARD_PATH) return write(res, await handleForwarded(service, scheme, req, res, budget, parsers));
    write(res, { status: 404, body: { error: 'not-found', reason: `Nothing is served at ${path}.` } });
  };
}
