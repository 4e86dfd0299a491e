/**
 * The Network Summary (S73, §4.5) and Registration Summary (S74, §4.6) reports through a real back end
 * (HTTP ingest, the REST API, SQLite): devices in every registration state, two companies, a contract
 * ending within 30 days, a trial, a lapsed contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../src/callhome/codec.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { buildMessage } from './build-message.js';
import { importBackOffice } from './entitlement/fixtures.js';
import { api, postXml, startTestBackend, type TestBackend } from './helpers.js';

const LATER = '2099-12-31';
const CSR = { model: 'CSR1000V', series: 'CSR1000v Cloud Services Router' };
const C9300 = { model: 'C9300-48P', series: 'Cisco Catalyst 9300 Series Switches', softwareVersion: '17.6.5' };
type Report = { rows: Record<string, unknown>[]; empty?: string };

let b: TestBackend;
const soon = new Date(Date.now() + 10.5 * 86_400_000).toISOString().slice(0, 10);

async function send(m: Partial<CallHomeMessage> & { serialNumber: string }): Promise<void> {
  expect((await postXml(b.url, renderXml(buildMessage(m)))).status).toBe(200);
}
async function register(serial: string, m: Partial<CallHomeMessage> = {}): Promise<void> {
  await send({ serialNumber: serial, hostname: `h-${serial}`, ...m });
  const notes = (await api<{ notifications: { serial: string | null; kind: string; body: string }[] }>(b.url, '/notifications?limit=1000')).body.notifications;
  const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === serial && n.kind === 'pending-registration')?.body ?? '')?.[1];
  expect((await api(b.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token } })).status).toBe(200);
}
const report = async (path: string): Promise<Report> => {
  const r = await api<Report>(b.url, path);
  expect(r.status).toBe(200);
  return r.body;
};

beforeAll(async () => {
  b = await startTestBackend();
  await importBackOffice(b.url, {
    contracts: [
      { number: 'C-SOON', type: 'direct', company: 'acme', expires: soon, serials: ['SUM0001'] },
      { number: 'C-LONG', type: 'cbr', company: 'acme', expires: LATER, serials: ['SUM0002'] },
      { number: 'G-1', type: 'direct', company: 'globex', expires: LATER, serials: ['SUM0004'] },
    ],
    installedBase: [
      { serial: 'SUM0001', company: 'acme' },
      { serial: 'SUM0002', company: 'acme' },
      { serial: 'SUM0003', company: 'acme' },
      { serial: 'SUM0004', company: 'globex' },
      { serial: 'SUM0005', company: 'globex' },
    ],
  });
  await register('SUM0001', CSR);
  await register('SUM0002', C9300);
  await register('SUM0003', CSR);
  await register('SUM0004', CSR);
  await send({ serialNumber: 'SUM0005', hostname: 'h-SUM0005', ...CSR });
  // Globex's contract lapses: its device's registration expires (S21).
  await importBackOffice(b.url, { contracts: [{ number: 'G-1', type: 'direct', company: 'globex', expires: '2020-01-01', serials: ['SUM0004'] }] });
  expect((await api<{ registration: string }>(b.url, '/devices/SUM0004')).body.registration).toBe('expired');
});
afterAll(() => b.stop());

describe('Network Summary (S73)', () => {
  it('counts devices per company, product family, chassis model, software version and registration state', async () => {
    const row = (company: string, series: string, model: string, softwareVersion: string, registration: string, devices: number) => ({ company, series, model, softwareVersion, registration, devices });
    expect((await report('/reports/network')).rows).toEqual([
      row('acme', C9300.series, C9300.model, '17.6.5', 'registered', 1),
      row('acme', CSR.series, CSR.model, '17.3.1', 'registered', 1),
      row('acme', CSR.series, CSR.model, '17.3.1', 'trial', 1),
      row('globex', CSR.series, CSR.model, '17.3.1', 'expired', 1),
      row('globex', CSR.series, CSR.model, '17.3.1', 'pending', 1),
    ]);
    expect((await report('/reports/network?company=GLOBEX')).rows.map((r) => r['registration'])).toEqual(['expired', 'pending']);
    expect(await report('/reports/network?company=initech')).toMatchObject({ rows: [], empty: 'No data was found.' });
  });
});

describe('Registration Summary (S74)', () => {
  it('shows, per company and contract, the contract type and the devices registered, on trial, pending, expired and expiring within 30 days', async () => {
    const row = (company: string, contract: string, contractType: string, counts: { devices: number; trial?: number; pending?: number; expired?: number; expiringSoon?: number }) => ({ company, contract, contractType, trial: 0, pending: 0, expired: 0, expiringSoon: 0, ...counts });
    expect((await report('/reports/registration')).rows).toEqual([
      row('acme', 'C-SOON', 'direct', { devices: 1, expiringSoon: 1 }),
      // The trial rests on acme's eligible CBR contract: it counts there, ending in 120 days.
      row('acme', 'C-LONG', 'cbr', { devices: 2, trial: 1 }),
      row('globex', 'G-1', 'direct', { devices: 1, expired: 1 }),
      row('globex', 'Pending', '', { devices: 1, pending: 1 }),
    ]);
    expect((await report('/reports/registration?company=acme')).rows.map((r) => r['contract'])).toEqual(['C-SOON', 'C-LONG']);
    expect((await api(b.url, '/reports/registration?hostname=h')).status).toBe(400);
  });
});
