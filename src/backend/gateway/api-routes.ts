/** Admin routes of the gateway registry under /api/v1 (S66, S81, S83): register, list, delete, reset. */
import { z } from 'zod';
import type { ApiRoute } from '../api/router.js';
import type { BackendService } from '../service.js';
import { publicGateway, registerGateway, resetGatewayPassword } from './registry.js';

const Registration = z.strictObject({ name: z.string().trim().min(1).max(64) });

export function gatewayApiRoutes(service: BackendService): ApiRoute[] {
  const { store } = service;
  return [
    {
      method: 'POST',
      pattern: /^\/gateways$/,
      permission: 'sch-admin',
      returns: 'service',
      handle: async (_p, _url, body) => {
        const r = Registration.safeParse(body);
        if (!r.success) return { status: 400, body: { error: 'bad-request', reason: 'Give {"name": "..."} (1 to 64 characters).' } };
        // accounts: gateways have no company yet, so only an SCH administrator administers them.
        return { status: 201, body: await registerGateway(store, r.data.name, 'api-token') };
      },
    },
    { method: 'GET', pattern: /^\/gateways$/, permission: 'sch-admin',
      returns: 'service', handle: async () => ({ status: 200, body: { gateways: (await store.listGateways()).map((g) => publicGateway(g)) } }) },
    {
      method: 'DELETE',
      pattern: /^\/gateways\/([^/]+)$/,
      permission: 'sch-admin',
      returns: 'service',
      handle: async ([id]) => ((await store.deleteGateway(id ?? '')) ? { status: 200, body: { deleted: id } } : { status: 404, body: { error: 'not-found', reason: `Gateway ${id ?? ''} does not exist.` } }),
    },
    {
      method: 'POST',
      pattern: /^\/gateways\/([^/]+)\/reset-password$/,
      permission: 'sch-admin',
      returns: 'service',
      handle: async ([id]) => {
        const issued = await resetGatewayPassword(store, id ?? '');
        return issued ? { status: 200, body: issued } : { status: 404, body: { error: 'not-found', reason: `Gateway ${id ?? ''} does not exist.` } };
      },
    },
  ];
}
