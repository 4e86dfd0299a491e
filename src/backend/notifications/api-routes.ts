/**
 * Notification routes under /api/v1 that start a trigger by hand: the CA root certificate update of §7.3
 * (N25), which an SCH administrator starts when Cisco's root bundle changes. The mail goes to every
 * SCH-registered user (a role in at least one company) whose CCO ID has one valid e-mail address, one
 * notification each so no user sees the others' addresses.
 */
import { z } from 'zod';
import { json, type ApiRoute } from '../api/router.js';
import { isSingleAddress } from '../processing/notify.js';
import type { BackendService } from '../service.js';
import { caCertificateUpdate } from './triggers.js';

/** The §7.3 steps, when the administrator gives none. */
export const DEFAULT_CA_INSTRUCTIONS: readonly string[] = [
  'Cisco updated the root certificate that HTTPS Call Home trusts. Devices that send over HTTPS need it before the current one expires; mail transport is not affected.',
  'IOS and IOS XE: re-apply the current Call Home configuration script, or import the bundle: crypto pki trustpool import clean url http://www.cisco.com/security/pki/trs/ios.p7b',
  'Nexus 7000, first add: crypto ca trustpoint cisco; crypto ca authenticate cisco; paste the chained root certificate in PEM (keep the BEGIN/END lines, no blank lines around them); END OF INPUT; answer yes; then copy running-config startup-config.',
  'Nexus 7000, expired certificate: use the script files and certificate data in QuoVadisRootCA2.zip from the Cisco software download page.',
  'Check with: show crypto pki trustpoints (or show crypto ca certificates), then call-home send alert-group inventory.',
];

const CaUpdateBody = z.strictObject({
  version: z.string().trim().min(1).max(64),
  instructions: z.array(z.string().trim().min(1).max(2000)).min(1).max(50).optional(),
});

export type CaUpdateResult = { readonly version: string; readonly notified: { readonly user: string; readonly email: string; readonly notification: number }[]; readonly skipped: { readonly user: string; readonly reason: string }[] };

/** N25 for every registered user with a valid CCO ID (§5.1, §7.3). */
export async function sendCaCertificateUpdate(service: BackendService, version: string, instructions: readonly string[]): Promise<CaUpdateResult> {
  const [users, memberships] = await Promise.all([service.store.listUsers(null), service.store.listMemberships(null)]);
  const registered = new Set(memberships.map((m) => m.userId));
  const notified: CaUpdateResult['notified'][number][] = [];
  const skipped: CaUpdateResult['skipped'][number][] = [];
  for (const u of users) {
    if (!registered.has(u.id)) continue;
    if (!isSingleAddress(u.email)) {
      skipped.push({ user: u.id, reason: 'no valid e-mail address in the CCO profile' });
      continue;
    }
    const sent = await service.raise((ctx) => caCertificateUpdate(ctx, u.email, u.id, version, instructions));
    if (sent.record) notified.push({ user: u.id, email: u.email, notification: sent.record.id });
  }
  return { version, notified, skipped };
}

export function notificationRoutes(service: BackendService): ApiRoute[] {
  return [
    {
      method: 'POST',
      pattern: /^\/admin\/ca-certificate-update$/,
      permission: 'sch-admin',
      returns: 'service',
      handle: async (_p, _u, body, ctx) => {
        const b = CaUpdateBody.safeParse(body);
        if (!b.success) return json(400, { error: 'bad-body', reason: `Send {"version": "<root bundle version>", "instructions"?: ["line", …]}: ${b.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` });
        const r = await sendCaCertificateUpdate(service, b.data.version, b.data.instructions ?? DEFAULT_CA_INSTRUCTIONS);
        await service.accounts.audit({ caller: ctx.caller, remote: ctx.remote }, 'ca-certificate.update', b.data.version, null, { notified: r.notified.length, skipped: r.skipped.length });
        return json(200, r);
      },
    },
  ];
}
