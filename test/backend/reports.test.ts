/**
 * Issue 16, reports (S69–S77), through a real back end (HTTP, SQLite): device search on six criteria,
 * device details with the §4.3 categories, history filters and columns, Product Alerts from the shipped
 * advisory table, empty states, and every report exported to CSV, JSON, Excel and PDF — the files read
 * back with exceljs and pdf.js.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMessages } from '../../commands/messages.js';
import { runReports, type ReportsOptions } from '../../commands/reports.js';
import { renderXml } from '../../src/callhome/codec.js';
import type { Card, CallHomeMessage } from '../../src/domain/message.js';
import { renderShowVersion } from '../../src/lab/show/system.js';
import type { DeviceIdentity } from '../../src/lab/types.js';
import { readPdf, readXlsx } from '../support/report-files.js';
import { buildMessage } from './build-message.js';
import { api, postXml, startTestBackend, TOKEN, type TestBackend } from './helpers.js';

let b: TestBackend;
let between = '';

type Fleet = { serial: string; hostname: string; model: string; series: string; softwareVersion: string; cards: Card[] };
const CORE: Fleet = {
  serial: 'FOC2233RPT1',
  hostname: 'core-sw-01',
  model: 'C9300-48P',
  series: 'Cisco Catalyst 9300 Series Switches',
  softwareVersion: '17.6.5',
  cards: [
    { model: 'C9300-NM-8X', serialNumber: 'FOC2201NMAB', partNumber: '73-17180-05', location: 'Slot 1', hardwareVersion: 'V02', softwareVersion: '17.6.5' },
    { model: 'PWR-C1-715WAC', serialNumber: 'LIT2201PS0A', partNumber: '341-0675-02', location: 'PS0', hardwareVersion: 'V03', softwareVersion: '' },
  ],
};
const EDGE: Fleet = { serial: 'FTX1840RPT2', hostname: 'edge-rtr-02', model: 'CISCO2911/K9', series: 'Cisco 2911 Integrated Services Router', softwareVersion: '15.2(4)M11', cards: [{ model: 'EHWIC-4ESG', serialNumber: 'FOC1839EHWI', partNumber: '73-12345-01', location: 'Slot 0/1', hardwareVersion: 'V01', softwareVersion: '' }] };
const PENDING: Fleet = { serial: 'FOC2233RPT3', hostname: 'core-sw-03', model: 'C9300-48P', series: CORE.series, softwareVersion: '17.6.5', cards: [] };
const QUIET: Fleet = { serial: '9RPT4CSR000', hostname: 'lab-csr-04', model: 'CSR1000V', series: 'CSR1000v Cloud Services Router', softwareVersion: '17.9.4a', cards: [] };

/** `show inventory` as IOS XE prints it: the chassis, then each card of the fleet entry (PWR-… as a power supply). */
function showInventory(d: Fleet): string {
  const entry = (name: string, descr: string, pid: string, vid: string, sn: string) => `NAME: "${name}", DESCR: "${descr}"\nPID: ${pid.padEnd(18)}, VID: ${vid.padEnd(4)}, SN: ${sn}\n`;
  return [entry('Chassis', d.series, d.model, 'V02', d.serial), ...d.cards.map((c) => (c.model.startsWith('PWR') ? entry(`Switch 1 - Power Supply A`, 'Switch 1 - Power Supply A', c.model, c.hardwareVersion, c.serialNumber) : entry(c.location, `${c.model} module`, c.model, c.hardwareVersion, c.serialNumber)))].join('\n');
}
function message(d: Fleet, o: Partial<CallHomeMessage>): CallHomeMessage {
  const showVersion = renderShowVersion({ ...d, name: d.hostname } as unknown as DeviceIdentity, d.hostname, 3_600, new Date('2026-11-01T00:00:00Z'));
  return buildMessage({
    serialNumber: d.serial,
    hostname: d.hostname,
    model: d.model,
    series: d.series,
    softwareVersion: d.softwareVersion,
    deviceId: `${d.model}@C@${d.serial}`,
    attachments: [
      { name: 'show version', data: `show version\n${showVersion}\n${d.hostname}#` },
      { name: 'show inventory', data: `show inventory\n${showInventory(d)}\n${d.hostname}#` },
    ],
    ...o,
  });
}
/** The bodies posted, by the stored message's id. */
const posted = new Map<number, string>();
async function send(m: CallHomeMessage): Promise<void> {
  const xml = renderXml(m);
  const r = await postXml(b.url, xml);
  expect(r.status).toBe(200);
  posted.set(Number(r.json['id']), xml);
}
async function confirm(serial: string): Promise<void> {
  const { body } = await api<{ notifications: { kind: string; serial: string | null; body: string }[] }>(b.url, '/notifications');
  const token = /Security token: (\S+)/.exec(body.notifications.find((n) => n.serial === serial && n.kind === 'pending-registration')?.body ?? '')?.[1];
  expect((await api(b.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token } })).status).toBe(200);
}
async function download(path: string): Promise<{ status: number; type: string; disposition: string; data: Uint8Array }> {
  const res = await fetch(`${b.url}/api/v1${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', data: new Uint8Array(await res.arrayBuffer()) };
}
type Report = { kind: string; columns: string[]; headers: string[]; rows: Record<string, unknown>[]; empty?: string; criteria: Record<string, string> };
const report = async (path: string): Promise<Report> => {
  const r = await api<Report>(b.url, path);
  expect(r.status).toBe(200);
  return r.body;
};
const serials = (r: Report): unknown[] => r.rows.map((x) => x['serial']);
/** The CSV cell of a value: '' for none; a text a spreadsheet would take for a formula behind an apostrophe (CSV injection). */
const csvCell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v));
/** True when a PDF cell shows this value: whole, or cut with "…" where the column ends. */
const shows = (cell: string, value: string): boolean => cell === value || (cell.endsWith('…') && value.startsWith(cell.slice(0, -1)));

const RUNNING = ['hostname core-sw-01', 'aaa new-model', 'router ospf 1', ' network 10.0.0.0 0.0.0.255 area 0', 'router bgp 65000', 'ip ssh version 2', 'snmp-server community x RO', 'call-home', ' contact-email-addr noc@example.com', 'end'].join('\n');

beforeAll(async () => {
  b = await startTestBackend();
  await api(b.url, '/contracts', {
    method: 'POST',
    body: {
      contracts: [
        { serial: CORE.serial, contractNumber: 'C-100', company: 'Acme Corp', expiresAt: '2099-01-01T00:00:00Z' },
        { serial: EDGE.serial, contractNumber: 'W-200', contractType: 'warranty', company: 'Globex', expiresAt: '2099-01-01T00:00:00Z' },
        { serial: PENDING.serial, contractNumber: 'C-100', company: 'Acme Corp', expiresAt: '2099-01-01T00:00:00Z' },
        { serial: QUIET.serial, contractNumber: 'C-101', company: 'Acme Corp', expiresAt: '2099-01-01T00:00:00Z' },
      ],
    },
  });
  await send(message(CORE, { kind: 'inventory' }));
  await send(message(EDGE, { kind: 'inventory' }));
  await send(message(PENDING, { kind: 'inventory' }));
  await send(message(QUIET, { kind: 'syslog', severity: 5, eventName: 'LINK-3-UPDOWN', description: 'Interface Gi1 changed state to down' }));
  for (const d of [CORE, EDGE, QUIET]) await confirm(d.serial);
  await new Promise((r) => setTimeout(r, 20));
  between = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  await send(message(CORE, { kind: 'syslog', severity: 5, eventName: 'LINK-3-UPDOWN', description: '=HYPERLINK("x") Interface Te1/1/1 down' }));
  await send(message(EDGE, { kind: 'diagnostic', severity: 6, eventName: 'DIAG_FAILURE', description: 'Diagnostic failure on slot 0' }));
}, 60_000);
afterAll(async () => {
  await b.stop();
});

describe('Device report (S69, S77)', () => {
  it('lists registered devices with an inventory only, and searches on each of the six criteria by a part of the value', async () => {
    expect(serials(await report('/reports/device'))).toEqual([CORE.serial, EDGE.serial]);
    expect(serials(await report('/reports/device?company=acme%20corp'))).toEqual([CORE.serial]);
    expect(serials(await report('/reports/device?hostname=RTR'))).toEqual([EDGE.serial]);
    expect(serials(await report('/reports/device?serial=2233'))).toEqual([CORE.serial]);
    expect(serials(await report('/reports/device?model=2911'))).toEqual([EDGE.serial]);
    expect(serials(await report('/reports/device?cardModel=nm-8'))).toEqual([CORE.serial]);
    expect(serials(await report('/reports/device?cardSerial=EHWI'))).toEqual([EDGE.serial]);
    expect(serials(await report('/reports/device?hostname=core&cardModel=EHWIC'))).toEqual([]);
    const none = await report('/reports/device?hostname=nothing-like-this');
    expect(none).toMatchObject({ rows: [], empty: 'No data was found.' });
    const row = (await report(`/reports/device?serial=${CORE.serial}`)).rows[0];
    expect(row).toMatchObject({ hostname: 'core-sw-01', model: 'C9300-48P', company: 'Acme Corp', contract: 'C-100', registration: 'registered' });
    expect(row?.['lastInventoryAt']).toEqual(expect.any(String));
  });

  it('refuses a criterion the report does not take, and a misspelt one', async () => {
    const r = await api<{ error: string; reason: string }>(b.url, '/reports/device?type=syslog');
    expect(r.status).toBe(400);
    expect(r.body.reason).toMatch(/does not take type/);
    expect((await api(b.url, '/reports/device?hostnme=x')).status).toBe(400);
    expect((await api(b.url, '/reports/device?format=docx')).status).toBe(400);
  });
});

describe('callhome devices searches like the Device report (S69), over every registration state', () => {
  const list = async (q: string): Promise<string[]> => {
    const r = await api<{ devices: { serial: string }[] }>(b.url, `/devices${q}`);
    expect(r.status).toBe(200);
    return r.body.devices.map((d) => d.serial).sort();
  };

  it('GET /devices takes the six criteria, a part of each value, combined; the pending device is listed too', async () => {
    expect(await list('')).toEqual([CORE.serial, EDGE.serial, PENDING.serial, QUIET.serial].sort());
    expect(await list('?serial=2233')).toEqual([CORE.serial, PENDING.serial]);
    expect(await list('?hostname=SW&company=ACME%20CORP')).toEqual([CORE.serial, PENDING.serial]);
    expect(await list('?company=Acme')).toEqual([]);
    expect(await list('?model=c9300')).toEqual([CORE.serial, PENDING.serial]);
    // Cards come from the last inventory: the pending device's was never mapped, so it has none.
    expect(await list('?cardModel=nm-8x')).toEqual([CORE.serial]);
    expect(await list('?cardSerial=LIT2201')).toEqual([CORE.serial]);
    expect(await list('?cardModel=EHWIC&cardSerial=FOC18')).toEqual([EDGE.serial]);
    expect(await list('?cardModel=EHWIC&hostname=core')).toEqual([]);
    const bad = await api<{ error: string; reason: string }>(b.url, '/devices?type=syslog');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toMatch(/unknown parameter type/);
    expect((await api(b.url, '/devices?serial=a&serial=b')).status).toBe(400);
  });

  it('the command takes the same flags; a serial number with a search flag is a usage error', async () => {
    const { runDevices } = await import('../../commands/devices.js');
    let out = '';
    await runDevices({ backend: b.url, token: TOKEN, json: true, cardSerial: 'ehwi' }, { stdout: (t) => (out += t) });
    expect((JSON.parse(out) as { devices: { serial: string }[] }).devices.map((d) => d.serial)).toEqual([EDGE.serial]);
    out = '';
    await runDevices({ backend: b.url, token: TOKEN, json: false, hostname: 'nothing-like-this' }, { stdout: (t) => (out += t) });
    expect(out).toContain('No device matches the search.');
    await expect(runDevices({ backend: b.url, token: TOKEN, json: true, deviceSerial: CORE.serial, model: 'C9300' }, { stdout: () => undefined })).rejects.toThrow(/shows one device; the search flags narrow the list/);
  });
});

describe('Device details (S70, S77)', () => {
  it('has the five categories with the §4.3 fields, from the latest inventory', async () => {
    const r = await api<Record<string, Record<string, unknown>>>(b.url, `/reports/device/${CORE.serial}`);
    expect(r.status).toBe(200);
    const d = r.body;
    expect(Object.keys(d)).toEqual(['serial', 'dates', 'contact', 'device', 'modules', 'submodules', 'powerSupplies', 'software', 'configuration']);
    expect(d['contact']).toMatchObject({ email: 'noc@example.com', phone: '+1-408-555-1234', contractNumber: 'C-100', company: 'Acme Corp' });
    expect(d['device']).toMatchObject({ hostname: 'core-sw-01', serialNumber: CORE.serial, productId: 'C9300-48P', hardwareVersion: '1.0', softwareVersion: '17.6.5', partNumber: '800-1234-01' });
    // The device's own time stamp of the inventory message (§4.3).
    expect(d['dates']).toEqual({ lastInventoryAt: '2026-11-23 10:00:00 GMT+00:00', lastConfigurationAt: null });
    expect(d['modules']).toEqual([expect.objectContaining({ slot: '1', cardType: 'C9300-NM-8X module', productId: 'C9300-NM-8X', serialNumber: 'FOC2201NMAB', hardwareVersion: 'V02' })]);
    expect(d['powerSupplies']).toEqual([expect.objectContaining({ number: '1', productId: 'PWR-C1-715WAC', serialNumber: 'LIT2201PS0A', hardwareVersion: 'V03' })]);
    expect(d['software']).toMatchObject({ processor: 'X86', iosVersion: '17.6.5', featureSet: 'CAT9K_IOSXE', imageName: 'flash:packages.conf', mainMemory: '1409891K', ioMemory: '3075K', installMemory: '2819782K', nvramMemory: '32768K', systemFlash: 'bootflash: 11526144K', configRegister: '0x2102', lastResetReason: 'reload', romVersion: 'IOS-XE ROMMON' });
    expect(d['software']?.['uptime']).toMatch(/hour/);
    // S77: no configuration message yet.
    expect(d['configuration']).toEqual({ available: false, message: 'Configuration data is not available.', date: null, startupConfig: null, runningConfig: null, technologies: [] });
    expect((await api(b.url, `/reports/device/${CORE.serial}/config/running`)).status).toBe(404);
  });

  it('says "No data was found" for a device that is not registered or has sent no inventory (S77)', async () => {
    const pending = await api<{ error: string; reason: string }>(b.url, `/reports/device/${PENDING.serial}`);
    expect(pending.status).toBe(404);
    expect(pending.body).toEqual({ error: 'no-data', reason: expect.stringMatching(/^No data was found\. .*not registered/) });
    const quiet = await api<{ error: string; reason: string }>(b.url, `/reports/device/${QUIET.serial}`);
    expect(quiet.body).toEqual({ error: 'no-data', reason: expect.stringMatching(/^No data was found\. .*no inventory/) });
    expect((await api<{ error: string }>(b.url, '/reports/device/NOSUCH')).body.error).toBe('not-found');
  });

  it('links the running and startup configuration and lists the technologies once a configuration message came', async () => {
    await send(message(CORE, { kind: 'configuration', attachments: [{ name: 'show running-config all', data: RUNNING }, { name: 'show startup-config', data: `${RUNNING}\n! startup` }] }));
    const d = (await api<{ configuration: Record<string, unknown> }>(b.url, `/reports/device/${CORE.serial}`)).body.configuration;
    expect(d).toMatchObject({ available: true, message: null, runningConfig: `/api/v1/reports/device/${CORE.serial}/config/running`, startupConfig: `/api/v1/reports/device/${CORE.serial}/config/startup` });
    expect(d['technologies']).toEqual(expect.arrayContaining([expect.stringMatching(/BGP/), expect.stringMatching(/OSPF/)]));
    const running = await fetch(`${b.url}${String(d['runningConfig'])}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await running.text()).toBe(RUNNING);
    const startup = await fetch(`${b.url}${String(d['startupConfig'])}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(await startup.text()).toContain('! startup');
  });
});

describe('Call Home History report (S71)', () => {
  it('has the eleven columns of §4.4 (and the first release’s keys, in their order)', async () => {
    const r = await report(`/reports/history?serial=${EDGE.serial}`);
    expect(r.columns.slice(0, 12)).toEqual(['serial', 'model', 'hostname', 'receivedAt', 'contract', 'registration', 'severity', 'type', 'status', 'srRaised', 'notificationSent', 'id']);
    expect(r.columns).toEqual(expect.arrayContaining(['company', 'entitlement', 'srContact', 'results', 'link']));
    const diag = r.rows.find((x) => x['type'] === 'diagnostic');
    expect(diag).toMatchObject({ serial: EDGE.serial, model: 'CISCO2911/K9', hostname: 'edge-rtr-02', contract: 'W-200', company: 'Globex', entitlement: 'covered', srContact: 'noc@example.com', severity: 6, link: `/api/v1/messages/${String(diag?.['id'])}` });
    expect(typeof diag?.['notificationSent']).toBe('boolean');
    expect(String(diag?.['srRaised'])).toMatch(/^(No|\d+)$/);
    expect(String(diag?.['results'])).toMatch(/^processed/);
  });

  it('filters on company, part of a host name, part of a serial, type and the received period', async () => {
    expect(new Set(serials(await report('/reports/history?company=Globex')))).toEqual(new Set([EDGE.serial]));
    // §4.4: messages of registered devices only; the pending device's messages stay out (GET /messages lists them).
    expect(new Set(serials(await report('/reports/history?hostname=CORE-SW')))).toEqual(new Set([CORE.serial]));
    expect(serials(await report(`/reports/history?serial=${PENDING.serial}`))).toEqual([]);
    expect((await api<{ messages: { serial: string }[] }>(b.url, `/messages?serial=${PENDING.serial}`)).body.messages.length).toBeGreaterThan(0);
    expect(new Set(serials(await report('/reports/history?serial=RPT4')))).toEqual(new Set([QUIET.serial]));
    const syslog = await report('/reports/history?type=syslog');
    expect(syslog.rows.length).toBeGreaterThan(0);
    expect(syslog.rows.every((x) => x['type'] === 'syslog')).toBe(true);
    const after = await report(`/reports/history?since=${between}`);
    expect(after.rows.every((x) => String(x['receivedAt']) >= between)).toBe(true);
    expect(after.rows.map((x) => x['type'])).toEqual(expect.arrayContaining(['syslog', 'diagnostic']));
    expect(after.rows.some((x) => x['type'] === 'inventory' && x['serial'] === EDGE.serial)).toBe(false);
    const before = await report(`/reports/history?until=${between}&serial=${EDGE.serial}`);
    expect(before.rows.map((x) => x['type'])).toEqual(['inventory']);
    expect(await report('/reports/history?company=Nobody')).toMatchObject({ rows: [], empty: 'No data was found.' });
    expect((await api(b.url, '/reports/history?type=sylog')).status).toBe(400);
  });

  it('S72: each row links to the message drill-down — the raw message as received and its processing results', async () => {
    const diag = (await report(`/reports/history?serial=${EDGE.serial}&type=diagnostic`)).rows[0];
    const res = await fetch(`${b.url}${String(diag?.['link'])}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const m = (await res.json()) as { id: number; raw: string; format: string; status: string; results: { rules?: string[] }; serial: string };
    expect(m).toMatchObject({ id: diag?.['id'], serial: EDGE.serial, format: 'xml', status: 'processed' });
    expect(m.raw).toBe(posted.get(m.id));
    expect(m.results.rules?.length).toBeGreaterThan(0);
  });

  it('GET /messages takes the same company, host name and serial criteria', async () => {
    const r = await api<{ messages: { serial: string }[] }>(b.url, '/messages?company=Acme%20Corp&hostname=sw-0');
    expect(new Set(r.body.messages.map((m) => m.serial))).toEqual(new Set([CORE.serial, PENDING.serial]));
  });
});

describe('Product Alerts (S75)', () => {
  it('matches the shipped advisories to PIDs, families and software versions of registered devices', async () => {
    const r = await report('/reports/alerts');
    const pairs = r.rows.map((x) => `${String(x['serial'])} ${String(x['id'])}`).sort();
    expect(pairs).toEqual([`${CORE.serial} SIM-EOS-2026-0001`, `${CORE.serial} SIM-FN-2026-0003`, `${EDGE.serial} SIM-EOL-2026-0001`, `${EDGE.serial} SIM-PSIRT-2026-002`].sort());
    expect(r.rows.find((x) => x['id'] === 'SIM-EOL-2026-0001')).toMatchObject({ type: 'eol', matchedOn: 'product CISCO2911/K9', company: 'Globex', published: '2016-11-01', url: expect.stringMatching(/^https:\/\/www\.cisco\.com\//) });
    // A module of the inventory, not the chassis, matched.
    expect(r.rows.find((x) => x['id'] === 'SIM-FN-2026-0003')).toMatchObject({ serial: CORE.serial, type: 'field-notice', matchedOn: 'product C9300-NM-8X' });
    expect(r.rows.find((x) => x['id'] === 'SIM-PSIRT-2026-002')).toMatchObject({ matchedOn: 'product CISCO2911/K9; software 15.2(4)M11' });
    expect(serials(await report('/reports/alerts?type=psirt'))).toEqual([EDGE.serial]);
    expect(serials(await report('/reports/alerts?company=globex&since=2019-01-01'))).toEqual([EDGE.serial]);
    expect(new Set(serials(await report('/reports/alerts?device=core')))).toEqual(new Set([CORE.serial]));
    expect(await report('/reports/alerts?type=eos&company=Globex')).toMatchObject({ rows: [], empty: 'No product alerts match the registered devices.' });
    expect((await api(b.url, '/reports/alerts?type=bogus')).status).toBe(400);
  });
});

describe('exports (S76)', () => {
  const KINDS = ['device', 'history', 'network', 'registration', 'alerts'] as const;

  it.each(KINDS)('%s: the Excel file holds the JSON rows under the column headings', async (kind) => {
    const json = await report(`/reports/${kind}`);
    const file = await download(`/reports/${kind}?format=xlsx`);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.disposition).toBe(`attachment; filename="callhome-${kind}-report.xlsx"`);
    const sheets = await readXlsx(file.data);
    const [first, ...rest] = [...sheets.values()][0] ?? [];
    expect(first).toEqual(json.headers);
    expect(rest).toHaveLength(json.rows.length);
    rest.forEach((cells, i) => expect(cells).toEqual(json.columns.map((c) => String(json.rows[i]?.[c] ?? '')).slice(0, cells.length)));
    expect(sheets.get('About')?.[0]).toEqual(['Report', expect.stringMatching(/Report$/)]);
  });

  it.each(KINDS)('%s: the PDF shows the headings and every row', async (kind) => {
    const json = await report(`/reports/${kind}`);
    const file = await download(`/reports/${kind}?format=pdf`);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    const { pages, info } = await readPdf(file.data);
    expect(info['Title']).toMatch(/Report$/);
    const lines = pages.flat().map((l) => l.split('\t'));
    const isHeader = (cells: string[]): boolean => cells.length === json.headers.length && cells.every((c, i) => shows(c, json.headers[i] ?? ''));
    expect(lines.some(isHeader)).toBe(true);
    const rowLines = lines.filter((cells) => !isHeader(cells) && !/ · page \d+$|^Generated |Report$/.test(cells.join('\t')));
    expect(rowLines).toHaveLength(json.rows.length);
    // Each row line starts with the row's first cell (as far as the column shows it).
    for (const [i, r] of json.rows.entries()) expect(shows(rowLines[i]?.[0] ?? '', String(r[json.columns[0] ?? ''] ?? ''))).toBe(true);
  });

  it.each(KINDS)('%s: the CSV and JSON files the CLI saves hold the rows, read back with csv-parse and JSON.parse', async (kind) => {
    const json = await report(`/reports/${kind}`);
    expect(json.rows.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'callhome-export-'));
    try {
      const csvFile = join(dir, `${kind}.csv`);
      const jsonFile = join(dir, `${kind}.json`);
      for (const output of [csvFile, jsonFile]) await runReports({ backend: b.url, token: TOKEN, json: false, csv: false, kind, output }, { stdout: () => undefined, stderr: () => undefined });
      const [heading, ...rows] = parseCsv(readFileSync(csvFile, 'utf8')) as string[][];
      expect(heading).toEqual(json.columns);
      expect(rows).toHaveLength(json.rows.length);
      rows.forEach((r, i) => expect(r).toEqual(json.columns.map((c) => csvCell(json.rows[i]?.[c]))));
      const saved = JSON.parse(readFileSync(jsonFile, 'utf8')) as Report;
      expect(saved).toMatchObject({ kind, columns: json.columns, headers: json.headers });
      expect(saved.rows).toEqual(json.rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CSV carries the same rows, formulas neutralised', async () => {
    const csv = new TextDecoder().decode((await download(`/reports/history?format=csv&serial=${CORE.serial}`)).data);
    expect(csv.split('\r\n')[0]).toMatch(/^serial,model,hostname,receivedAt,contract,registration,severity,type,status,srRaised,notificationSent,id,company,entitlement,srContact,results,link$/);
    expect(csv).toContain(`${CORE.serial},C9300-48P,core-sw-01`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });

  it('an empty report says why in every format', async () => {
    const q = '/reports/device?hostname=none-such';
    expect((await readXlsx((await download(`${q}&format=xlsx`)).data)).get('Device Report')?.[1]).toEqual(['No data was found.']);
    expect((await readPdf((await download(`${q}&format=pdf`)).data)).pages.flat()).toContain('No data was found.');
    expect(new TextDecoder().decode((await download(`${q}&format=csv`)).data).trimEnd().split('\r\n')).toHaveLength(1);
  });

  it('device details export as a table of category, item, field and value', async () => {
    const file = await download(`/reports/device/${CORE.serial}?format=xlsx`);
    const rows = [...(await readXlsx(file.data)).values()][0] ?? [];
    expect(rows[0]).toEqual(['Category', 'Item', 'Field', 'Value']);
    expect(rows).toContainEqual(['Hardware', 'Module 1', 'productId', 'C9300-NM-8X']);
    expect(rows).toContainEqual(['Software', '', 'featureSet', 'CAT9K_IOSXE']);
    const pdf = (await readPdf((await download(`/reports/device/${CORE.serial}?format=pdf`)).data)).pages.flat();
    expect(pdf).toContain('Contact\tSR contact\tcompany\tAcme Corp');
    const csv = parseCsv(new TextDecoder().decode((await download(`/reports/device/${CORE.serial}?format=csv`)).data)) as string[][];
    // The same rows as the workbook (which drops empty cells at the end of a row).
    expect(csv.slice(1)).toEqual(rows.slice(1).map((r) => [...r, '', '', '', ''].slice(0, 4).map(csvCell)));
  });
});

describe('callhome reports and messages (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-reports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (o: Partial<ReportsOptions> & { kind: string }): Promise<{ out: string; err: string }> => {
    let out = '';
    let err = '';
    await runReports({ backend: b.url, token: TOKEN, json: false, csv: false, ...o }, { stdout: (t) => (out += t), stderr: (t) => (err += t), timeStyle: 'utc' });
    return { out, err };
  };

  it('saves each format to --output, the format taken from --format or the file name', async () => {
    const xlsx = join(dir, 'history.xlsx');
    const { err } = await run({ kind: 'history', output: xlsx, company: 'Globex' });
    expect(err).toMatch(/^Wrote .*history\.xlsx \(xlsx, \d+ bytes\)\.\n$/);
    const rows = [...(await readXlsx(readFileSync(xlsx))).values()][0] ?? [];
    expect(rows.slice(1).map((r) => r[0])).toEqual([EDGE.serial, EDGE.serial]);
    const pdf = join(dir, 'alerts.out');
    await run({ kind: 'alerts', output: pdf, format: 'pdf', type: 'eol' });
    expect((await readPdf(readFileSync(pdf))).pages.flat().some((l) => l.startsWith('eol\tSIM-EOL-2026-0001'))).toBe(true);
    const details = join(dir, 'core.pdf');
    await run({ kind: 'device', deviceSerial: CORE.serial, output: details });
    expect((await readPdf(readFileSync(details))).info['Title']).toBe(`Device Details ${CORE.serial}`);
    expect(existsSync(`${details}.partial`)).toBe(false);
  });

  it('prints tables with the headings, the empty state, JSON and CSV; searches with the flags', async () => {
    const table = (await run({ kind: 'device', cardSerial: 'ehwi' })).out;
    expect(table).toMatch(/│ Host name +│ Serial number/);
    expect(table).toContain('edge-rtr-02');
    expect(table).not.toContain('core-sw-01');
    expect((await run({ kind: 'device', hostname: 'nothing' })).out).toBe('No data was found.\n');
    expect(JSON.parse((await run({ kind: 'alerts', json: true, device: 'edge' })).out)).toMatchObject({ kind: 'alerts', criteria: { device: 'edge' } });
    expect((await run({ kind: 'history', csv: true, serial: 'RPT4' })).out.split('\r\n')[1]).toMatch(new RegExp(`^${QUIET.serial},CSR1000V,lab-csr-04,`));
    const text = (await run({ kind: 'device', deviceSerial: CORE.serial })).out;
    expect(text).toContain('Hardware modules');
    expect(text).toContain('C9300-NM-8X');
    expect(text).toMatch(/technologies: .*OSPF/);
  });

  it('refuses flags a report does not take, unknown formats and binary formats without a file, before asking the back end', async () => {
    await expect(runReports({ backend: 'http://127.0.0.1:1', token: TOKEN, json: false, csv: false, kind: 'network', hostname: 'x' }, { stdout: () => undefined })).rejects.toThrow('The network report does not take --hostname.');
    await expect(runReports({ backend: 'http://127.0.0.1:1', token: TOKEN, json: false, csv: false, kind: 'history', format: 'docx' }, { stdout: () => undefined })).rejects.toThrow(/is not a report format/);
    await expect(runReports({ backend: 'http://127.0.0.1:1', token: TOKEN, json: false, csv: false, kind: 'history', format: 'pdf' }, { stdout: () => undefined })).rejects.toThrow('--format pdf writes a file.');
    await expect(runReports({ backend: 'http://127.0.0.1:1', token: TOKEN, json: false, csv: false, kind: 'alerts', type: 'cve' }, { stdout: () => undefined })).rejects.toThrow(/not an advisory type/);
    await expect(run({ kind: 'device', deviceSerial: PENDING.serial })).rejects.toThrow(/No data was found\. .*not registered/);
  });

  it('callhome messages --company --hostname --serial', async () => {
    let out = '';
    await runMessages({ backend: b.url, token: TOKEN, json: true, company: 'Globex', serial: 'rpt2' }, { stdout: (t) => (out += t) });
    expect(new Set((JSON.parse(out) as { messages: { serial: string }[] }).messages.map((m) => m.serial))).toEqual(new Set([EDGE.serial]));
  });
});
