/**
 * Two companies on a real back end (issue 15): acme and globex, each with an Administrator and a User, an
 * SCH administrator, a user of acme who has not accepted the legal agreement, a device of each company and
 * one of no company. Every value of a company carries its name (serials, host names, e-mails, user ids), so
 * a leak is found by looking for the other company's name in an answer.
 */
import { SMTPServer } from 'smtp-server';
import { renderXml } from '../../../src/callhome/codec.js';
import type { BackendOptions } from '../../../src/backend/server.js';
import { GATEWAY_AUTH_HEADER, GATEWAY_STATUS_PATH, gatewayAuth } from '../../../src/backend/gateway/protocol.js';
import type { GatewayStatus } from '../../../src/events/protocol.js';
import { buildMessage } from '../build-message.js';
import { api, postXml, startTestBackend, type TestBackend } from '../helpers.js';

export const PASSWORD = 'correct horse battery';
export const COMPANIES = ['acme', 'globex'] as const;
export type CompanyName = (typeof COMPANIES)[number];

export type Person = { readonly id: string; readonly company: CompanyName | null; readonly role: 'administrator' | 'user' | 'sch-admin'; readonly acceptsAgreement: boolean };
export const PEOPLE: readonly Person[] = [
  { id: 'alice.acme', company: 'acme', role: 'administrator', acceptsAgreement: true },
  { id: 'aaron.acme', company: 'acme', role: 'user', acceptsAgreement: true },
  { id: 'paul.acme', company: 'acme', role: 'user', acceptsAgreement: false },
  { id: 'gina.globex', company: 'globex', role: 'administrator', acceptsAgreement: true },
  { id: 'gus.globex', company: 'globex', role: 'user', acceptsAgreement: true },
  { id: 'sam.cisco', company: null, role: 'sch-admin', acceptsAgreement: true },
];

export const serialOf = (c: CompanyName): string => `${c.toUpperCase()}01`;
export const ORPHAN = 'ORPHAN01';

export type World = {
  b: TestBackend;
  relay: SMTPServer;
  tokens: Map<string, string>;
  tokenIds: Map<string, string>;
  /** Per company: a message id, a case number. */
  objects: Record<CompanyName, { messageId: number; caseNumber: string }>;
  /** Per company: the id of its Transport Gateway. */
  gateways: Record<CompanyName, string>;
  stop(): Promise<void>;
};

export async function send(b: TestBackend, o: Parameters<typeof buildMessage>[0]): Promise<void> {
  const r = await postXml(b.url, renderXml(buildMessage(o)));
  if (r.status !== 200) throw new Error(`ingest answered ${r.status}: ${JSON.stringify(r.json)}`);
}

const device = (c: CompanyName | 'orphan', serial: string) => ({ serialNumber: serial, hostname: `${c}-r1`, contactEmail: `noc@${c}.example`, customerId: `${c}-customer` });

/** A gateway's status report, as a running gateway posts it (gateway.status event). */
async function reportGatewayStatus(b: TestBackend, gw: { id: string; password: string }): Promise<void> {
  const status: GatewayStatus = { reportedAt: new Date().toISOString(), queue: { queued: 1, held: 0, refused: 0, bytes: 100, maxBytes: null, full: false }, sendFlag: true, forwarding: { state: 'ok', since: null, lastError: null }, mailbox: null, activity: { queued: 1, forwarded: 0, refused: 0, held: 0, purged: 0, refusedAtIntake: 0 } };
  const r = await fetch(`${b.url}${GATEWAY_STATUS_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', [GATEWAY_AUTH_HEADER]: gatewayAuth(gw.id, gw.password) }, body: JSON.stringify(status) });
  if (r.status !== 200) throw new Error(`gateway status answered ${r.status}: ${await r.text()}`);
}

/** Builds the world: directory, contracts, devices, confirmations, cases, an identity claim, a refusal. */
export async function buildWorld(extra: Partial<BackendOptions> = {}): Promise<World> {
  const relay = new SMTPServer({ authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false, onData: (s, _x, cb) => s.on('end', () => cb()).resume() });
  const relayPort = await new Promise<number>((resolve) => relay.listen(0, '127.0.0.1', () => resolve((relay.server.address() as { port: number }).port)));
  const b = await startTestBackend({ relay: { host: '127.0.0.1', port: relayPort }, authThrottle: { freeFailures: 100_000 }, ...extra });
  const ok = async (path: string, init: Parameters<typeof api>[2], status = 200) => {
    const r = await api(b.url, path, init);
    if (r.status !== status) throw new Error(`${init?.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok('/directory', {
    method: 'POST',
    body: {
      companies: COMPANIES.map((id) => ({ id, name: `${id} corp` })),
      users: [
        ...PEOPLE.map((p) => ({
          id: p.id,
          name: p.id,
          email: `${p.id}@example.com`,
          password: PASSWORD,
          schAdmin: p.role === 'sch-admin',
          contracts: p.company ? [`C-${p.company}`] : [],
          profileCompany: p.company ?? undefined,
          companies: p.company ? { [p.company]: p.role } : {},
        })),
        ...COMPANIES.map((c) => ({ id: `newbie.${c}`, name: `newbie ${c}`, email: `newbie@${c}.example`, password: PASSWORD })),
      ],
    },
  });
  await ok('/contracts', { method: 'POST', body: { contracts: COMPANIES.map((c) => ({ serial: serialOf(c), contractNumber: `C-${c}`, company: c })) } });
  const tokens = new Map<string, string>();
  const tokenIds = new Map<string, string>();
  for (const p of PEOPLE) {
    const r = (await ok('/login', { method: 'POST', body: { user: p.id, password: PASSWORD }, token: null })) as { token: string; tokenId: string };
    tokens.set(p.id, r.token);
    tokenIds.set(p.id, r.tokenId);
    if (p.acceptsAgreement) await ok('/agreement', { method: 'POST', body: { version: ((await ok('/agreement', { token: r.token })) as { version: string }).version }, token: r.token });
  }
  // Devices announce themselves: pending, with a token e-mail each.
  for (const c of COMPANIES) await send(b, { ...device(c, serialOf(c)), kind: 'inventory' });
  await send(b, { ...device('orphan', ORPHAN), kind: 'inventory' });
  // The Administrators confirm with the token from the Pending Registration notification (their company sees it).
  const objects = {} as World['objects'];
  const gateways = {} as World['gateways'];
  for (const c of COMPANIES) {
    const admin = PEOPLE.find((p) => p.company === c && p.role === 'administrator')?.id ?? '';
    const list = (await ok('/notifications', { token: tokens.get(admin) })) as { notifications: { serial: string; body: string }[] };
    const body = list.notifications.find((n) => n.serial === serialOf(c))?.body ?? '';
    const token = /Security token: (\S+)/.exec(body)?.[1];
    if (!token) throw new Error(`no registration token for ${c}`);
    await ok(`/registrations/${serialOf(c)}/confirm`, { method: 'POST', body: { token }, token: tokens.get(admin) });
    // A case opened and updated, and an identity claim.
    await send(b, { ...device(c, serialOf(c)), kind: 'environment', severity: 5, eventName: '', description: `TEMP_FAILURE: TempHigh inlet 75C at ${c}` });
    await send(b, { ...device(c, serialOf(c)), kind: 'environment', severity: 3, eventName: '', description: `TEMP_RECOVER: TempOk at ${c}` });
    await send(b, { ...device(c, serialOf(c)), hostname: `${c}-claimed`, kind: 'syslog', description: `${c} claims a name` });
    // Transport Gateways of the company: one registered, reporting its status, one registered and deleted.
    const gw = (await ok('/gateways', { method: 'POST', body: { name: `${c}-tg` }, token: tokens.get(admin) }, 201)) as { id: string; password: string };
    await reportGatewayStatus(b, gw);
    const gone = (await ok('/gateways', { method: 'POST', body: { name: `${c}-tg-old` }, token: tokens.get(admin) }, 201)) as { id: string };
    await ok(`/gateways/${gone.id}`, { method: 'DELETE', token: tokens.get(admin) });
    gateways[c] = gw.id;
    // An Administrator action: another user registered to the company.
    await ok('/users', { method: 'POST', body: { user: `newbie.${c}`, company: c, role: 'user' }, token: tokens.get(admin) }, 201);
    const messages = (await ok('/messages', { token: tokens.get(admin) })) as { messages: { id: number }[] };
    const cases = (await ok('/cases', { token: tokens.get(admin) })) as { cases: { number: string }[] };
    objects[c] = { messageId: messages.messages[0]?.id ?? 0, caseNumber: cases.cases[0]?.number ?? '' };
    if (!objects[c].messageId || !objects[c].caseNumber) throw new Error(`${c}: no message or case to walk with`);
  }
  // A refused device request (a message.rejected event).
  await postXml(b.url, '<not-call-home/>');
  return {
    b,
    relay,
    tokens,
    tokenIds,
    objects,
    gateways,
    async stop() {
      await b.stop();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
