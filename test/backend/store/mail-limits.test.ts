/**
 * The limits on mail to addresses from device messages (processing/mail-limits.ts), counted in the store: on both
 * databases through the real store; an undone transaction takes its counts with it; on PostgreSQL two replicas
 * count against the same limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitMail, type MailLimitOptions, type MailToAdmit } from '../../../src/backend/processing/mail-limits.js';
import { openStore } from '../../../src/backend/store/open-store.js';
import type { Store } from '../../../src/backend/store/types.js';
import { DATABASE_KINDS, databases, type Databases } from './databases.js';

const LIMITS: MailLimitOptions = { perRecipient: 2, perSerial: 3, perSource: 4, windowMs: 60_000, pendingPeriodMs: 3_600_000 };
const T0 = 1_800_000_000_000;

describe.each(DATABASE_KINDS)('mail limits counted in the store on %s', (kind) => {
  let dbs: Databases;
  let url: string;
  let store: Store;
  const admit = (n: Partial<MailToAdmit> & { untrusted: string[] }, at: number, on: Store = store) =>
    on.transaction((tx) => admitMail(tx, LIMITS, at, { kind: 'syslog', serial: 'S1', source: null, ...n }));

  beforeAll(async () => {
    dbs = await databases(kind);
    url = await dbs.fresh();
    store = await openStore(url);
  });
  afterAll(async () => {
    await store.close();
    await dbs.close();
  });

  it('holds an address back past its limit in the window (any case), and mails it again once the window has passed', async () => {
    expect(await admit({ serial: 'R1', untrusted: ['victim@example.com'] }, T0)).toEqual({ send: ['victim@example.com'], heldBack: [] });
    expect((await admit({ serial: 'R2', untrusted: ['VICTIM@example.com'] }, T0 + 1)).send).toEqual(['VICTIM@example.com']);
    expect(await admit({ serial: 'R3', untrusted: ['victim@example.com', 'other@example.com'] }, T0 + 2)).toEqual({ send: ['other@example.com'], heldBack: [{ address: 'victim@example.com', why: 'per-recipient' }] });
    expect((await admit({ serial: 'R4', untrusted: ['victim@example.com'] }, T0 + 60_001)).send).toEqual(['victim@example.com']);
  });

  it('limits what one serial and one source address cause, and sends one Pending Registration mail per serial and period', async () => {
    for (let i = 0; i < 3; i++) expect((await admit({ serial: 'S-LIMIT', untrusted: [`s${i}@example.com`] }, T0 + i)).send).toHaveLength(1);
    expect((await admit({ serial: 'S-LIMIT', untrusted: ['s9@example.com'] }, T0 + 3)).heldBack).toEqual([{ address: 's9@example.com', why: 'per-serial' }]);
    for (let i = 0; i < 4; i++) expect((await admit({ serial: `SRC${i}`, source: '192.0.2.7', untrusted: [`p${i}@example.com`] }, T0 + i)).send).toHaveLength(1);
    expect((await admit({ serial: 'SRC9', source: '192.0.2.7', untrusted: ['p9@example.com'] }, T0 + 5)).heldBack[0]?.why).toBe('per-source');
    const pending = (at: number) => admit({ kind: 'pending-registration', serial: 'P1', untrusted: [`r${at}@example.com`] }, at);
    expect((await pending(T0)).send).toHaveLength(1);
    expect((await pending(T0 + 1_000)).heldBack[0]?.why).toBe('pending-once');
    expect((await pending(T0 + 3_600_001)).send).toHaveLength(1);
  });

  it('forgets the counts of a transaction that is undone, and the hourly purge forgets old counts', async () => {
    const limits = { ...LIMITS, perRecipient: 1 };
    await expect(
      store.transaction(async (tx) => {
        expect((await admitMail(tx, limits, T0, { kind: 'syslog', serial: 'U1', source: null, untrusted: ['undo@example.com'] })).send).toHaveLength(1);
        throw new Error('undone');
      }),
    ).rejects.toThrow('undone');
    const again = () => store.transaction((tx) => admitMail(tx, limits, T0 + 10, { kind: 'syslog', serial: 'U2', source: null, untrusted: ['undo@example.com'] }));
    expect((await again()).send).toEqual(['undo@example.com']);
    expect((await again()).heldBack[0]?.why).toBe('per-recipient');
    expect(await store.purgeMailSends(T0 + 3_600_000 * 2)).toBeGreaterThan(0);
    expect((await again()).send).toEqual(['undo@example.com']);
  });
});

describe('mail limits with two replicas on one PostgreSQL database', () => {
  it('count against the same limits', async () => {
    const dbs = await databases('postgres');
    const url = await dbs.fresh();
    const [a, b] = [await openStore(url), await openStore(url)];
    try {
      const limits = { ...LIMITS, perRecipient: 1 };
      const on = (s: Store, serial: string) => s.transaction((tx) => admitMail(tx, limits, T0, { kind: 'syslog', serial, source: null, untrusted: ['shared@example.com'] }));
      expect((await on(a, 'A1')).send).toEqual(['shared@example.com']);
      expect((await on(b, 'B1')).heldBack).toEqual([{ address: 'shared@example.com', why: 'per-recipient' }]);
    } finally {
      await a.close();
      await b.close();
      await dbs.close();
    }
  });
});
