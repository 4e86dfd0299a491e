/** Set-up for the service-request and notification tests: a real back end, a real SMTP sink as its relay. */
import { renderXml } from '../../../src/callhome/codec.js';
import type { CallHomeMessage } from '../../../src/domain/message.js';
import type { BackendOptions } from '../../../src/backend/server.js';
import { startMailSink, type MailSink, type SunkMail } from '../../security/mail-sink.js';
import { waitFor } from '../../security/helpers.js';
import { buildMessage } from '../build-message.js';
import { api, postXml, startTestBackend, type TestBackend } from '../helpers.js';
import { importBackOffice, trialFixture } from '../entitlement/fixtures.js';

export type Note = { id: number; kind: string; serial: string | null; to: string[]; subject: string; body: string; delivered: boolean };
export type Results = { rules?: string[]; caseAction?: string; caseNumber?: string; notifiedTo?: string[]; srFailure?: string; note?: string };
export type CaseDoc = { id: number; number: string; status: string; priority: number; serial: string; history: { at: string; note: string; messageId: number | null }[]; attachments: { name: string }[] };

export type Rig = { b: TestBackend; sink: MailSink; stop(): Promise<void> };

/** A back end whose notifications go to a real SMTP sink. */
export async function startRig(extra: Partial<BackendOptions> = {}): Promise<Rig> {
  const sink = await startMailSink();
  // Every test device names noc@example.com: the limits on mail to message addresses are for test/security/mail-relay.test.ts.
  const b = await startTestBackend({ smtpPort: null, relay: { host: '127.0.0.1', port: sink.port }, mailLimits: { perRecipient: 10_000, perSerial: 10_000, perSource: 10_000 }, ...extra });
  return {
    b,
    sink,
    async stop() {
      await b.stop();
      await sink.close();
    },
  };
}

export const notes = async (b: TestBackend): Promise<Note[]> => (await api<{ notifications: Note[] }>(b.url, '/notifications?limit=1000')).body.notifications;

/** Waits until every recorded notification has settled (mailed, failed, or recorded without recipients). */
export async function settled(b: TestBackend): Promise<Note[]> {
  const all = await notes(b);
  await waitFor(async () => b.events.filter((e) => e.type === 'notification.sent').length, (k) => k >= all.length, 10_000, 'notifications to settle');
  return all;
}

/** The mails the sink received for one address. */
export const mailsTo = (sink: MailSink, address: string): SunkMail[] => sink.mails.filter((m) => m.rcptTo.includes(address));
export const subjectOf = (mail: SunkMail): string => mail.headers.find((h) => h.startsWith('Subject:'))?.slice('Subject: '.length) ?? '';

/** Posts a message and returns it as stored, with its processing results. */
export async function send(b: TestBackend, m: Partial<CallHomeMessage> & { serialNumber: string }): Promise<{ id: number; status: string; results: Results }> {
  const r = await postXml(b.url, renderXml(buildMessage(m)));
  if (r.status !== 200) throw new Error(`post answered ${r.status}: ${JSON.stringify(r.json)}`);
  return (await api<{ id: number; status: string; results: Results }>(b.url, `/messages/${Number(r.json['id'])}`)).body;
}

/**
 * Registers a device: its first message makes it pending, the token from the Pending Registration
 * notification confirms it (registered under `contract` when given, else a trial).
 */
export async function register(b: TestBackend, serial: string, o: { contract?: string; hostname?: string; contactEmail?: string } = {}): Promise<void> {
  if (o.contract) await api(b.url, '/contracts', { method: 'POST', body: { contracts: [{ serial, contractNumber: o.contract }] } });
  // entitlement (S14): without a contract, the serial is in the installed base with a contract to try it under (a trial).
  else await importBackOffice(b.url, trialFixture([serial]));
  await send(b, { serialNumber: serial, hostname: o.hostname ?? 'R1', contactEmail: o.contactEmail ?? 'noc@example.com' });
  const pending = (await notes(b)).find((n) => n.serial === serial && n.kind === 'pending-registration');
  const token = /Security token: (\S+)/.exec(pending?.body ?? '')?.[1] ?? '';
  const r = await api(b.url, `/registrations/${serial}/confirm`, { method: 'POST', body: { token } });
  if (r.status !== 200) throw new Error(`confirm ${serial} answered ${r.status}`);
}

/** An environment failure the shipped rules open a case for (fold key "temperature"). */
export const tempFailure = (serial: string, hostname = 'R1'): Partial<CallHomeMessage> & { serialNumber: string } => ({ serialNumber: serial, hostname, kind: 'environment', subType: 'major', severity: 5, description: 'TEMP_FAILURE: TempHigh inlet 70C' });
export const tempRecovery = (serial: string, hostname = 'R1'): Partial<CallHomeMessage> & { serialNumber: string } => ({ serialNumber: serial, hostname, kind: 'environment', subType: 'recovery', severity: 1, description: 'TEMP_RECOVER: TempOk inlet 30C' });
