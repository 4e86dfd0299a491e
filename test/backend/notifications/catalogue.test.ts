/**
 * The whole §5.4 trigger catalogue (S60), one row per trigger, each caused for real on a running back end:
 * device messages over HTTP and SMTP, the REST API (registrations, preferences, users, gateways, the SCH
 * administrator's CA update), a gateway's own status report, and the daily pass on the service's clock.
 * Every row then checks the stored notification — kind and trigger, recipients (S57), the standard fields
 * (S59), the host name in the subject (S61) — and the mail a real SMTP relay received, or that none was
 * sent for the kinds the service only records. The per-device toggle (S58), the privacy flag (S61) and
 * SCH Support's copies (S62) have their own tests below.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SrContactStanding } from '../../../src/backend/cases/sr-contact.js';
import { NOTIFICATION_KINDS, TRIGGERS, type NotificationKind, type TriggerId } from '../../../src/backend/notifications/catalogue.js';
import { GATEWAY_AUTH_HEADER, GATEWAY_PING_PATH, GATEWAY_STATUS_PATH, gatewayAuth } from '../../../src/backend/gateway/protocol.js';
import { renderXml } from '../../../src/callhome/codec.js';
import type { CallHomeMessage } from '../../../src/domain/message.js';
import type { GatewayStatus } from '../../../src/events/protocol.js';
import { runNotifications } from '../../../commands/notifications.js';
import { buildMessage } from '../build-message.js';
import { api, TOKEN } from '../helpers.js';
import { importBackOffice, trialFixture } from '../entitlement/fixtures.js';
import { waitFor } from '../../security/helpers.js';
import { notes, send, settled, startRig, subjectOf, tempFailure, type Note, type Rig } from '../sr-notify/helpers.js';

const DAY = 86_400_000;
/** Another interface each time: an identical syslog within the de-dup window is collapsed (S47). */
let port = 0;
const SUPPORT = 'support@sch.example';
/** S57 for a confirmed device: its contact, the preference list, the registrant. */
const DEVICE_TO = ['noc@example.com', 'list@example.com', 'owner@example.com'];
/** The S59 lines every notification carries. */
const S59 = ['Reason: ', 'Host name: ', 'Serial number: ', 'Time stamp: ', 'Message name: ', 'Series: ', 'Contract ID: ', 'Details: '];

const people = new Map<string, SrContactStanding>();
const person = (email: string, o: Partial<SrContactStanding> = {}): void => void people.set(email, { email, admin: true, caseManagement: true, contractExpiresAt: null, ...o });

/** The service's clock: real time plus what the time-moving rows add. */
let offset = 0;
let rig: Rig;
let gateway = { id: '', password: '' };

beforeAll(async () => {
  rig = await startRig({ smtpPort: 0, supportEmail: SUPPORT, now: () => new Date(Date.now() + offset), srContacts: (contact) => Promise.resolve(people.get(contact) ?? null) });
  await api(rig.b.url, '/directory', {
    method: 'POST',
    body: {
      companies: [{ id: 'acme', name: 'ACME' }],
      users: [
        { id: 'alice', name: 'Alice', email: 'alice@acme.example', password: 'alice-password', companies: { acme: 'administrator' } },
        { id: 'dave', name: 'Dave', email: 'dave@acme.example', password: 'dave-password' },
      ],
    },
  });
  await importBackOffice(rig.b.url, { profiles: [{ ccoId: 'erin', company: 'acme', contracts: [], email: 'erin@acme.example' }] });
});
afterAll(async () => rig.stop());

const prefs = async (serial: string, body: Record<string, unknown>): Promise<void> => {
  const r = await api(rig.b.url, `/devices/${serial}/preferences`, { method: 'PUT', body });
  if (r.status !== 200) throw new Error(`preferences of ${serial}: ${r.status} ${JSON.stringify(r.body)}`);
};
const tokenOf = async (serial: string): Promise<string> => /Security token: (\S+)/.exec((await notes(rig.b)).find((n) => n.serial === serial && n.kind === 'pending-registration')?.body ?? '')?.[1] ?? '';

/**
 * A device as a customer sets one up: its first message (pending), the preference list and registrant
 * (S57), then the confirmation — under `contract` (expiring at `expires`), or a trial under `trialCompany`.
 */
async function device(serial: string, o: { contract?: string; expires?: string; trialCompany?: string; srContact?: string } = {}): Promise<void> {
  if (o.trialCompany) await importBackOffice(rig.b.url, trialFixture([serial], o.trialCompany));
  else await api(rig.b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial, contractNumber: o.contract ?? `C-${serial}`, ...(o.expires ? { expiresAt: o.expires } : {}) }] } });
  await send(rig.b, { serialNumber: serial, hostname: host(serial), contactEmail: 'noc@example.com' });
  await prefs(serial, { emails: ['list@example.com'], registrant: 'owner@example.com', ...(o.srContact ? { srContact: o.srContact } : {}) });
  const r = await api(rig.b.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token: await tokenOf(serial) } });
  if (r.status !== 200) throw new Error(`confirm ${serial}: ${r.status} ${JSON.stringify(r.body)}`);
}
const host = (serial: string): string => `h-${serial.toLowerCase()}`;
const message = (serial: string, m: Partial<CallHomeMessage> = {}): Partial<CallHomeMessage> & { serialNumber: string } => ({ serialNumber: serial, hostname: host(serial), ...m });
const gatewayHeaders = (): Record<string, string> => ({ [GATEWAY_AUTH_HEADER]: gatewayAuth(gateway.id, gateway.password) });
const statusReport = (full: boolean, notify: string[] | null): GatewayStatus => ({
  reportedAt: new Date().toISOString(),
  queue: { queued: 3, held: 2, refused: 0, bytes: 10 * 1024 * 1024, maxBytes: 10 * 1024 * 1024, full },
  sendFlag: true,
  forwarding: { state: 'ok', since: null, lastError: null },
  mailbox: null,
  activity: { queued: 0, forwarded: 0, refused: 0, held: 0, purged: 0, refusedAtIntake: full ? 1 : 0 },
  storeFullNotify: notify === null ? null : { to: notify },
});
const postStatus = async (s: GatewayStatus): Promise<number> => (await fetch(`${rig.b.url}${GATEWAY_STATUS_PATH}`, { method: 'POST', headers: { ...gatewayHeaders(), 'content-type': 'application/json' }, body: JSON.stringify(s) })).status;

type Row = {
  readonly id: TriggerId;
  readonly kind: NotificationKind;
  /** Sets up what the trigger needs (not counted). */
  readonly setup?: () => Promise<void>;
  /** Causes the trigger for real. */
  readonly cause: () => Promise<void>;
  /** The notification's device (null: about a user or a gateway). */
  readonly serial: string | null;
  /** S57: exactly these recipients (any order). */
  readonly to: readonly string[];
  /** S61: the confirmed device's host name ends the subject. */
  readonly host?: boolean;
  /** Something the body says about the cause. */
  readonly says?: RegExp;
  /** S62: SCH Support gets an alert about the same device. */
  readonly support?: boolean;
  /** S59: caused by a device message, so its time stamp, series and contract ID are the message's. */
  readonly fromMessage?: boolean;
};

/** The triggers caused at the real time, in catalogue order. */
const ROWS: Row[] = [
  {
    id: 'N1',
    kind: 'pending-registration',
    // Over SMTP: the mail's Reply-To, not the contact, gets the token (S10, S57).
    cause: async () => {
      const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: rig.b.smtpPort ?? 0, secure: false, ignoreTLS: true });
      try {
        await mailer.sendMail({ from: 'router@example.com', replyTo: 'replies@example.com', to: 'callhome@example.com', subject: 'System Notification From n1 - inventory', text: renderXml(buildMessage({ serialNumber: 'CATN0101', hostname: 'n1', contactEmail: 'contact-n1@example.com' })) });
      } finally {
        mailer.close();
      }
      await waitFor(async () => (await notes(rig.b)).some((n) => n.serial === 'CATN0101'), (x) => x, 10_000, 'the pending registration');
    },
    serial: 'CATN0101',
    to: ['replies@example.com'],
    says: /Security token: [0-9A-F]{12}[\s\S]*registration\/confirm\?serial=CATN0101&token=/,
  },
  { id: 'N2', kind: 'inventory-updated', setup: () => device('CATN0201'), cause: async () => void (await send(rig.b, message('CATN0201'))), serial: 'CATN0201', fromMessage: true, to: DEVICE_TO, host: true },
  {
    id: 'N3',
    kind: 'configuration-updated',
    setup: () => device('CATN0301'),
    cause: async () => void (await send(rig.b, message('CATN0301', { kind: 'configuration', subType: 'full', description: 'Configuration', attachments: [{ name: 'show running-config', data: 'hostname h-catn0301\n' }] }))),
    serial: 'CATN0301', fromMessage: true,
    to: DEVICE_TO,
    host: true,
  },
  { id: 'N4', kind: 'environment', setup: () => device('CATN0401'), cause: async () => void (await send(rig.b, message('CATN0401', { kind: 'environment', subType: 'minor', severity: 4, description: 'VOLTAGE_LOW: input voltage low' }))), serial: 'CATN0401', fromMessage: true, to: DEVICE_TO, host: true },
  { id: 'N5', kind: 'diagnostic', setup: () => device('CATN0501'), cause: async () => void (await send(rig.b, message('CATN0501', { kind: 'diagnostic', subType: 'minor', severity: 4, description: 'DiagFanTest failed' }))), serial: 'CATN0501', fromMessage: true, to: DEVICE_TO, host: true },
  // Syslog results are mailed like diagnostic ones (N5); crash and snapshot results too, through the same function.
  { id: 'N5', kind: 'syslog', setup: () => device('CATN0502'), cause: async () => void (await send(rig.b, message('CATN0502', { kind: 'syslog', subType: '', severity: 5, eventName: 'LINK-3-UPDOWN', description: `%LINK-3-UPDOWN: Interface GigabitEthernet${++port}, changed state to down` }))), serial: 'CATN0502', fromMessage: true, to: DEVICE_TO, host: true, says: /syslog alert: LINK-3-UPDOWN/ },
  { id: 'N6', kind: 'test', setup: () => device('CATN0601'), cause: async () => void (await send(rig.b, message('CATN0601', { kind: 'test', subType: '', description: 'hello from the NOC' }))), serial: 'CATN0601', fromMessage: true, to: DEVICE_TO, host: true, says: /Message name: hello from the NOC/ },
  { id: 'N7', kind: 'unsupported-message', setup: () => device('CATN0701'), cause: async () => void (await send(rig.b, message('CATN0701', { kind: 'request', subType: 'make-coffee', description: 'make-coffee' }))), serial: 'CATN0701', fromMessage: true, to: DEVICE_TO, host: true, says: /make-coffee/ },
  { id: 'N8', kind: 'missing-information', setup: () => device('CATN0801'), cause: async () => void (await send(rig.b, message('CATN0801', { model: '' }))), serial: 'CATN0801', fromMessage: true, to: DEVICE_TO, host: true, says: /chassis model/, support: true },
  {
    id: 'N9',
    kind: 'not-covered',
    setup: async () => void (await send(rig.b, { serialNumber: 'CATN0901', hostname: 'n9', series: 'No Such Family' })),
    // erin's profile has no eligible contract for its family: refused (S15), and erin, who tried, is told too.
    cause: async () => expect((await api(rig.b.url, '/registrations/CATN0901/confirm', { method: 'POST', body: { token: await tokenOf('CATN0901'), profile: 'erin' } })).status).toBe(403),
    serial: 'CATN0901',
    to: ['noc@example.com', 'erin@acme.example'],
    says: /Registration not completed \(no-eligible-contract\)/,
  },
  {
    id: 'N10',
    kind: 'sr-contact-permission-lost',
    setup: async () => {
      person('lost@example.com');
      await device('CATN1001', { srContact: 'lost@example.com' });
      person('lost@example.com', { admin: false });
    },
    cause: async () => void (await send(rig.b, tempFailure('CATN1001', host('CATN1001')))),
    serial: 'CATN1001', fromMessage: true,
    to: [...DEVICE_TO, 'lost@example.com'],
    host: true,
  },
  {
    id: 'N11',
    kind: 'entitlement-expired',
    setup: () => device('CATN1101', { trialCompany: 'n11corp' }),
    // The profile contract the trial rests on lapses before the trial's end: entitlement lost.
    cause: async () => void (await importBackOffice(rig.b.url, { contracts: [{ number: 'PROFILE-n11corp', company: 'n11corp', expires: '2020-01-01' }] })),
    serial: 'CATN1101',
    to: DEVICE_TO,
    host: true,
  },
  {
    id: 'N12',
    kind: 'case-created',
    setup: async () => {
      person('admin@example.com');
      await device('CATN1201', { srContact: 'admin@example.com' });
    },
    cause: async () => expect((await send(rig.b, tempFailure('CATN1201', host('CATN1201')))).results.caseAction).toBe('created'),
    serial: 'CATN1201', fromMessage: true,
    to: [...DEVICE_TO, 'admin@example.com'],
    host: true,
    says: /TAC case: .*\/api\/v1\/cases\/\d+/,
  },
  // The same failure again folds into the open SR.
  { id: 'N12', kind: 'case-updated', cause: async () => expect((await send(rig.b, tempFailure('CATN1201', host('CATN1201')))).results.caseAction).toBe('updated'), serial: 'CATN1201', fromMessage: true, to: [...DEVICE_TO, 'admin@example.com'], host: true, says: /Service request \d+ updated/ },
  {
    id: 'N12',
    kind: 'case-closed',
    cause: async () => {
      const [c] = (await api<{ cases: { number: string; serial: string }[] }>(rig.b.url, '/cases')).body.cases.filter((x) => x.serial === 'CATN1201');
      expect((await api(rig.b.url, `/cases/${c?.number ?? ''}/close`, { method: 'POST', body: { note: 'fan replaced' } })).status).toBe(200);
    },
    serial: 'CATN1201',
    to: [...DEVICE_TO, 'admin@example.com'],
    host: true,
    says: /Note: fan replaced/,
  },
  {
    id: 'N12',
    kind: 'case-failed',
    setup: async () => {
      await device('CATN1202', { srContact: 'admin@example.com' });
      expect((await api(rig.b.url, '/sr-tracker', { method: 'PUT', body: { available: false, reason: 'maintenance window' } })).status).toBe(200);
    },
    cause: async () => {
      try {
        expect((await send(rig.b, tempFailure('CATN1202', host('CATN1202')))).results.srFailure).toBe('tracker-unavailable');
      } finally {
        await api(rig.b.url, '/sr-tracker', { method: 'PUT', body: { available: true } });
      }
    },
    serial: 'CATN1202',
    fromMessage: true,
    to: [...DEVICE_TO, 'admin@example.com'],
    host: true,
    says: /Tracker: maintenance window/,
  },
  { id: 'N13', kind: 'trial-registered', cause: () => device('CATN1301', { trialCompany: 'n13corp' }), serial: 'CATN1301', to: DEVICE_TO, host: true, says: /120-day trial/ },
  // N14 moves the clock: below.
  {
    id: 'N15',
    kind: 'contract-expiring',
    setup: () => device('CATN1501', { contract: 'C-N15', expires: new Date(Date.now() + 20 * DAY).toISOString() }),
    cause: async () => void (await rig.b.service.entitlementPass()),
    serial: 'CATN1501',
    to: DEVICE_TO,
    host: true,
    says: /contract C-N15 expires in (19|20) days/,
  },
  { id: 'N16', kind: 'user-created', cause: async () => expect((await api(rig.b.url, '/users', { method: 'POST', body: { user: 'dave', company: 'acme', role: 'user' } })).status).toBe(201), serial: null, to: ['dave@acme.example'], says: /registered you \(dave\) as User of acme[\s\S]*Accept the legal agreement/ },
  { id: 'N17', kind: 'user-deleted', cause: async () => expect((await api(rig.b.url, '/users/dave/companies/acme', { method: 'DELETE' })).status).toBe(200), serial: null, to: ['dave@acme.example'], says: /deleted your user registration \(dave\) for acme/ },
  {
    id: 'N18',
    kind: 'sr-contact-contract-expiring',
    setup: async () => {
      person('soon@example.com', { contractExpiresAt: new Date(Date.now() + 10 * DAY).toISOString() });
      await device('CATN1801', { srContact: 'soon@example.com' });
    },
    cause: async () => expect((await send(rig.b, tempFailure('CATN1801', host('CATN1801')))).results.caseAction).toBe('created'),
    serial: 'CATN1801',
    to: [...DEVICE_TO, 'soon@example.com'],
    host: true,
  },
  {
    id: 'N18',
    kind: 'sr-contact-contract-expired',
    setup: async () => {
      person('lapsed@example.com');
      await device('CATN1802', { srContact: 'lapsed@example.com' });
      person('lapsed@example.com', { contractExpiresAt: new Date(Date.now() - DAY).toISOString() });
    },
    cause: async () => expect((await send(rig.b, tempFailure('CATN1802', host('CATN1802')))).results.srFailure).toBe('contact-contract-expired'),
    serial: 'CATN1802',
    to: [...DEVICE_TO, 'lapsed@example.com'],
    host: true,
  },
  {
    id: 'N19',
    kind: 'message-failed',
    setup: () => device('CATN1901'),
    cause: async () => expect((await send(rig.b, message('CATN1901', { kind: 'configuration', subType: 'full', attachments: [{ name: 'show running-config all', data: "show running-config all\n                    ^\n% Invalid input detected at '^' marker.\n\nR1#" }] }))).status).toBe('mapping-error'),
    serial: 'CATN1901', fromMessage: true,
    to: DEVICE_TO,
    host: true,
    says: /Configuration message failed/,
    support: true,
  },
  { id: 'N20', kind: 'sr-no-permission', setup: () => device('CATN2001'), cause: async () => expect((await send(rig.b, tempFailure('CATN2001', host('CATN2001')))).results.srFailure).toBe('no-contact'), serial: 'CATN2001', fromMessage: true, to: DEVICE_TO, host: true },
  {
    id: 'N21',
    kind: 'sr-not-entitled',
    setup: async () => {
      await device('CATN2101', { contract: 'C-N21' });
      await api(rig.b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'CATN2101', fromMessage: true, contractNumber: 'C-N21', expiresAt: '2020-01-01T00:00:00Z' }] } });
    },
    cause: async () => expect((await send(rig.b, tempFailure('CATN2101', host('CATN2101')))).results.srFailure).toBe('not-entitled'),
    serial: 'CATN2101',
    to: DEVICE_TO,
    host: true,
  },
  // N22 goes to the contact only (§5.4).
  { id: 'N22', kind: 'registration-complete', cause: () => device('CATN2201', { contract: 'C-N22' }), serial: 'CATN2201', to: ['noc@example.com'], host: true, says: /contract C-N22/ },
  {
    id: 'N23',
    kind: 'contract-added',
    setup: async () => {
      await importBackOffice(rig.b.url, { contracts: [{ number: 'C-N23', type: 'direct', company: 'acme', serials: ['CATN2301'] }], installedBase: [{ serial: 'CATN2301', company: 'acme' }] });
      await send(rig.b, { serialNumber: 'CATN2301', hostname: 'n23' });
      const refused = await api<{ error: string }>(rig.b.url, '/registrations/CATN2301/confirm', { method: 'POST', body: { token: await tokenOf('CATN2301'), profile: 'erin' } });
      expect(refused.body.error).toBe('contract-not-in-profile');
    },
    // The back office adds the contract to erin's profile: she can now confirm.
    cause: async () => void (await importBackOffice(rig.b.url, { profiles: [{ ccoId: 'erin', company: 'acme', contracts: ['C-N23'], email: 'erin@acme.example' }] })),
    serial: 'CATN2301',
    to: ['erin@acme.example'],
    says: /Contract C-N23 was added to your profile erin/,
  },
  {
    id: 'N24',
    kind: 'gateway-password-rotated',
    setup: async () => {
      const r = await api<{ id: string; password: string }>(rig.b.url, '/gateways', { method: 'POST', body: { name: 'tg-cat', company: 'acme' } });
      gateway = { id: r.body.id, password: r.body.password };
    },
    // An administrator's reset (audit only: recorded, never mailed, never the password).
    cause: async () => {
      const r = await api<{ password: string }>(rig.b.url, `/gateways/${gateway.id}/reset-password`, { method: 'POST' });
      gateway = { ...gateway, password: r.body.password };
    },
    serial: null,
    to: [],
    says: /tg-cat .*password reset by bootstrap/,
  },
  {
    id: 'N25',
    kind: 'ca-certificate-update',
    cause: async () => {
      const r = await api<{ notified: { user: string }[] }>(rig.b.url, '/admin/ca-certificate-update', { method: 'POST', body: { version: 'QuoVadis-2027' } });
      expect(r.status).toBe(200);
      // Registered users only: alice (acme), not erin (a CCO profile without a company role) nor dave (deleted above).
      expect(r.body.notified.map((n) => n.user)).toEqual(['alice']);
    },
    serial: null,
    to: ['alice@acme.example'],
    says: /CA root certificate update QuoVadis-2027[\s\S]*crypto pki trustpool import/,
  },
  {
    id: 'N26',
    kind: 'gateway-store-full',
    setup: async () => expect(await postStatus(statusReport(false, ['tg-admin@example.com']))).toBe(200),
    cause: async () => expect(await postStatus(statusReport(true, ['tg-admin@example.com']))).toBe(200),
    serial: null,
    to: ['tg-admin@example.com'],
    says: /tg-cat .*mail store full[\s\S]*10\.0 MiB of 10\.0 MiB; 3 queued, 2 held/,
  },
  {
    id: 'N27',
    kind: 'request-reply',
    setup: () => device('CATN2701'),
    cause: async () => expect((await send(rig.b, message('CATN2701', { kind: 'request', subType: 'bugs-list', description: 'bugs-list' }))).status).toBe('processed'),
    serial: 'CATN2701', fromMessage: true,
    to: ['noc@example.com'],
    host: true,
    says: /bugs-list/,
  },
];

/** The triggers that need the clock moved: after every other row. */
const LATER_ROWS: Row[] = [
  { id: 'N14', kind: 'trial-reminder', setup: () => device('CATN1401', { trialCompany: 'n14corp' }), cause: () => pass(15), serial: 'CATN1401', to: DEVICE_TO, host: true, says: /Trial registration ends .* \(10[45] days left\)/ },
  // CATN1501's contract (20 days, warned above) ends: N15 "expired", on the day, without waiting for the device.
  { id: 'N15', kind: 'contract-expired', cause: () => pass(21), serial: 'CATN1501', to: DEVICE_TO, host: true, says: /contract C-N15 expired[\s\S]*no longer entitled/ },
  {
    id: 'N24',
    kind: 'gateway-password-rotated',
    // 31 days after the reset, the gateway's next request rotates its password.
    cause: async () => {
      offset = 31 * DAY;
      const r = await fetch(`${rig.b.url}${GATEWAY_PING_PATH}`, { headers: gatewayHeaders() });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-callhome-gateway-new-password')).toBeTruthy();
    },
    serial: null,
    to: [],
    says: /tg-cat .*password rotated after 30 days/,
  },
];

async function pass(days: number): Promise<void> {
  offset = days * DAY;
  await rig.b.service.entitlementPass();
}

const lastId = async (): Promise<number> => Math.max(0, ...(await notes(rig.b)).map((n) => n.id));
const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** The notifications a cause produced for a row (same kind, same device; for user and gateway ones, the same recipients). */
async function fresh(row: Row, after: number): Promise<Note[]> {
  return (await notes(rig.b)).filter((n) => n.id > after && n.kind === row.kind && n.serial === row.serial && (row.serial !== null || sameSet(n.to, row.to)));
}

function check(row: Row): void {
  it(`${row.id} ${row.kind}: ${TRIGGERS[row.id]}`, async () => {
    await row.setup?.();
    const before = await lastId();
    await row.cause();
    const made = await fresh(row, before);
    expect(made, `one ${row.kind} notification`).toHaveLength(1);
    const n = made[0]!;
    const entry = NOTIFICATION_KINDS[row.kind];
    expect(entry.trigger).toBe(row.id);
    // S57: exactly the recipients the catalogue's audience names.
    expect([...n.to].sort()).toEqual([...row.to].sort());
    // S59: the standard fields, the device's serial and the portal link.
    for (const field of S59) expect(n.body.split('\n').some((l) => l.startsWith(field)), field).toBe(true);
    expect(n.body).toContain(`Serial number: ${row.serial ?? '(none)'}`);
    if (row.serial) expect(n.body).toContain(`Details: ${rig.b.url}/api/v1/devices/${row.serial}`);
    if (row.says) expect(n.body).toMatch(row.says);
    if (row.fromMessage) {
      for (const line of ['Time stamp: 2026-11-23 10:00:00 GMT+00:00', 'Series: CSR1000v Cloud Services Router', 'Contract ID: C123456', `Host name: ${host(row.serial ?? '')}`]) expect(n.body).toContain(line);
      expect(n.body).not.toContain('Message name: (no message)');
    }
    // S61: our words for the kind, then the host name of a confirmed device (none for a pending one, a user or a gateway).
    expect(n.subject.startsWith(`[SCH] ${entry.subject}`)).toBe(true);
    if (row.host) expect(n.subject.endsWith(` - ${host(row.serial ?? '')}`)).toBe(true);
    else expect(n.subject).not.toContain(' - ');
    // The mail the relay got: to every recipient, with that subject; none for what the service only records.
    await settled(rig.b);
    const mails = rig.sink.mails.filter((m) => subjectOf(m) === n.subject && row.to.some((a) => m.rcptTo.includes(a)));
    if (entry.mailed && n.to.length > 0) {
      for (const a of row.to) expect(mails.some((m) => m.rcptTo.includes(a)), `mail to ${a}`).toBe(true);
      expect((await api<{ notifications: { id: number; delivered: boolean }[] }>(rig.b.url, '/notifications?limit=1000')).body.notifications.find((x) => x.id === n.id)?.delivered).toBe(true);
    } else expect(mails).toEqual([]);
    // S62: SCH Support hears of processing failures, with the stored message.
    if (row.support) {
      const alert = (await notes(rig.b)).find((x) => x.id > before && x.kind === 'support-alert' && x.serial === row.serial);
      expect(alert?.to).toEqual([SUPPORT]);
      expect(alert?.body).toMatch(/Stored message: .*\/api\/v1\/messages\/\d+/);
    }
  });
}

describe('the §5.4 catalogue (S60)', () => {
  it('has exactly the triggers N1–N27, and this file causes each of them for real', () => {
    const ids = Array.from({ length: 27 }, (_, i) => `N${i + 1}`);
    expect(Object.keys(TRIGGERS)).toEqual(ids);
    const rows = new Set([...ROWS, ...LATER_ROWS].map((r) => r.id));
    expect([...rows].sort()).toEqual([...ids].sort());
    // Every trigger is carried by a kind, and every kind has a row — but crash and snapshot results (sent by
    // the same function as syslog's, cases/service-requests.ts analysisMail) and SCH Support's own (S62, below and in sr-notify).
    for (const id of ids) expect(Object.values(NOTIFICATION_KINDS).some((k) => k.trigger === id), id).toBe(true);
    const kinds = new Set([...ROWS, ...LATER_ROWS].map((r) => r.kind));
    expect(Object.keys(NOTIFICATION_KINDS).filter((k) => !kinds.has(k as NotificationKind))).toEqual(['crash', 'snapshot', 'support-alert', 'support-request']);
    // §5.2: SR mails always go; the analysis results are optional.
    for (const kind of ['case-created', 'case-updated', 'case-failed', 'sr-no-permission', 'sr-not-entitled'] as const) expect(NOTIFICATION_KINDS[kind].class).toBe('always');
    for (const kind of ['inventory-updated', 'configuration-updated', 'environment', 'diagnostic', 'test'] as const) expect(NOTIFICATION_KINDS[kind].class).toBe('optional');
  });

  describe('each trigger, caused through ingest or the API', () => {
    for (const row of ROWS) check(row);
  });

  describe('S58: the per-device notification toggle', () => {
    const optional = ROWS.filter((r) => r.serial !== null && NOTIFICATION_KINDS[r.kind].class === 'optional');
    it('covers every optional device trigger of the catalogue', () => {
      expect(optional.map((r) => r.id)).toEqual(['N2', 'N3', 'N4', 'N5', 'N5', 'N6', 'N7', 'N8', 'N19']);
    });
    for (const row of optional) {
      it(`${row.id} ${row.kind} is not sent when the device's notifications are off${row.support ? '; SCH Support still hears of it' : ''}`, async () => {
        await prefs(row.serial ?? '', { notifications: false });
        try {
          const before = await lastId();
          await row.cause();
          expect(await fresh(row, before)).toEqual([]);
          if (row.support) expect((await notes(rig.b)).some((x) => x.id > before && x.kind === 'support-alert' && x.serial === row.serial)).toBe(true);
        } finally {
          await prefs(row.serial ?? '', { notifications: true });
        }
        // The same cause mails again once they are on (so the silence above was the toggle's).
        const again = await lastId();
        await row.cause();
        expect(await fresh(row, again)).toHaveLength(1);
      });
    }
    it('SR and registration mails still go with notifications off (N12, N20, N15)', async () => {
      await device('CATS5801');
      await prefs('CATS5801', { notifications: false });
      const before = await lastId();
      expect((await send(rig.b, tempFailure('CATS5801', host('CATS5801')))).results.srFailure).toBe('no-contact');
      expect((await fresh({ ...ROWS.find((r) => r.id === 'N20')!, serial: 'CATS5801' }, before)).map((n) => n.to.sort())).toEqual([[...DEVICE_TO].sort()]);
      await api(rig.b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial: 'CATS5801', contractNumber: 'C-CATS5801', expiresAt: new Date(Date.now() + 5 * DAY).toISOString() }] } });
      await rig.b.service.entitlementPass();
      expect((await notes(rig.b)).filter((n) => n.id > before && n.serial === 'CATS5801').map((n) => n.kind).sort()).toEqual(['contract-expiring', 'sr-no-permission']);
    });
  });

  describe('S61: host-name removal', () => {
    it('a device whose privacy flag is on gets subjects without its host name; the body still names it', async () => {
      await prefs('CATN0601', { removeHostname: true });
      const before = await lastId();
      await send(rig.b, message('CATN0601', { kind: 'test', subType: '', description: 'private' }));
      const [n] = await fresh(ROWS.find((r) => r.id === 'N6')!, before);
      expect(n?.subject).toBe('[SCH] Test message received');
      expect(n?.body).toContain('Host name: h-catn0601');
      await settled(rig.b);
      expect(rig.sink.mails.filter((m) => m.rcptTo.includes('owner@example.com')).map(subjectOf)).toContain('[SCH] Test message received');
      await prefs('CATN0601', { removeHostname: false });
      await send(rig.b, message('CATN0601', { kind: 'test', subType: '', description: 'public' }));
      expect((await notes(rig.b)).find((x) => x.serial === 'CATN0601' && x.kind === 'test')?.subject).toBe('[SCH] Test message received - h-catn0601');
    });
  });

  describe('N25 and N26: who may start them, and when they are not raised', () => {
    it('N25: only an SCH administrator starts the CA update (the route and `callhome notifications ca-certificate-update`)', async () => {
      const login = await api<{ token: string }>(rig.b.url, '/login', { method: 'POST', body: { user: 'alice', password: 'alice-password' }, token: null });
      expect(login.status).toBe(200);
      expect((await api(rig.b.url, '/admin/ca-certificate-update', { method: 'POST', body: { version: 'X' }, token: login.body.token })).status).toBe(403);
      expect((await api(rig.b.url, '/admin/ca-certificate-update', { method: 'POST', body: { version: '' } })).status).toBe(400);
      const before = await lastId();
      let out = '';
      const cli = { backend: rig.b.url, token: TOKEN, json: true, action: 'ca-certificate-update' };
      await expect(runNotifications(cli, { stdout: () => undefined })).rejects.toThrow(/Name the root certificate bundle version/);
      const file = join(rig.b.dir, 'ca-steps.txt');
      writeFileSync(file, 'Step one: import the new bundle.\n\nStep two: send an inventory.\n');
      await runNotifications({ ...cli, version: 'QuoVadis-2028', instructionsFile: file }, { stdout: (t) => void (out += t) });
      const r = JSON.parse(out) as { version: string; notified: { user: string; email: string; notification: number }[] };
      expect(r).toMatchObject({ version: 'QuoVadis-2028', notified: [{ user: 'alice', email: 'alice@acme.example' }] });
      const n = (await notes(rig.b)).find((x) => x.id > before && x.kind === 'ca-certificate-update');
      expect(n?.id).toBe(r.notified[0]?.notification);
      expect(n?.body).toContain('Reason: CA root certificate update QuoVadis-2028');
      expect(n?.body).toMatch(/Step one: import the new bundle\.\nStep two: send an inventory\.\n$/);
    });

    it('N26: once per full episode, and not at all when the gateway\'s store-full flag is off', async () => {
      const kind = ROWS.find((r) => r.id === 'N26')!;
      const before = await lastId();
      // Still full: no second one.
      expect(await postStatus(statusReport(true, ['tg-admin@example.com']))).toBe(200);
      expect(await fresh(kind, before)).toEqual([]);
      // Room again, then full with the flag off: none.
      expect(await postStatus(statusReport(false, null))).toBe(200);
      expect(await postStatus(statusReport(true, null))).toBe(200);
      expect((await notes(rig.b)).filter((n) => n.id > before && n.kind === 'gateway-store-full')).toEqual([]);
      // The flag on again while full: a new episode for the service.
      expect(await postStatus(statusReport(true, ['tg-admin@example.com']))).toBe(200);
      expect(await fresh(kind, before)).toHaveLength(1);
    });
  });

  describe('the triggers of the daily pass and of time, on the service clock', () => {
    for (const row of LATER_ROWS) check(row);
  });
});
