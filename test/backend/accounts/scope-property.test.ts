/**
 * Issue 15, the property: every route of the router's table, called by each person of two companies in each
 * role, and every stream event type, live and resumed. No answer and no event carries a device, message,
 * registration, case, notification or audit entry of a company the caller does not belong to (found by the
 * other company's name, which every one of its values carries), nor of no company (SCH administrators only);
 * every action the role forbids is a 403 with a reason; another company's object is never a 2xx.
 * Runs on SQLite and on PostgreSQL (a throw-away cluster, as the store contract suite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiRoutes, type ApiRoute } from '../../../src/backend/api/router.js';
import { refusedBecause, type Caller } from '../../../src/backend/accounts/model.js';
import { EVENT_TYPES } from '../../../src/events/format.js';
import { StreamFrameSchema, type BackendEvent } from '../../../src/events/protocol.js';
import { databases, DATABASE_KINDS, type Databases } from '../store/databases.js';
import { waitFor } from '../stream/helpers.js';
import { api, TOKEN } from '../helpers.js';
import { buildWorld, COMPANIES, ORPHAN, PEOPLE, serialOf, type CompanyName, type Person, type World } from './fixture.js';

type Stream = { events: BackendEvent[]; ws: WebSocket };

function openStream(url: string, token: string, since = 0): Promise<Stream> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/events?since=${since}`, { headers: { authorization: `Bearer ${token}` } });
  const events: BackendEvent[] = [];
  ws.on('message', (data) => {
    const f = StreamFrameSchema.parse(JSON.parse(String(data)));
    if ('seq' in f) events.push(f);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ events, ws }));
    ws.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode ?? 0}`)));
  });
}

/** The caller the router would see for a person (for the expected 403s). */
function callerOf(p: Person): Caller {
  return { userId: p.id, name: p.id, schAdmin: p.role === 'sch-admin', tokenId: 'x', roles: new Map(p.company && p.role !== 'sch-admin' ? [[p.company, p.role]] : []), agreementPending: !p.acceptsAgreement };
}

const other = (c: CompanyName): CompanyName => (c === 'acme' ? 'globex' : 'acme');

/** Names that must not appear in what a person receives. */
function forbiddenNames(p: Person): RegExp | null {
  if (p.role === 'sch-admin') return null;
  const c = p.company ?? 'acme';
  return new RegExp(`${other(c)}|orphan`, 'i');
}

/** A value for each path parameter, by the segment before it: the other company's object. */
function valueFor(segment: string, c: CompanyName, w: World): string | null {
  switch (segment) {
    case 'devices':
    case 'registrations':
      return serialOf(c);
    case 'messages':
      return String(w.objects[c].messageId);
    case 'cases':
      return w.objects[c].caseNumber;
    case 'users':
      return PEOPLE.find((p) => p.company === c && p.role === 'user')?.id ?? '';
    case 'companies':
      return c;
    case 'tokens':
      return w.tokenIds.get(PEOPLE.find((p) => p.company === c)?.id ?? '') ?? '';
    case 'gateways':
      return w.gateways[c];
    default:
      return null;
  }
}

/** A concrete path for a route, its parameters taken from company `c`; `owned` says whether any parameter names an object. */
function pathFor(route: ApiRoute, c: CompanyName, w: World): { path: string; owned: boolean } {
  let owned = false;
  const src = route.pattern.source.replace(/^\^/, '').replace(/\$$/, '').replace(/\\\//g, '/');
  const path = src.replace(/\((?:[^()\\]|\\.)*\)/g, (group, offset: number) => {
    const segment = src.slice(0, offset).split('/').filter(Boolean).at(-1) ?? '';
    const v = valueFor(segment, c, w);
    if (v !== null) {
      owned = true;
      return encodeURIComponent(v);
    }
    return ['device', 'summary', 'x'].find((s) => new RegExp(`^${group}$`).test(s)) ?? 'x';
  });
  expect(route.pattern.test(path), `sample ${path} for ${route.pattern.source}`).toBe(true);
  return { path, owned };
}

/** A body that passes validation, so the scope check (not the body check) answers. */
function bodyFor(route: ApiRoute, c: CompanyName, w: World): unknown {
  const key = `${route.method} ${route.pattern.source}`;
  if (key.includes('preferences')) return { notifyEmails: ['x@example.com'] };
  if (key.includes('identity')) return { messageId: w.objects[c].messageId };
  if (key.includes('confirm')) return { token: 'ABCDEF012345' };
  if (key === 'POST ^\\/users$') return { user: `newbie.${c}`, company: c, role: 'user' };
  if (key.includes('companies\\/')) return { role: 'administrator' };
  if (key.includes('login')) return { user: 'nobody', password: 'wrong password' };
  if (key.includes('agreement')) return { version: 'not-the-current-one' };
  if (key.includes('tokens')) return { label: 'walk' };
  if (key.includes('contracts')) return { contracts: [] };
  if (key.includes('directory')) return { companies: [], users: [] };
  if (key.includes('gateways')) return { name: 'walk' };
  return {};
}

describe.each(DATABASE_KINDS)('every route and every event, two companies, each role (%s)', (kind) => {
  let dbs: Databases;
  let w: World;
  const live = new Map<string, Stream>();
  let admin: Stream;

  beforeAll(async () => {
    dbs = await databases(kind);
    w = await buildWorld({ dbPath: await dbs.fresh() });
    // Streams from the very first event, opened after the fact: the backfill is filtered too.
    for (const p of PEOPLE) if (p.acceptsAgreement) live.set(p.id, await openStream(w.b.url, w.tokens.get(p.id) ?? ''));
    admin = await openStream(w.b.url, TOKEN);
  }, 180_000);
  afterAll(async () => {
    for (const s of [...live.values(), admin]) s?.ws.close();
    await w?.stop();
    await dbs?.close();
  });

  it('refuses forbidden roles with 403 and a reason, and never answers another company’s data', { timeout: 180_000 }, async () => {
    const routes = apiRoutes(w.b.service);
    let checked = 0;
    for (const p of PEOPLE) {
      const token = w.tokens.get(p.id) ?? '';
      const names = forbiddenNames(p);
      const mine = p.company ?? 'acme';
      for (const route of routes) {
        // Another company's objects in the path (an SCH administrator: GETs only, it may change anything).
        if (p.role === 'sch-admin' && route.method !== 'GET') continue;
        const c = p.role === 'sch-admin' ? mine : other(mine);
        const { path, owned } = pathFor(route, c, w);
        const where = `${p.id} ${route.method} ${path}`;
        const r = await api(w.b.url, path, { method: route.method, token: route.permission === 'public' ? null : token, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: bodyFor(route, c, w) }) });
        const text = JSON.stringify(r.body);
        checked++;
        expect(r.status, `${where}: ${text}`).toBeLessThan(500);
        const refused = refusedBecause(callerOf(p), route.permission);
        if (refused !== null) {
          expect(r.status, `${where} must be refused: ${text}`).toBe(403);
          expect((r.body as { error: string; reason: string }).reason, where).toBe(refused);
          continue;
        }
        if (owned && p.role !== 'sch-admin' && route.returns !== 'service') expect(r.status, `${where} names another company's object: ${text}`).toBeGreaterThanOrEqual(400);
        if (names && r.status < 300) expect(text, `${where} answered another company's data`).not.toMatch(names);
        if (route.method === 'GET' && names) {
          // The same route with the caller's own objects: answered, and still nothing of the other company.
          const own = pathFor(route, mine, w);
          const r2 = await api(w.b.url, own.path, { token });
          expect(r2.status, `${p.id} GET ${own.path}`).toBeLessThan(500);
          if (r2.status < 300) expect(JSON.stringify(r2.body), `${p.id} GET ${own.path}`).not.toMatch(names);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(PEOPLE.length * 20);
  });

  it('shows each person their own company’s devices, and the SCH administrator every one', async () => {
    for (const p of PEOPLE.filter((x) => x.acceptsAgreement)) {
      const r = await api<{ devices: { serial: string; company: string | null }[] }>(w.b.url, '/devices', { token: w.tokens.get(p.id) ?? '' });
      expect(r.status).toBe(200);
      const serials = r.body.devices.map((d) => d.serial).sort();
      expect(serials, p.id).toEqual(p.role === 'sch-admin' ? [...COMPANIES.map(serialOf), ORPHAN].sort() : [serialOf(p.company ?? 'acme')]);
    }
  });

  it('streams every event type, each only to whom it belongs; a resume sees the same events, with no gap', { timeout: 60_000 }, async () => {
    // A fence everyone sees: once it arrived, each stream has had its chance at everything before it.
    const fence = await w.b.service.log.append({ type: 'listener.status', listener: 'http', state: 'listening', port: w.b.httpPort, error: null });
    for (const [id, s] of [...live, ['bootstrap', admin] as const]) await waitFor(() => s.events.some((e) => e.seq >= fence.seq), 20_000, `${id} to reach the fence`);
    const everything = admin.events.filter((e) => e.seq <= fence.seq);
    // Every event type of the protocol happened (a new type needs an action above that emits it).
    expect(new Set(everything.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    for (const p of PEOPLE.filter((x) => x.acceptsAgreement && x.role !== 'sch-admin')) {
      const got = live.get(p.id)?.events.filter((e) => e.seq <= fence.seq) ?? [];
      const names = forbiddenNames(p) ?? /$^/;
      for (const e of got) expect(JSON.stringify(e), `${p.id} got #${e.seq} ${e.type}`).not.toMatch(names);
      // What it got is exactly the events of its company (audit and gateways: Administrators only) and the service's status.
      const adminsOnly = (e: BackendEvent) => e.type === 'audit' || e.type.startsWith('gateway.');
      const expected = everything.filter((e) => e.type === 'listener.status' || (e.type !== 'message.rejected' && e.company === p.company && (!adminsOnly(e) || p.role === 'administrator')));
      expect(got.map((e) => e.seq), p.id).toEqual(expected.map((e) => e.seq));
      expect(got.some((e) => e.type === 'case.opened'), `${p.id} saw its company's case`).toBe(true);
      expect(got.some((e) => e.type === 'audit')).toBe(p.role === 'administrator');
      // Resume from the middle: exactly the rest of the same view.
      const middle = got[Math.floor(got.length / 2)]?.seq ?? 0;
      const resumed = await openStream(w.b.url, w.tokens.get(p.id) ?? '', middle);
      await waitFor(() => resumed.events.some((e) => e.seq >= fence.seq), 20_000, `${p.id} resumed to the fence`);
      resumed.ws.close();
      expect(resumed.events.filter((e) => e.seq <= fence.seq).map((e) => e.seq)).toEqual(got.filter((e) => e.seq > middle).map((e) => e.seq));
    }
    // The SCH administrator's personal stream equals the bootstrap token's.
    expect(live.get('sam.cisco')?.events.filter((e) => e.seq <= fence.seq).map((e) => e.seq)).toEqual(everything.map((e) => e.seq));
  });

  it('refuses a stream to a person who has not accepted the legal agreement (403)', async () => {
    await expect(openStream(w.b.url, w.tokens.get('paul.acme') ?? '')).rejects.toThrow('HTTP 403');
  });
});
