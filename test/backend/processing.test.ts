/**
 * Message processing end to end (smart-call-home-service.md §3.2–§3.5, §3.10): a lab device (the real
 * IOS CLI and Call Home engine) posts XML to a real back end over HTTP and mails long and short text over
 * SMTP; messages the lab cannot send (a missing field, unreadable output, a registration-info request)
 * are rendered with the Call Home codec. Notifications go to a real SMTP relay. One `describe` per S-item.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDevices } from '../../commands/devices.js';
import { renderXml } from '../../src/callhome/codec.js';
import { formatCallHomeTime } from '../../src/callhome/timestamp.js';
import { createApiClient } from '../../src/client/api-client.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import type { ConfigurationRecord, InventoryRecord } from '../../src/domain/device-records.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { LabDevice } from '../../src/lab/device.js';
import { labIdentity } from '../../src/lab/identity.js';
import { newSessionState, type CliResult } from '../../src/lab/ios-cli/index.js';
import { renderShowInventory, renderShowVersion } from '../../src/lab/show/system.js';
import { startSmtpSink, type SmtpSink } from '../lab/engine/support.js';
import { buildMessage } from './build-message.js';
import { api, postXml, startTestBackend, TOKEN, type TestBackend } from './helpers.js';

type Results = { rules?: string[]; recommendations?: string[]; caseAction?: string; caseNumber?: string; notifiedTo?: string[]; note?: string; missing?: string[]; mappingErrors?: string[]; reply?: { request: string; to: string[]; items: number } };
type Detail = { id: number; serial: string; type: string; subType: string; format: string; status: string; eventName: string; results: Results };
type Note = { id: number; kind: string; serial: string | null; to: string[]; subject: string; body: string };
type Case = { number: string; serial: string; status: string; priority: number; title: string; history: { note: string }[] };
type DeviceBody = { inventory: InventoryRecord | null; configuration: ConfigurationRecord | null; registration: string };

const identity = labIdentity(1);
const SERIAL = identity.serial;
const CONTACT = 'noc@example.com';
let b: TestBackend;
let relay: SmtpSink;
let device: LabDevice;
const dir = mkdtempSync(join(tmpdir(), 'callhome-processing-'));

/** Runs IOS CLI lines on the lab device; returns their output joined. */
async function cli(...lines: string[]): Promise<string> {
  const session = newSessionState();
  const outputs: string[] = [];
  for (const line of ['enable', ...lines]) {
    let r: CliResult = await device.cli.execute(line, session);
    if (r.kind === 'password') r = await r.submit('cisco');
    if (r.kind === 'input') r = await r.submit('');
    outputs.push(r.output);
  }
  await device.engine.idle();
  return outputs.join('');
}

let lastSeen = 0;
/** The messages stored since the last call (oldest first), each with its processing results. */
async function fresh(serial = SERIAL): Promise<Detail[]> {
  const list = (await api<{ messages: { id: number }[] }>(b.url, `/messages?device=${encodeURIComponent(serial)}&limit=100`)).body.messages.filter((m) => m.id > lastSeen);
  lastSeen = Math.max(lastSeen, ...list.map((m) => m.id));
  return Promise.all(list.reverse().map(async (m) => (await api<Detail>(b.url, `/messages/${m.id}`)).body));
}

/** The one message stored since the last call that matches. */
async function one(match: (d: Detail) => boolean, serial = SERIAL): Promise<Detail> {
  const found = (await fresh(serial)).filter(match);
  expect(found).toHaveLength(1);
  return found[0] as Detail;
}

const notes = async (): Promise<Note[]> => (await api<{ notifications: Note[] }>(b.url, '/notifications?limit=500')).body.notifications;
const noteFor = async (kind: string, serial = SERIAL): Promise<Note | undefined> => (await notes()).find((n) => n.kind === kind && n.serial === serial);
const cases = async (): Promise<Case[]> => (await api<{ cases: Case[] }>(b.url, '/cases')).body.cases;
const deviceRecord = async (serial = SERIAL): Promise<DeviceBody> => (await api<DeviceBody>(b.url, `/devices/${serial}`)).body;

/** Posts a codec-rendered message as the device would. */
async function post(m: Partial<CallHomeMessage>): Promise<Detail> {
  const r = await postXml(b.url, renderXml(buildMessage({ serialNumber: SERIAL, hostname: 'R1', contactEmail: CONTACT, model: identity.model, ...m })));
  expect(r.status).toBe(200);
  return one((d) => d.id === Number(r.json['id']));
}

beforeAll(async () => {
  relay = await startSmtpSink('relay');
  b = await startTestBackend({ relay: { host: '127.0.0.1', port: relay.port }, mailLimits: { perRecipient: 1000, perSerial: 1000, perSource: 1000 } });
  device = new LabDevice({ identity, stateDir: dir, startup: null, enableSecret: 'cisco', smtpPort: b.smtpPort ?? 0 });
  await cli(
    'configure terminal',
    'no logging console',
    'call-home',
    `contact-email-addr ${CONTACT}`,
    'no syslog-throttling',
    'rate-limit 60',
    'mail-server 127.0.0.1 priority 1',
    'profile SCH',
    'destination transport-method http',
    'no destination transport-method email',
    `destination address http ${b.url}${DDCE_SERVICE_PATH}`,
    'subscribe-to-alert-group crash',
    'subscribe-to-alert-group inventory',
    'subscribe-to-alert-group configuration',
    'subscribe-to-alert-group syslog severity debugging',
    'active',
    'exit',
    'profile LONG',
    'destination address email callhome@backend.example',
    'destination preferred-msg-format long-text',
    'exit',
    'profile PAGER',
    'destination address email callhome@backend.example',
    'destination preferred-msg-format short-text',
    'exit',
    'exit',
    'service call-home',
    'end',
  );
  // The device is under contract; its first inventory starts the registration, which the owner confirms.
  await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: SERIAL, contractNumber: 'C-PROC-1' }] } });
  await cli('call-home send alert-group inventory profile SCH');
  const token = /Security token: (\S+)/.exec((await noteFor('pending-registration'))?.body ?? '')?.[1] ?? '';
  expect((await api(b.url, `/registrations/${SERIAL}/confirm`, { method: 'POST', body: { token } })).status).toBe(200);
  expect((await deviceRecord()).registration).toBe('registered');
}, 60_000);

afterAll(async () => {
  await device.close();
  await b.stop();
  await relay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('S36 inventory mapping', () => {
  it('maps the lab inventory message (show version, show platform, show diag eeprom) into the device inventory, and mails N2', async () => {
    const first = await one((d) => d.type === 'inventory');
    expect(first).toMatchObject({ subType: 'full', status: 'processed', results: { note: 'inventory record updated' } });
    const inv = (await deviceRecord()).inventory;
    expect(inv?.chassis).toMatchObject({ model: 'CSR1000V', serialNumber: SERIAL, hardwareVersion: identity.hardwareVersion, partNumber: identity.partNumber });
    expect(inv?.image).toEqual({ version: '17.3.4a', file: 'bootflash:csr1000v-universalk9.17.03.04a.SPA.bin', software: 'X86_64_LINUX_IOSD-UNIVERSALK9-M' });
    expect(inv?.memory).toMatchObject({ processorKb: 3978828, ioKb: 3075, nvramKb: 32768, physicalKb: 7957656, storage: [{ name: 'bootflash:', kb: 11526144 }] });
    // `show platform` lists the route processor and forwarding engine slots with their state.
    expect(inv?.modules.map((m) => [m.slot, m.model, m.state])).toEqual([
      ['R0', 'CSR1000V', 'ok, active'],
      ['F0', 'CSR1000V', 'ok, active'],
    ]);
    await expect.poll(async () => (await noteFor('inventory-updated'))?.to).toEqual([CONTACT]);
    await expect.poll(() => relay.mails.some((m) => m.subject.startsWith('[SCH] Updated inventory report available') && m.to === CONTACT), { timeout: 15_000 }).toBe(true);
  });

  it('maps power supplies, fans and sub-modules from show inventory; the latest message wins, an older one is not applied', async () => {
    const inventory = [
      renderShowInventory({ ...identity, series: 'Cisco CSR1000V Chassis' }).trimEnd(),
      '',
      'NAME: "Fan Tray", DESCR: "Cisco Fan Assembly"',
      'PID: ACS-4450-FANASSY  , VID:      , SN: ',
      '',
      'NAME: "NIM subslot 0/1", DESCR: "Front Panel 4 ports Gigabitethernet Module"',
      'PID: ISR4451-X-4x1GE   , VID: V01  , SN: JAB1234ABCD',
      '',
    ].join('\n');
    const version = renderShowVersion(identity, 'R1', 3600, new Date('2026-11-23T09:00:00Z'));
    const attachments = [
      { name: 'show inventory', data: `show inventory\n${inventory}\nR1#` },
      { name: 'show version', data: `show version\n${version}R1#` },
    ];
    // Device times after the lab's inventory (taken now): an hour from now, then half an hour from now.
    const newer = await post({ kind: 'inventory', subType: 'full', eventTime: formatCallHomeTime(new Date(Date.now() + 3_600_000)), description: 'Manual inventory message', attachments });
    expect(newer.status).toBe('processed');
    const inv = (await deviceRecord()).inventory;
    expect(inv?.messageId).toMatch(/^M\d+:/);
    expect(inv?.chassis.description).toBe('Cisco CSR1000V Chassis');
    expect(inv?.powerSupplies).toEqual([{ name: 'Power Supply Module 0', description: 'Cisco 250W AC Power Supply', model: 'PWR-4430-AC', hardwareVersion: 'V03', serialNumber: `PS${SERIAL.slice(-8)}`, slot: '0', state: '' }]);
    expect(inv?.fans.map((f) => f.model)).toEqual(['ACS-4450-FANASSY']);
    expect(inv?.subModules).toEqual([expect.objectContaining({ model: 'ISR4451-X-4x1GE', serialNumber: 'JAB1234ABCD', slot: '0/1' })]);
    expect(inv?.sources).toEqual(['message header', 'show inventory', 'show version']);
    // An inventory taken earlier (device time) that arrives late does not replace it.
    const older = await post({ kind: 'inventory', subType: 'full', eventTime: formatCallHomeTime(new Date(Date.now() + 1_800_000)), attachments: [{ name: 'show version', data: `show version\n${version}R1#` }] });
    expect(older.results.note).toMatch(/^older than the inventory on record/);
    expect((await deviceRecord()).inventory?.messageId).toBe(inv?.messageId);
  });

  it('is what `callhome devices SERIAL --json` prints (and a summary without --json)', async () => {
    const client = createApiClient({ url: b.url, token: TOKEN });
    let out = '';
    await runDevices({ json: true, deviceSerial: SERIAL }, { stdout: (t) => (out += t), client });
    const printed = JSON.parse(out) as DeviceBody & { serial: string };
    expect(printed.serial).toBe(SERIAL);
    expect(printed.inventory).toEqual((await deviceRecord()).inventory);
    out = '';
    await runDevices({ json: false, deviceSerial: SERIAL }, { stdout: (t) => (out += t), client, timeStyle: 'utc' });
    expect(out).toContain('Power supplies:\n    [0] PWR-4430-AC');
    expect(out).toContain('Image: 17.3.4a (X86_64_LINUX_IOSD-UNIVERSALK9-M) bootflash:csr1000v-universalk9.17.03.04a.SPA.bin');
  });
});

describe('S37 configuration mapping', () => {
  it('maps the lab configuration message: running and startup configuration, image, feature set, technologies; N3', async () => {
    await cli('call-home send alert-group configuration profile SCH');
    expect(await one((d) => d.type === 'configuration')).toMatchObject({ subType: 'full', status: 'processed', results: { note: 'configuration record updated' } });
    const cfg = (await deviceRecord()).configuration;
    expect(cfg?.running).toMatch(/^!\nversion 17\.3\n/);
    expect(cfg?.running).toContain('\nhostname R1\n');
    expect(cfg?.running).toContain(`contact-email-addr ${CONTACT}`);
    expect(cfg?.startup).toBeNull(); // the lab device has never saved: "startup-config is not present"
    expect(cfg?.image.version).toBe('17.3.4a');
    expect(cfg?.featureSet).toBe('UNIVERSALK9');
    expect(cfg?.technologies).toEqual(expect.arrayContaining([{ technology: 'Network Management', subTechnology: 'Call Home' }, { technology: 'Security', subTechnology: 'SSH' }, { technology: 'Network Management', subTechnology: 'HTTPS server' }]));
    expect(cfg?.sources).toEqual(['show running-config all', 'show version']);
    await expect.poll(async () => (await noteFor('configuration-updated'))?.subject).toMatch(/^\[SCH\] Updated configuration report available( - \S+)?$/);
  });

  it('a saved configuration appears as the startup configuration; the newer message replaces the record', async () => {
    await cli('copy running-config startup-config', 'call-home send alert-group configuration profile SCH');
    await one((d) => d.type === 'configuration' && d.status === 'processed');
    const cfg = (await deviceRecord()).configuration;
    expect(cfg?.startup).toContain('\nhostname R1\n');
    expect(cfg?.sources).toEqual(['show running-config all', 'show startup-config', 'show version']);
  });
});

describe('S5 Delta inventory and configuration', () => {
  it('stores a Delta (FRU insertion, configuration change) without touching the device records', async () => {
    const before = await deviceRecord();
    await cli('lab raise inventory FRU_INSERT', 'lab raise configuration');
    const deltas = (await fresh()).filter((d) => d.subType === 'delta');
    expect(deltas.map((d) => [d.type, d.status])).toEqual([
      ['inventory', 'stored-only'],
      ['configuration', 'stored-only'],
    ]);
    expect(deltas[0]?.results.note).toBe('inventory delta: stored; only full inventory messages update the device record');
    const after = await deviceRecord();
    expect(after.inventory).toEqual(before.inventory);
    expect(after.configuration).toEqual(before.configuration);
  });
});

describe('S4 format validation', () => {
  it('stores long text flagged unsupported: never analysed, no case, N7 to the customer', async () => {
    const casesBefore = (await cases()).length;
    const inventoryBefore = (await deviceRecord()).inventory;
    await cli('call-home send alert-group inventory profile LONG', 'lab raise crash SYSTEM_CRASH "Crash in the long-text test"');
    // The crash goes to SCH (XML), which analyses it; the long-text inventory is not analysed.
    const inv = await one((d) => d.format === 'long-text');
    expect(inv).toMatchObject({ type: 'inventory', status: 'unsupported', results: { caseAction: 'none', note: 'long-text message: stored, not analysed (only XML is supported)' } });
    expect((await deviceRecord()).inventory).toEqual(inventoryBefore);
    await expect.poll(async () => (await noteFor('unsupported-message'))?.body).toContain('Smart Call Home analyses XML messages only');
    expect((await cases()).length).toBe(casesBefore + 1); // the XML crash's case only
  });

  it('stores short text as the log line it is — never a diagnostic — unanalysed, and it opens no case', async () => {
    const casesBefore = (await cases()).length;
    await cli('call-home send alert-group inventory profile PAGER');
    const short = await one((d) => d.format === 'short-text');
    expect(short).toMatchObject({ type: 'syslog', status: 'unsupported' });
    expect(short.results.rules).toEqual([]);
    expect((await cases()).length).toBe(casesBefore);
  });
});

describe('S33 required data', () => {
  it('halts a message missing a field processing needs, keeps it, and tells the customer and SCH Support', async () => {
    const casesBefore = (await cases()).length;
    const d = await post({ kind: 'diagnostic', severity: 5, eventName: 'DiagFanTest', description: 'DiagFanTest failed on module 1', contactEmail: '', eventTime: '' });
    expect(d.status).toBe('missing-data');
    expect(d.results.missing).toEqual(['event time (ch:EventTime)', 'contact e-mail (ch:ContactEmail)']);
    expect(d.results.rules).toEqual([]);
    expect((await cases()).length).toBe(casesBefore);
    const customer = await noteFor('missing-information');
    expect(customer?.to).toEqual([CONTACT]); // the contact on record
    expect(customer?.body).toContain('- contact e-mail (ch:ContactEmail)');
    expect((await noteFor('support-alert'))?.body).toContain(`/api/v1/messages/${d.id}`);
  });
});

describe('S34 parse and mapping failures', () => {
  it('keeps a configuration whose output cannot be mapped, without results; the record stays; customer and support hear of it', async () => {
    const before = (await deviceRecord()).configuration;
    const d = await post({
      kind: 'configuration',
      subType: 'full',
      attachments: [
        { name: 'show running-config all', data: "show running-config all\n                    ^\n% Invalid input detected at '^' marker.\n\nR1#" },
        { name: 'show version', data: `show version\n${renderShowVersion(identity, 'R1', 60, new Date())}R1#` },
      ],
    });
    expect(d.status).toBe('mapping-error');
    expect(d.results.mappingErrors).toEqual(['show running-config all: the device answered "% Invalid input detected at \'^\' marker."']);
    expect(d.results.rules).toBeUndefined();
    expect((await deviceRecord()).configuration).toEqual(before);
    const failed = (await notes()).find((n) => n.kind === 'message-failed' && n.body.includes('Configuration message failed'));
    expect(failed?.to).toEqual([CONTACT]);
    expect(failed?.body).toContain('The configuration details in the Device report are missing or stale.');
    expect((await notes()).some((n) => n.kind === 'support-alert' && n.body.includes('configuration mapping failed'))).toBe(true);
  });

  it('an inventory whose show version is unreadable: "Inventory Call Home message failed", processing continues with the next message', async () => {
    const d = await post({ kind: 'inventory', subType: 'full', softwareVersion: '', attachments: [{ name: 'show version', data: 'show version\n% Incomplete command.\nR1#' }] });
    expect(d).toMatchObject({ status: 'mapping-error', results: { mappingErrors: ['show version: the device answered "% Incomplete command."', 'no IOS image version: the message has neither show version nor a SoftwareVersion'] } });
    expect((await notes()).some((n) => n.kind === 'message-failed' && n.body.startsWith('Reason: Inventory Call Home message failed'))).toBe(true);
    expect((await post({ kind: 'test', description: 'after the failure' })).status).toBe('processed');
  });
});

describe('S40 syslog rules, wireless events', () => {
  it('keys on facility-severity-mnemonic: the wireless Syslog/WCM thresholds notify with their troubleshooting advice', async () => {
    await cli(
      'lab raise syslog 4 APF WLC_CLIENT_FAIL_THRESHOLD "Client join failures exceeded the threshold"',
      'lab raise syslog 3 APF WLC_ROAM_FAIL_THRESHOLD "Client roam failures exceeded the threshold"',
      'lab raise syslog 3 APF WLC_POWER_THRESHOLD "TPC power changes exceeded the threshold"',
      'lab raise syslog 3 APF WLC_CHANNEL_THRESHOLD "DCA channel changes exceeded the threshold"',
    );
    const got = await fresh();
    expect(got.map((d) => [d.eventName, d.results.rules, d.results.caseAction])).toEqual([
      ['APF-4-WLC_CLIENT_FAIL_THRESHOLD', ['wireless-client-join-failure'], 'none'],
      ['APF-3-WLC_ROAM_FAIL_THRESHOLD', ['wireless-roam-failure'], 'none'],
      ['APF-3-WLC_POWER_THRESHOLD', ['wireless-power-fluctuation'], 'none'],
      ['APF-3-WLC_CHANNEL_THRESHOLD', ['wireless-channel-fluctuation'], 'none'],
    ]);
    expect(got[0]?.results.recommendations?.[0]).toContain('Check AAA and the RADIUS servers');
    expect(got[0]?.results.notifiedTo).toEqual([CONTACT]);
    expect(got[2]?.results.recommendations?.[0]).toContain('txpower statistics');
    // Wireless notifications are off by default on the device except AP Crash (§3.5), so these are opt-in: none opens a case.
    expect(got.every((d) => d.results.caseAction === 'none')).toBe(true);
  });
});

describe('S41 crash kinds', () => {
  it('a system crash, a traceback, a process crash and an AP crash each open their own case with their priority', async () => {
    const before = new Set((await cases()).map((c) => c.number));
    await cli('lab raise crash TRACEBACK "Traceback in process IP Input"');
    const ap = await post({ kind: 'crash', subType: 'AP Crash', severity: 5, eventName: '', description: '%CAPWAP-2-AP_CRASH: AP ap-floor2 crashed; crash file ap_crash/ap-floor2.crash' });
    expect(ap.results.rules).toEqual(['crash-ap']);
    // A process crash names its core file ([UG]: dir flash:corecore is collected); the lab cannot raise one.
    const core = await post({ kind: 'crash', severity: 5, eventName: '', description: 'Process crash: linux_iosd-imag dumped core', attachments: [{ name: 'dir flash:corecore', data: 'Directory of flash:/core/\n  12  -rw-  1048576  Nov 23 2026 10:00:00 +00:00  R1_RP_0_linux_iosd-imag_12345.core.gz\n' }] });
    expect(core.results).toMatchObject({ rules: ['crash-process'], caseAction: 'created' });
    const opened = await Promise.all((await cases()).filter((c) => !before.has(c.number) && c.serial === SERIAL).map(async (c) => (await api<Case & { rule: string }>(b.url, `/cases/${c.number}`)).body));
    expect(opened.map((c) => [c.rule, c.priority]).sort()).toEqual([
      ['crash-ap', 2],
      ['crash-process', 2],
      ['crash-traceback', 3],
    ]);
    expect(opened.find((c) => c.rule === 'crash-ap')?.title).toBe('CAPWAP-2-AP_CRASH on R1');
    // The system crash of S4's test (fatal, severity 7; XML names no event) opened its case at priority 1.
    const all = await Promise.all((await cases()).filter((c) => c.serial === SERIAL).map(async (c) => (await api<Case & { rule: string }>(b.url, `/cases/${c.number}`)).body));
    expect(all.find((c) => c.rule === 'crash-fatal')?.priority).toBe(1);
  });
});

describe('S47 repeats', () => {
  it('a repeat crash of the same kind folds into its open case; another kind does not', async () => {
    const open = (await cases()).filter((c) => c.serial === SERIAL).length;
    await cli('lab raise crash SYSTEM_CRASH "Crash again"');
    const repeat = await one((d) => d.type === 'crash');
    expect(repeat.results.caseAction).toBe('updated');
    expect((await cases()).filter((c) => c.serial === SERIAL)).toHaveLength(open);
    const c = (await api<Case>(b.url, `/cases/${repeat.results.caseNumber ?? ''}`)).body;
    expect(c.history.map((h) => h.note)).toEqual([expect.stringContaining('Crash in the long-text test'), expect.stringContaining('Crash again')]);
  });

  it('critical syslog cases fold per mnemonic; an identical line inside the window is stored but not acted on', async () => {
    const open = (await cases()).filter((c) => c.serial === SERIAL).length;
    await cli('lab raise syslog 1 PLATFORM HA_FAILURE "Standby RP failed"', 'lab raise syslog 1 PLATFORM HA_FAILURE "Standby RP failed"', 'lab raise syslog 1 SYS CPUHOG "Task ran for 5000 msec"');
    const got = await fresh();
    expect(got.map((d) => d.results.caseAction)).toEqual(['created', 'none', 'created']);
    expect(got[1]?.results.note).toBe('identical syslog message within 60 s: collapsed');
    expect((await cases()).filter((c) => c.serial === SERIAL)).toHaveLength(open + 2);
  });
});

describe('S48 call-home request replies', () => {
  /** The reply mail to one request, as the relay received it. */
  async function reply(kind: string, request?: Detail): Promise<string> {
    const d = request ?? (await one((m) => m.type === 'request'));
    expect(d).toMatchObject({ status: 'processed', results: { reply: { request: kind, to: [CONTACT] } } });
    let text = '';
    await expect.poll(() => (text = relay.mails.filter((m) => m.subject.startsWith('[SCH] Response to your call-home request') && m.text.includes(`Request: ${kind}`)).at(-1)?.text ?? ''), { timeout: 15_000 }).not.toBe('');
    return text;
  }

  it('config-sanity: best-practice findings for the running configuration, to the contact when the CCO ID is not a user', async () => {
    await cli('call-home request config-sanity profile SCH ccoid jdoe');
    const text = await reply('config-sanity');
    expect(text).toContain("CCO ID jdoe is not a registered Smart Call Home user of this device's company: the reply goes to the device contact.");
    expect(text).toContain('Checked: show running-config all.');
    expect(text).toContain('[medium] password-encryption');
    expect(text).not.toContain('vty-telnet'); // the lab's vty lines take SSH only
  });

  it("with the CCO ID of a registered user of the device's company, the reply goes to that user", async () => {
    // Given a directory user of the company whose contract covers the device, who has accepted the agreement
    await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: SERIAL, contractNumber: 'C-PROC-1', company: 'proc-co' }] } });
    const directory = { companies: [{ id: 'proc-co', name: 'Processing Co' }], users: [{ id: 'asmith', name: 'A. Smith', email: 'asmith@example.com', password: 'correct-horse-1', companies: { 'proc-co': 'user' } }] };
    expect((await api(b.url, '/directory', { method: 'POST', body: directory })).status).toBe(200);
    const login = await api<{ token: string }>(b.url, '/login', { method: 'POST', body: { user: 'asmith', password: 'correct-horse-1' }, token: null });
    const version = (await api<{ version: string }>(b.url, '/agreement', { token: login.body.token })).body.version;
    expect((await api(b.url, '/agreement', { method: 'POST', body: { version }, token: login.body.token })).status).toBe(200);
    // When the device asks with that CCO ID
    await cli('call-home request bugs-list profile SCH ccoid asmith');
    const d = await one((m) => m.type === 'request');
    expect(d.results.reply).toEqual({ request: 'bugs-list', to: ['asmith@example.com'], items: 1 });
    await expect.poll(() => relay.mails.some((m) => m.to === 'asmith@example.com' && m.text.includes('Request: bugs-list')), { timeout: 15_000 }).toBe(true);
  });

  it('bugs-list: known bugs for the running version and the features in use', async () => {
    await cli('call-home request bugs-list profile SCH');
    const text = await reply('bugs-list');
    expect(text).toContain('Software version: 17.3.4a; platform: CSR1000V');
    expect(text).toContain('SIM-BUG-0002'); // Call Home on 17.3
    expect(text).not.toContain('SIM-BUG-0001'); // OSPF is not configured
  });

  it('command-reference: a reference for every command in the running configuration', async () => {
    await cli('call-home request command-reference profile SCH');
    const text = await reply('command-reference');
    expect(text).toContain('products-command-reference-list.html');
    expect(text).toContain('hostname: Configuration Fundamentals Command Reference');
    expect(text).toContain('call-home: Network Management Command Reference');
  });

  it('product-advisory: PSIRT, field notices and EoL/EoS for the product and version', async () => {
    await cli('call-home request product-advisory profile SCH');
    const text = await reply('product-advisory');
    // The shipped table (src/backend/data/advisories.yaml): the product and its version match; the rest do not.
    expect(text).toContain('PSIRT SIM-PSIRT-2026-001: IOS XE Software Web UI privilege escalation (matched on product CSR1000V; software 17.3.4a)');
    expect(text).toContain('EoL SIM-EOL-2026-0002');
    expect(text).not.toContain('SIM-EOL-2026-0001'); // ISR G2 routers only
    expect(text).not.toContain('SIM-EOS-2026-0001'); // 17.6.x only
  });

  it('output-analysis: the analysis of the command output the request carries', async () => {
    await cli('call-home request output-analysis "show version" profile SCH');
    const text = await reply('output-analysis');
    expect(text).toContain('Analysis of "show version":');
    expect(text).toContain('Software 17.3.4a (X86_64_LINUX_IOSD-UNIVERSALK9-M)');
  });

  it('registration-info: the registration as the service holds it', async () => {
    const request = await post({ kind: 'request', subType: 'registration-info', eventName: 'registration-info', description: 'registration-info', attachments: [] });
    const text = await reply('registration-info', request);
    expect(text).toContain('Registration state: registered');
    expect(text).toContain('Contract: C-PROC-1');
  });

  it('a request the service does not answer is stored as unsupported', async () => {
    const d = await post({ kind: 'request', subType: 'tea-please', eventName: 'tea-please', description: 'tea-please' });
    expect(d).toMatchObject({ status: 'unsupported', results: { note: 'unsupported request type' } });
  });
});
