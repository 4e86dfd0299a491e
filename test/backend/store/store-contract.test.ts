/**
 * The store contract: the same tests through the public Store port on SQLite and on PostgreSQL
 * (a throw-away cluster; the suite fails, never skips, when it cannot start one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openStore } from '../../../src/backend/store/open-store.js';
import { packBody } from '../../../src/backend/store/packed-body.js';
import { decodeCursor, SEARCH_WINDOW } from '../../../src/backend/store/queries.js';
import type { NewMessage, Store } from '../../../src/backend/store/types.js';
import type { BackendEventInput } from '../../../src/events/protocol.js';
import { buildMessage } from '../build-message.js';
import { DATABASE_KINDS, databases, type Databases } from './databases.js';

const at = (minute: number): string => new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString();

function newMessage(serial: string, minute: number, extra: Partial<Parameters<typeof buildMessage>[0]> = {}): NewMessage {
  const message = buildMessage({ serialNumber: serial, hostname: `host-${serial}`, ...extra });
  return { receivedAt: at(minute), transport: 'http', remote: '127.0.0.1', format: 'xml', raw: `<raw ${serial}/>`, message };
}

const rejected = (n: number): BackendEventInput => ({ type: 'message.rejected', transport: 'http', reason: `r${n}`, remote: null });

describe.each(DATABASE_KINDS)('store contract on %s', (kind) => {
  let dbs: Databases;
  let store: Store;

  beforeAll(async () => {
    dbs = await databases(kind);
    store = await openStore(await dbs.fresh());
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await dbs?.close();
  });

  it('stores a message once per (serial, messageId) and reads it back', async () => {
    const m = newMessage('CON0001', 1, { kind: 'syslog', eventName: 'LINK-3-UPDOWN', description: 'Interface Gi1 down' });
    const stored = await store.transaction((tx) => tx.insertMessage(m, 'pending-registration'));
    expect(stored).toMatchObject({ serial: 'CON0001', hostname: 'host-CON0001', type: 'syslog', eventName: 'LINK-3-UPDOWN', receivedAt: at(1) });
    expect(typeof stored?.id).toBe('number');
    expect(await store.transaction((tx) => tx.insertMessage(m, 'pending-registration'))).toBeNull();
    await store.setMessageStatus(stored?.id ?? 0, 'processed', { rules: ['r'], caseAction: 'none' });
    const detail = await store.getMessage(stored?.id ?? 0);
    expect(detail).toMatchObject({ status: 'processed', results: { rules: ['r'], caseAction: 'none' }, raw: '<raw CON0001/>', format: 'xml' });
    expect(detail?.fields.messageId).toBe(m.message.messageId);
    expect(await store.messagesByStatus('CON0001', 'processed')).toHaveLength(1);
    expect(await store.getMessage(999_999)).toBeNull();
  });

  it('stores a large body packed, reads it back whole, and finds its resend a duplicate', async () => {
    const output = 'show tech-support\n' + '%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down\n'.repeat(6000);
    const message = buildMessage({ serialNumber: 'PACK0001', kind: 'snapshot', attachments: [{ name: 'show tech-support', data: output }] });
    const raw = `<body>${output}</body>`;
    const m: NewMessage = { receivedAt: at(2), transport: 'http', remote: '127.0.0.1', format: 'xml', raw: '', message, packed: packBody(raw, message.attachments) };
    expect(m.packed?.bytes.byteLength).toBeLessThan(raw.length / 20);
    const stored = await store.transaction((tx) => tx.insertMessage(m, 'processed'));
    const detail = await store.getMessage(stored?.id ?? 0);
    expect(detail?.raw).toBe(raw);
    expect(detail?.attachments).toEqual([{ name: 'show tech-support', data: output }]);
    expect(detail?.fields.serialNumber).toBe('PACK0001');
    expect((await store.messagesByStatus('PACK0001', 'processed'))[0]?.attachments[0]?.data).toBe(output);
    // The same body unpacked has the same content hash: a resend is a duplicate whichever way it was stored.
    expect(await store.transaction((tx) => tx.insertMessage({ ...m, raw, packed: undefined }, 'processed'))).toBeNull();
  });

  it('lists messages newest first with filters and a cursor that walks every page once', async () => {
    for (let i = 0; i < 25; i++) {
      await store.transaction((tx) => tx.insertMessage(newMessage(`LIST${i % 3}`, 10 + i, { kind: i % 2 ? 'syslog' : 'diagnostic', severity: i % 7, description: i === 7 ? 'Fan TRAY failure' : `event ${i}` }), 'processed'));
    }
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listMessages({ limit: 4, cursor, since: at(10) });
      seen.push(...page.messages.map((m) => m.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect((await store.listMessages({ limit: 100, device: 'LIST1' })).messages).toHaveLength(8);
    expect((await store.listMessages({ limit: 100, device: 'host-LIST1' })).messages).toHaveLength(8);
    expect((await store.listMessages({ limit: 100, type: 'syslog', since: at(10) })).messages).toHaveLength(12);
    expect((await store.listMessages({ limit: 100, severity: 6, since: at(10) })).messages.every((m) => m.severity >= 6)).toBe(true);
    expect((await store.listMessages({ limit: 100, since: at(30), until: at(32) })).messages.map((m) => m.receivedAt)).toEqual([at(31), at(30)]);
    // Text search ignores case on both databases, and % or _ in the text are literal.
    expect((await store.listMessages({ limit: 100, q: 'fan tray' })).messages.map((m) => m.description)).toEqual(['Fan TRAY failure']);
    expect((await store.listMessages({ limit: 100, q: '100%_' })).messages).toEqual([]);
    expect((await store.listMessages({ limit: 100, device: 'NOPE', type: 'syslog', q: 'zzz' })).messages).toEqual([]);
    // A % or _ the term holds matches only itself (SQLite's text index reads them as wildcards: its rows are checked exactly).
    await store.transaction((tx) => tx.insertMessage(newMessage('WILD1', 40, { description: '%LINK-3-UPDOWN: Gi0/1 at 100% of 40x' }), 'processed'));
    const texts = async (q: string): Promise<string[]> => (await store.listMessages({ limit: 100, q })).messages.map((m) => m.serial);
    expect(await texts('%link-3-UPD')).toEqual(['WILD1']);
    expect(await texts('100% of')).toEqual(['WILD1']);
    expect(await texts('LINK_3')).toEqual([]);
    expect(await texts('100%%')).toEqual([]);
    expect(await texts('40_')).toEqual([]);
    expect(await texts('0%_o')).toEqual([]);
    expect(await texts('0% o')).toEqual(['WILD1']);
  });

  it('reports: filters on a set of serials (the History report), with a cursor, and nothing for an empty set', async () => {
    for (let i = 0; i < 12; i++) await store.transaction((tx) => tx.insertMessage(newMessage(`SET${i % 3}`, 200 + i, { kind: i % 4 ? 'syslog' : 'diagnostic' }), 'processed'));
    const serials = ['SET0', 'SET2'];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listHistory({ limit: 5, cursor, serials, type: 'syslog' });
      seen.push(...page.rows.map((m) => m.serial));
      cursor = page.next ?? undefined;
    } while (cursor);
    // SET0 and SET2 each sent four messages, one of them a diagnostic.
    expect(seen.sort()).toEqual(['SET0', 'SET0', 'SET0', 'SET2', 'SET2', 'SET2']);
    expect((await store.listMessages({ limit: 100, serials: [] })).messages).toEqual([]);
    expect((await store.listMessages({ limit: 100, serials: ["SET1' OR '1'='1"] })).messages).toEqual([]);
  });

  it('keeps what a device said unless a message leaves it empty', async () => {
    const first = buildMessage({ serialNumber: 'DEV0001', hostname: 'edge-1', contactEmail: 'a@example.com' });
    await store.transaction((tx) => tx.upsertDevice(first, at(1)));
    await store.transaction((tx) => tx.upsertDevice({ ...first, hostname: '', softwareVersion: '17.9.1' }, at(0)));
    const d = await store.getDevice('DEV0001');
    expect(d).toMatchObject({ hostname: 'edge-1', softwareVersion: '17.9.1', lastMessageAt: at(1), firstSeenAt: at(1), registration: 'pending', anonymous: false });
    // Ingest reads only who the device is (a template query, compiled once per dialect).
    expect(await store.getDeviceIdentity('DEV0001')).toEqual({ hostname: 'edge-1', contactEmail: 'a@example.com', phoneNumber: first.phoneNumber, streetAddress: first.streetAddress, customerId: first.customerId, siteId: first.siteId, contractId: first.contractId });
    expect(await store.getDeviceIdentity('NOPE')).toBeNull();
    expect(await store.setDeviceNotifyEmails('DEV0001', ['x@example.com'])).toBe(true);
    expect(await store.setDeviceNotifyEmails('NOPE', ['x@example.com'])).toBe(false);
    // The inventory and configuration records (S36, S37) round-trip as they were mapped.
    const image = { version: '17.9.1', file: 'bootflash:x.bin', software: 'X86_64_LINUX_IOSD-UNIVERSALK9-M' };
    const psu = { name: 'Power Supply Module 0', description: 'AC', model: 'PWR-4430-AC', hardwareVersion: 'V03', serialNumber: 'PS1', slot: '0', state: '' };
    const inventory = { messageId: 'M1', eventTime: 't', mappedAt: at(2), chassis: { model: 'CSR1000V', serialNumber: 'DEV0001', hardwareVersion: 'V00', partNumber: '', description: '', series: '' }, modules: [], subModules: [], powerSupplies: [psu], fans: [], memory: { processorKb: 1, ioKb: null, nvramKb: null, physicalKb: null, storage: [] }, image, sources: ['show version'] };
    const configuration = { messageId: 'M2', eventTime: 't', mappedAt: at(3), running: 'hostname edge-1', startup: null, image, featureSet: 'UNIVERSALK9', technologies: [{ technology: 'Routing', subTechnology: 'OSPF' }], sources: [] };
    await store.setDeviceInventory('DEV0001', at(2), inventory);
    await store.setDeviceConfiguration('DEV0001', at(3), configuration);
    expect(await store.getDevice('DEV0001')).toMatchObject({ notifyEmails: ['x@example.com'], lastInventoryAt: at(2), configuration, inventory });
    expect((await store.findDeviceByHostname('edge-1'))?.serial).toBe('DEV0001');
    expect(await store.findDeviceByHostname('nobody')).toBeNull();
    expect((await store.listDevices()).some((x) => x.serial === 'DEV0001')).toBe(true);
  });

  it('registrations, contracts, cases and notifications round-trip', async () => {
    const reg = { serial: 'REG0001', state: 'pending' as const, tokenHash: 'h', failedAttempts: 0, contractNumber: null, createdAt: at(1), updatedAt: at(1), confirmedAt: null, trialEndsAt: null, lastReminderAt: null, coverage: null, coverageEndsAt: null, registeredBy: null, warnedDays: null, refusal: null };
    await store.putRegistration(reg);
    await store.putRegistration({ ...reg, state: 'trial', failedAttempts: 2, updatedAt: at(2), trialEndsAt: at(50) });
    expect(await store.getRegistration('REG0001')).toEqual({ ...reg, state: 'trial', failedAttempts: 2, updatedAt: at(2), trialEndsAt: at(50) });
    expect(await store.deleteRegistration('REG0001')).toBe(true);
    expect(await store.deleteRegistration('REG0001')).toBe(false);
    expect((await store.listRegistrations()).map((r) => r.state)).toContain('deleted');

    await store.putContract({ serial: 'REG0001', contractNumber: '', contractType: 'direct', company: 'X', expiresAt: null });
    await store.putContract({ serial: 'REG0001', contractNumber: 'C1', contractType: 'direct', company: 'X', expiresAt: at(99) });
    expect(await store.getContract('REG0001')).toEqual({ serial: 'REG0001', contractNumber: 'C1', contractType: 'direct', company: 'X', expiresAt: at(99) });
    expect(await store.listContracts()).toHaveLength(1);

    const c = await store.transaction((tx) => tx.insertCase({ serial: 'REG0001', hostname: 'h', status: 'open', priority: 2, title: 't', rule: 'r', foldKey: 'fk', openedAt: at(1), updatedAt: at(1), recommendation: 'x', history: [{ at: at(1), messageId: 1, note: 'n' }], attachments: [] }));
    expect(c.number).toBe(String(690_000_000 + c.id));
    expect((await store.findOpenCase('REG0001', 'fk'))?.id).toBe(c.id);
    await store.updateCase({ ...c, status: 'closed' });
    expect(await store.findOpenCase('REG0001', 'fk')).toBeNull();
    expect((await store.getCaseByNumber(c.number))?.history).toEqual([{ at: at(1), messageId: 1, note: 'n' }]);
    expect((await store.getCase(c.id))?.status).toBe('closed');
    expect((await store.listCases())[0]?.id).toBe(c.id);

    const n = await store.insertNotification({ kind: 'test', serial: 'REG0001', to: ['a@example.com'], subject: 's', body: 'b', sentAt: at(1) });
    expect(n).toMatchObject({ kind: 'test', to: ['a@example.com'], delivered: false, error: null });
    await store.setNotificationDelivery(n.id, false, 'relay down');
    expect((await store.listNotifications(1))[0]).toMatchObject({ id: n.id, delivered: false, error: 'relay down' });
  });

  // entitlement: the back-office fixtures, lock-outs and add-contract requests, and what a registration rests on.
  it('service contracts with the serials they cover, installed base with warranty, lock-outs, contract requests; scoped by company', async () => {
    await store.putServiceContract({ number: 'ENT-1', type: 'direct', company: 'acme', expiresAt: at(90), remoteSupport: true, families: ['Fam A'], serials: ['ENT0001', 'ENT0002'] });
    await store.putServiceContract({ number: 'ENT-2', type: 'partner-branded', company: 'other', expiresAt: null, remoteSupport: false, families: [], serials: ['ENT0002'] });
    await store.putInstalledBase({ serial: 'ENT0001', family: 'Fam B', pid: 'PID-1', company: 'acme', warrantyExpiresAt: at(80), warrantyCompany: 'acme' });
    expect(await store.getServiceContract('ENT-1')).toEqual({ number: 'ENT-1', type: 'direct', company: 'acme', expiresAt: at(90), remoteSupport: true, families: ['Fam A'], serials: ['ENT0001', 'ENT0002'] });
    expect((await store.coveringContracts('ENT0002')).map((c) => c.number)).toEqual(['ENT-1', 'ENT-2']);
    expect(await store.familiesCoveredBy(['ENT-1', 'ENT-2'])).toEqual(new Map([['ENT-1', ['Fam B']], ['ENT-2', []]]));
    expect(await store.getInstalledBase('ENT0001')).toEqual({ serial: 'ENT0001', family: 'Fam B', pid: 'PID-1', company: 'acme', warrantyExpiresAt: at(80), warrantyCompany: 'acme' });
    // A contract import replaces its list of serials.
    await store.putServiceContract({ number: 'ENT-1', type: 'cbr', company: 'acme', expiresAt: at(90), remoteSupport: true, families: [], serials: ['ENT0001'] });
    expect((await store.coveringContracts('ENT0002')).map((c) => c.number)).toEqual(['ENT-2']);
    // Scoped to a company, the lists show only its contracts and installed base.
    const acme = store.scoped(['acme']);
    expect((await acme.listServiceContracts()).map((c) => c.number).filter((n) => n.startsWith('ENT'))).toEqual(['ENT-1']);
    expect((await acme.listContracts()).filter((c) => c.serial.startsWith('ENT')).map((c) => [c.serial, c.contractNumber])).toEqual([['ENT0001', 'ENT-1']]);
    expect((await store.scoped(['other']).listInstalledBase()).some((e) => e.serial === 'ENT0001')).toBe(false);
    await store.putLockout({ user: 'alice', failed: 3, lockedAt: null });
    await store.putLockout({ user: 'alice', failed: 10, lockedAt: at(5) });
    expect(await store.getLockout('alice')).toEqual({ user: 'alice', failed: 10, lockedAt: at(5) });
    expect(await store.clearLockout('alice')).toBe(true);
    expect(await store.getLockout('alice')).toBeNull();
    const request = { ccoId: 'alice', contractNumber: 'ENT-2', serial: 'ENT0002', requestedAt: at(6) };
    await store.addContractRequest(request);
    await store.addContractRequest(request);
    expect(await store.listContractRequests()).toEqual([request]);
    expect(await store.deleteContractRequest(request)).toBe(true);
    expect(await store.deleteContractRequest(request)).toBe(false);
    expect(await store.listContractRequests()).toEqual([]);
    const reg = { serial: 'ENT0001', state: 'registered' as const, tokenHash: 'h', failedAttempts: 0, contractNumber: 'ENT-1', createdAt: at(1), updatedAt: at(2), confirmedAt: at(2), trialEndsAt: null, lastReminderAt: null, coverage: 'contract' as const, coverageEndsAt: at(90), registeredBy: 'alice', warnedDays: 30, refusal: { code: 'no-eligible-contract', reason: 'why' } };
    await store.putRegistration(reg);
    expect(await store.getRegistration('ENT0001')).toEqual(reg);
  });

  it('imports in bulk, pages the history with status and results, and purges what is older than a cut-off in batches', async () => {
    const list = Array.from({ length: 2_500 }, (_, i) => ({ message: newMessage(`BULK${i % 50}`, 0, { description: i % 2 ? 'say "hi" 50%' : 'xy', messageId: `BULK-${i}` }), status: 'processed' as const }));
    const old = list.map((x, i) => ({ ...x, message: { ...x.message, receivedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString() } }));
    expect(await store.importMessages(old)).toBe(2_500);
    expect(await store.importMessages(old.slice(0, 10))).toBe(0);
    const page = await store.listHistory({ limit: 3, device: 'BULK7' });
    expect(page.rows).toHaveLength(3);
    expect(page.rows[0]).toMatchObject({ serial: 'BULK7', status: 'processed', results: {} });
    expect(page.next).not.toBeNull();
    // Text search: a quote and a % are plain text; two characters work too.
    expect((await store.listMessages({ limit: 5000, q: 'say "hi" 50%' })).messages).toHaveLength(1_250);
    expect((await store.listMessages({ limit: 5000, q: 'XY' })).messages.length).toBeGreaterThanOrEqual(1_250);
    let purged = 0;
    for (;;) {
      const r = await store.purgeBefore('2025-06-01T00:00:00.000Z', 1_000);
      expect(r.messages).toBeLessThanOrEqual(1_000);
      purged += r.messages;
      if (r.messages === 0) break;
    }
    expect(purged).toBe(2_500);
    expect((await store.listMessages({ limit: 10, device: 'BULK7' })).messages).toEqual([]);
    expect((await store.listMessages({ limit: 10, q: 'say "hi"' })).messages).toEqual([]);
  });

  // store (issue 14): a severity minimum is read a level at a time and merged; a long serial list (a company,
  // a user’s scope: here 10,667 messages, over the 10,000 that switch plans) is checked row by row, a short one
  // read from the serial index. Every plan pages the same rows, in the same order, as reading each device alone.
  it('pages severity minimums, serial lists and a company scope in list order, whichever plan reads them', { timeout: 120_000 }, async () => {
    const serials = Array.from({ length: 30 }, (_, d) => `SEV${String(d).padStart(3, '0')}`);
    for (const [d, serial] of serials.entries()) {
      await store.upsertDevice(buildMessage({ serialNumber: serial, hostname: `sev-host-${d}` }), at(0));
      await store.setDeviceCompany(serial, d < 20 ? 'SevCoA' : 'SevCoB');
    }
    const kinds = ['syslog', 'diagnostic', 'environment'] as const;
    const rows = Array.from({ length: 16_000 }, (_, i) => ({
      // Three messages per second share a time stamp: the id breaks the tie.
      message: { ...newMessage(serials[i % 30] ?? '', 0, { kind: kinds[Math.floor(i / 30) % 3], severity: Math.floor(i / 7) % 10, messageId: `SEV-${i}` }), receivedAt: new Date(Date.UTC(2026, 9, 1) + Math.floor(i / 3) * 1000).toISOString() },
      status: 'processed' as const,
    }));
    expect(await store.importMessages(rows)).toBe(16_000);
    type Summary = Awaited<ReturnType<Store['listMessages']>>['messages'][number];
    const walk = async (read: (cursor: string | undefined) => Promise<{ messages: Summary[]; next: string | null }>): Promise<number[]> => {
      const ids: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await read(cursor);
        ids.push(...page.messages.map((m) => m.id));
        cursor = page.next ?? undefined;
      } while (cursor);
      return ids;
    };
    // The reference: each device read on its own (the device index), merged here.
    const all: Summary[] = [];
    for (const serial of serials) {
      let cursor: string | undefined;
      do {
        const page = await store.listMessages({ device: serial, limit: 1000, cursor });
        all.push(...page.messages);
        cursor = page.next ?? undefined;
      } while (cursor);
    }
    expect(all).toHaveLength(16_000);
    all.sort((a, b) => (a.receivedAt === b.receivedAt ? b.id - a.id : a.receivedAt < b.receivedAt ? 1 : -1));
    const expected = (keep: (m: Summary) => boolean): number[] => all.filter(keep).map((m) => m.id);
    const company = serials.slice(0, 20);
    const cases: [string, Parameters<Store['listMessages']>[0], (m: Summary) => boolean][] = [
      ['severity ≥ 3', { limit: 700, severity: 3, serials }, (m) => m.severity >= 3],
      ['severity ≥ 9', { limit: 700, severity: 9, serials }, (m) => m.severity >= 9],
      ['type + severity ≥ 6', { limit: 300, type: 'diagnostic', severity: 6, serials }, (m) => m.type === 'diagnostic' && m.severity >= 6],
      ['a long serial list', { limit: 900, serials: company }, (m) => company.includes(m.serial)],
      ['a short serial list + severity', { limit: 50, serials: ['SEV003', 'SEV004'], severity: 8 }, (m) => ['SEV003', 'SEV004'].includes(m.serial) && m.severity >= 8],
      ['a long serial list + type + severity', { limit: 400, serials: company, type: 'syslog', severity: 5 }, (m) => company.includes(m.serial) && m.type === 'syslog' && m.severity >= 5],
    ];
    for (const [label, filter, keep] of cases) {
      const want = expected(keep);
      expect(want.length, label).toBeGreaterThan(0);
      expect(await walk((cursor) => store.listMessages({ ...filter, cursor })), label).toEqual(want);
    }
    // A company's user: the scope is a serial list of its own.
    const scoped = store.scoped(['SevCoA']);
    const inA = (m: Summary): boolean => company.includes(m.serial);
    expect(await walk((cursor) => scoped.listMessages({ limit: 1000, cursor, since: '2026-10-01T00:00:00.000Z', until: '2026-10-02T00:00:00.000Z' }))).toEqual(expected(inA));
    expect(await walk((cursor) => scoped.listMessages({ limit: 200, cursor, severity: 7, type: 'environment', since: '2026-10-01T00:00:00.000Z', until: '2026-10-02T00:00:00.000Z' }))).toEqual(expected((m) => inA(m) && m.severity >= 7 && m.type === 'environment'));
    expect((await scoped.listMessages({ limit: 10, device: 'SEV025' })).messages).toEqual([]);
    // The device searches behind company / host name / serial criteria.
    expect(await store.deviceSerials({ company: 'sevcob' })).toEqual(serials.slice(20));
    expect(await store.deviceSerials({ hostname: 'SEV-HOST-1', serial: 'sev01' })).toEqual(['SEV010', 'SEV011', 'SEV012', 'SEV013', 'SEV014', 'SEV015', 'SEV016', 'SEV017', 'SEV018', 'SEV019']);
    expect(await scoped.deviceSerials({ company: 'SevCoB' })).toEqual([]);
    expect((await store.devicesOf(['SEV001', 'NOSUCH'])).map((d) => [d.serial, d.company])).toEqual([['SEV001', 'SevCoA']]);
  });

  // search (issue 14): a text checked row by row (a common one) with a filter it never meets examines at most
  // SEARCH_WINDOW rows a page; a short page says how far it searched and its `next` goes on from there.
  it('bounds a text search that another filter rarely meets: short pages marked partial, walked to every match exactly once', { timeout: 240_000 }, async () => {
    const url = await dbs.fresh();
    const own = await openStore(url);
    try {
      const W = SEARCH_WINDOW[kind];
      // Oldest first, three rows a second (the id breaks ties); one in six is syslog, whose text always has
      // "Interface" (common: read row by row); a few diagnostic messages far back have it too.
      // Over three windows of either database; the common text in over 2,000 rows.
      const total = 17_500;
      const isSyslog = (i: number): boolean => i % 6 === 5;
      const diagnostic = Array.from({ length: total }, (_, i) => i).filter((i) => !isSyslog(i));
      const newest = (k: number): number => diagnostic[diagnostic.length - k] ?? -1;
      // By rank among diagnostics, newest first: the last row of the first window, the first of the second, deep ones, the oldest.
      const ranks = [W, W + 1, ...Array.from({ length: 12 }, (_, j) => W + 2 + Math.floor(((diagnostic.length - W - 3) * (j + 1)) / 13)), diagnostic.length];
      const matching = new Set(ranks.map(newest));
      const time = (i: number): string => new Date(Date.UTC(2026, 5, 1) + Math.floor(i / 3) * 1000).toISOString();
      const rows = Array.from({ length: total }, (_, i) => ({
        message: { ...newMessage(`WIN${i % 40}`, 0, { kind: isSyslog(i) ? 'syslog' : 'diagnostic', severity: isSyslog(i) ? 5 : i % 10, description: isSyslog(i) ? `Interface Gi0/${i % 48} down` : matching.has(i) ? 'Interface loopback test failed' : `diagnostic report ${i % 1000}`, messageId: `WIN-${i}` }), receivedAt: time(i) },
        status: 'processed' as const,
      }));
      expect(await own.importMessages(rows)).toBe(total);
      if (kind === 'postgres') {
        // What autovacuum does after a bulk load: the planner's estimate of a text's matches rests on these statistics.
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query('ANALYZE messages');
        await c.end();
      }
      type Page = Awaited<ReturnType<Store['listMessages']>>;
      const walk = async (filter: Omit<Parameters<Store['listMessages']>[0], 'cursor'>): Promise<Page[]> => {
        const pages: Page[] = [];
        let cursor: string | undefined;
        do {
          const page = await own.listMessages({ ...filter, cursor });
          pages.push(page);
          // A partial page continues where it stopped; a complete short page is the end.
          if (page.searched.complete) expect(page.next === null || page.messages.length === filter.limit).toBe(true);
          else expect(page.next && decodeCursor(page.next)?.receivedAt).toBe(page.searched.through);
          cursor = page.next ?? undefined;
        } while (cursor);
        return pages;
      };
      const ids = (pages: Page[]): number[] => pages.flatMap((p) => p.messages.map((m) => m.id));
      const byRank = ranks.map(newest);

      // The type and the common text: one window of diagnostics per page, so pages are short; none is lost or repeated.
      const pages = await walk({ limit: 50, type: 'diagnostic', q: 'Interface' });
      const found = pages.flatMap((p) => p.messages);
      expect(found.map((m) => m.description)).toEqual(byRank.map(() => 'Interface loopback test failed'));
      expect(found.map((m) => m.receivedAt)).toEqual(byRank.map(time));
      expect(new Set(ids(pages)).size).toBe(byRank.length);
      expect(pages).toHaveLength(Math.ceil(diagnostic.length / W));
      expect(pages[0]?.messages.map((m) => m.receivedAt)).toEqual([time(newest(W))]);
      expect(pages[0]?.searched).toEqual({ complete: false, through: time(newest(W)) });
      expect(pages[1]?.searched).toEqual({ complete: false, through: time(newest(2 * W)) });
      expect(pages.at(-1)?.searched).toEqual({ complete: true });
      expect(pages.at(-1)?.next).toBeNull();
      // The same walk from the history's list.
      const first = await own.listHistory({ limit: 50, type: 'diagnostic', q: 'Interface' });
      expect(first.rows.map((r) => r.receivedAt)).toEqual([time(newest(W))]);
      expect(first.searched).toEqual({ complete: false, through: time(newest(W)) });

      // With a severity minimum each level has its share of the window; the walk still finds exactly the matches.
      const severe = await walk({ limit: 5, type: 'diagnostic', severity: 6, q: 'Interface' });
      const wanted = byRank.filter((i) => i % 10 >= 6).map(time);
      expect(wanted.length).toBeGreaterThan(0);
      expect(severe.flatMap((p) => p.messages.map((m) => m.receivedAt))).toEqual(wanted);
      expect(severe.some((p) => !p.searched.complete)).toBe(true);
      expect(new Set(ids(severe)).size).toBe(wanted.length);

      // A text under three characters has no trigram: checked row by row, bounded the same way, to the end.
      const none = await walk({ limit: 50, type: 'diagnostic', q: 'zq' });
      expect(ids(none)).toEqual([]);
      expect(none.map((p) => p.searched.complete)).toEqual([...Array.from({ length: Math.ceil(diagnostic.length / W) - 1 }, () => false), true]);

      // A long serial list (a company's devices: 30 of the 40 here, over 10,000 messages) is checked with the
      // text after the window on SQLite, so the window counts the rows read (all 17,500), not the list's (13,130);
      // PostgreSQL reads the list inside the window. The same matches either way.
      const list = Array.from({ length: 30 }, (_, d) => `WIN${d}`);
      const inList = (i: number): boolean => i % 40 < 30;
      const listed = await walk({ limit: 50, serials: list, type: 'diagnostic', q: 'Interface' });
      expect(listed.flatMap((p) => p.messages.map((m) => m.receivedAt))).toEqual(byRank.filter(inList).map(time));
      const short = await walk({ limit: 50, serials: list, q: 'zq' });
      expect(ids(short)).toEqual([]);
      expect(short).toHaveLength(Math.ceil((kind === 'sqlite' ? total : Array.from({ length: total }, (_, i) => i).filter(inList).length) / W));

      // Where the window fills the page, nothing changes: full pages, complete, with a next.
      const common = await own.listMessages({ limit: 50, q: 'Interface' });
      expect(common.messages).toHaveLength(50);
      expect(common.searched).toEqual({ complete: true });
      expect(common.next).not.toBeNull();
      // A rare text is looked up in its index, whole, whatever else is filtered.
      const rare = await own.listMessages({ limit: 50, type: 'diagnostic', q: 'loopback' });
      expect(rare.messages.map((m) => m.receivedAt)).toEqual(byRank.map(time));
      expect(rare.searched).toEqual({ complete: true });
    } finally {
      await own.close();
    }
  });

  it('a failed transaction leaves nothing, not even a seq; a failed savepoint only its own writes', async () => {
    const before = await store.lastSeq();
    await expect(
      store.transaction(async (tx) => {
        await tx.insertMessage(newMessage('ROLL001', 1), 'processed');
        await tx.appendEvents([{ input: rejected(1), at: at(1) }]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.lastSeq()).toBe(before);
    expect((await store.listMessages({ limit: 10, device: 'ROLL001' })).messages).toEqual([]);

    const kept = await store.transaction(async (tx) => {
      await tx.insertMessage(newMessage('SAVE001', 1), 'processed');
      await expect(tx.savepoint(async () => {
        await tx.insertMessage(newMessage('SAVE002', 1), 'processed');
        throw new Error('inner');
      })).rejects.toThrow('inner');
      return tx.appendEvents([{ input: rejected(2), at: at(2) }, { input: rejected(3), at: at(2) }]);
    });
    expect(kept.map((e) => e.seq)).toEqual([before + 1, before + 2]);
    expect((await store.listMessages({ limit: 10, device: 'SAVE001' })).messages).toHaveLength(1);
    expect((await store.listMessages({ limit: 10, device: 'SAVE002' })).messages).toEqual([]);
  });

  it('hands out event seqs with no gap under concurrent transactions, and reads them back in pages', async () => {
    const before = await store.lastSeq();
    const sizes = [3, 1, 1200, 2, 5, 1, 40];
    const batches = await Promise.all(sizes.map((size, b) => store.transaction((tx) => tx.appendEvents(Array.from({ length: size }, (_, i) => ({ input: rejected(b * 10_000 + i), at: at(3) }))))));
    const all = batches.flat().map((e) => e.seq).sort((a, b) => a - b);
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(all).toEqual(Array.from({ length: total }, (_, i) => before + 1 + i));
    for (const batch of batches) expect(batch.map((e) => e.seq)).toEqual(Array.from({ length: batch.length }, (_, i) => (batch[0]?.seq ?? 0) + i));
    expect(await store.lastSeq()).toBe(before + total);
    const read: number[] = [];
    for (let from = before; ; ) {
      const page = await store.eventsSince(from, 500);
      if (page.length === 0) break;
      read.push(...page.map((e) => e.seq));
      from = page.at(-1)?.seq ?? from;
    }
    expect(read).toEqual(all);
    expect((await store.eventsSince(before, 1))[0]).toMatchObject({ type: 'message.rejected', seq: before + 1 });
  });
});
