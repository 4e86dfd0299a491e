/**
 * Message processing (spec §3.2–§3.6): store, registration check, type-specific handling, rules,
 * cases and notifications. Runs inside the caller's transaction; effects are published after commit.
 */
import type { MessageFormat } from '../../domain/callhome.js';
import type { CallHomeMessage } from '../../domain/message.js';
import type { MessageSummary, RegistrationState } from '../../events/protocol.js';
import { assertNever } from '../../util/assert-never.js';
import type { Result } from '../../util/result.js';
import { isAnonymous } from '../store/queries.js';
import type { CaseRecord, Device, MessageFlag, MessageStatus, NewMessage, ProcessingResults } from '../store/types.js';
import type { TxContext } from './context.js';
import { mapConfiguration } from './configuration.js';
import { eventTimeMs, mapInventory } from './inventory.js';
import { raiseTrigger, supportAlert } from './processing-notices.js';
// sr-notify: service requests (S50-S55) and catalogued notifications (S57-S60).
import { analysisMail, caseSummary, openOrFold, recover, srRefused } from '../cases/service-requests.js';
import { rememberReplyTo } from '../notifications/recipients.js';
import { reevaluate, startPending } from './registration.js';
import { answerRequest, requestKindOf, REQUEST_KINDS } from './requests.js';
import { foldKeyOf, matchRule, type Rule } from './rules.js';
import { notProcessedNote, processingAllowed, workFor } from '../entitlement/processing-rules.js';

/** What happened to one ingested message. */
export type IngestOutcome =
  | { readonly kind: 'stored'; readonly message: MessageSummary }
  | { readonly kind: 'duplicate'; readonly serial: string; readonly messageId: string };

/** Registration states in which a device's identity is settled: a message no longer changes it. */
const CONFIRMED: ReadonlySet<RegistrationState> = new Set(['registered', 'trial', 'expired']);

/** The fields that say who a device is and who hears about it: a message only claims them (issue 11). */
export const IDENTITY_FIELDS = ['hostname', 'contactEmail', 'phoneNumber', 'streetAddress', 'customerId', 'siteId', 'contractId'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/** The identity fields where the message claims something else than the device record holds. */
export function identityDifferences(device: Pick<Device, IdentityField>, m: Pick<CallHomeMessage, IdentityField>): IdentityField[] {
  return IDENTITY_FIELDS.filter((f) => m[f] !== '' && m[f] !== device[f]);
}

/**
 * Stores one message and processes it as its device's registration allows. Serials and message IDs
 * are the sender's choice, so (issue 11): a resend is a duplicate only with the same ID and content;
 * a message naming a confirmed device does not change its identity (the claim is flagged and shown);
 * a case is attached to only by its own device.
 */
export async function ingestMessage(txCtx: TxContext, received: NewMessage): Promise<IngestOutcome> {
  const ctx: TxContext = { ...txCtx, source: received.remote };
  // Short text names no alert group (S4): it is recorded as the log line it is, never as a diagnostic.
  const input: NewMessage = received.format === 'short-text' && received.message.kind !== 'syslog' ? { ...received, message: { ...received.message, kind: 'syslog' } } : received;
  const m = input.message;
  const flags = new Set<MessageFlag>(input.flags ?? []);
  const unattributed = flags.has('unattributed');
  const anonymous = !unattributed && isAnonymous(m);
  const stored = await ctx.store.insertMessage(input, anonymous || unattributed ? 'stored-only' : 'pending-registration');
  if (!stored) return { kind: 'duplicate', serial: m.serialNumber, messageId: m.messageId };
  if (await ctx.store.messageIdTaken(m.serialNumber, m.messageId, stored.id)) flags.add('message-id-reused');
  if (unattributed) {
    await ctx.store.flagMessage(stored.id, [...flags]);
    ctx.emit({ type: 'message.received', message: stored });
    return { kind: 'stored', message: stored };
  }

  const device = await ctx.store.getDeviceIdentity(m.serialNumber);
  const reg = await ctx.store.getRegistration(m.serialNumber);
  const settled = device !== null && reg !== null && CONFIRMED.has(reg.state);
  const claimed = settled ? identityDifferences(device, m) : [];
  // A confirmed device keeps its identity; only what a message may change (software, model, last seen) is taken.
  const kept = settled ? { ...m, ...Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, device[f]])) } : m;
  await ctx.store.upsertDevice(kept, input.receivedAt);
  // S57: the reply-to of a mail from a device not yet confirmed is where its notifications go.
  if (!settled && m.replyTo) await rememberReplyTo(ctx, m.serialNumber, m.replyTo);
  if (claimed.length > 0) flags.add('identity-claim');
  if (flags.size > 0) await ctx.store.flagMessage(stored.id, [...flags]);
  ctx.emit({ type: 'message.received', message: stored });
  if (claimed.length > 0) ctx.emit({ type: 'device.identity-claimed', serial: m.serialNumber, messageId: stored.id, fields: claimed });
  if (anonymous) return { kind: 'stored', message: stored };

  // S49: output sent to a service request is attached to that case, if it comes from the case's device.
  if (m.serviceRequest && (await attachToCase(ctx, m.serviceRequest, stored.id, m, claimed.length === 0)) === 'not-owned') await ctx.store.flagMessage(stored.id, ['case-not-owned']);

  if (!reg || reg.state === 'deleted') {
    await startPending(ctx, m, reg);
    return { kind: 'stored', message: stored };
  }
  if (reg.state === 'pending') return { kind: 'stored', message: stored };
  const current = await reevaluate(ctx, m.serialNumber);
  await processStored(ctx, stored.id, kept, current?.state ?? reg.state, input.format, m);
  return { kind: 'stored', message: stored };
}

/** Processes every message a device sent while pending (S18). */
export async function processPending(ctx: TxContext, serial: string): Promise<number> {
  const reg = await ctx.store.getRegistration(serial);
  if (!reg) return 0;
  const pending = await ctx.store.messagesByStatus(serial, 'pending-registration');
  for (const p of pending) await processStored({ ...ctx, source: p.remote }, p.id, { ...p.fields, attachments: p.attachments }, reg.state, p.format);
  return pending.length;
}

/**
 * Per-state processing rules (S19, S20): whether a confirmed device's message of this kind is processed
 * in this registration state. The one place processStored asks; the entitlement rules plug in here.
 */
export function processedInState(state: RegistrationState, m: Pick<CallHomeMessage, 'kind'>): { readonly process: true } | { readonly process: false; readonly note: string } {
  // entitlement: the per-state rules of S19/S20 live in entitlement/processing-rules.ts.
  return processingAllowed(state, workFor(m.kind)) ? { process: true } : { process: false, note: notProcessedNote(state) };
}

/** The header fields processing needs, per message kind (S33). The device does not send without a contact e-mail (§1.5). */
export function missingData(m: CallHomeMessage): string[] {
  const missing: string[] = [];
  if (m.messageId.trim() === '') missing.push('message ID (aml-session:MessageId)');
  if (m.eventTime.trim() === '') missing.push('event time (ch:EventTime)');
  if (m.contactEmail.trim() === '') missing.push('contact e-mail (ch:ContactEmail)');
  if ((m.kind === 'inventory' || m.kind === 'configuration') && m.model.trim() === '') missing.push('chassis model (rme:Model)');
  if (m.kind === 'request' && requestKindOf(m) === 'output-analysis' && m.attachments.length === 0) missing.push('the command output to analyse');
  return missing;
}

/** Sub-types the service processes (S5): inventory and configuration Full only; Delta is stored. */
function isDelta(m: CallHomeMessage): boolean {
  return (m.kind === 'inventory' || m.kind === 'configuration') && m.subType.trim().toLowerCase() === 'delta';
}

/**
 * Type-specific processing of one stored message for a confirmed device (§3.2 steps 2–10): the format
 * and sub-type checks (S4, S5), the per-state rules (S19, S20), the required-data check (S33), then
 * mapping (S36, S37, failures S34), rules, request replies (S48). `m` is the message as processed (a
 * confirmed device's identity fields are the record's); `received` is what the device sent.
 */
export async function processStored(ctx: TxContext, id: number, m: CallHomeMessage, state: RegistrationState, format: MessageFormat = 'xml', received: CallHomeMessage = m): Promise<void> {
  const done = async (status: MessageStatus, results: ProcessingResults): Promise<void> => {
    await ctx.store.setMessageStatus(id, status, results);
    // S94: one message.processed per processed message, with what it caused.
    ctx.emit({ type: 'message.processed', id, serial: m.serialNumber, status, caseNumber: results.caseNumber ?? null, caseAction: results.caseAction ?? 'none', srFailure: results.srFailure ?? null, notifiedTo: [...(results.notifiedTo ?? [])] });
  };
  const at = ctx.now().toISOString();
  // Command output sent to a case (S49) is attached at ingest, whatever its format (IOS mails it as long text).
  if (m.kind === 'send-cli') return done('processed', { note: m.serviceRequest ? `attached to case ${m.serviceRequest}` : 'stored' });
  if (format !== 'xml') {
    const n = await raiseTrigger(ctx, 'N7', m, { lines: [`Format: ${format}. Smart Call Home analyses XML messages only: the message is stored but not analysed. Set "message-format xml" on the destination profile.`] });
    return done('unsupported', { rules: [], caseAction: 'none', notifiedTo: n.to, note: `${format} message: stored, not analysed (only XML is supported)` });
  }
  if (isDelta(m)) return done('stored-only', { rules: [], caseAction: 'none', note: `${m.kind} delta: stored; only full ${m.kind} messages update the device record` });
  const requestKind = m.kind === 'request' ? requestKindOf(m) : null;
  if (m.kind === 'request' && requestKind === null) {
    const n = await raiseTrigger(ctx, 'N7', m, { lines: [`Request "${m.subType || m.description}" is not one the service answers (${REQUEST_KINDS.join(', ')}).`] });
    return done('unsupported', { rules: [], caseAction: 'none', notifiedTo: n.to, note: 'unsupported request type' });
  }
  const allowed = processedInState(state, m);
  if (!allowed.process) {
    // S53 / N21: a failure that would have opened an SR is told to the customer.
    const rule = state === 'expired' ? matchRule(ctx.rules, m) : null;
    const refused = rule?.outcome === 'case' && !(await ctx.store.findOpenCase(m.serialNumber, foldKeyOf(rule, m)));
    return done('not-entitled', refused ? { note: allowed.note, srFailure: 'not-entitled', notifiedTo: await srRefused(ctx, m, 'not-entitled', null, rule) } : { note: allowed.note });
  }
  // What the message itself carried (a confirmed device's record fills in identity fields it left empty).
  const missing = missingData(received);
  if (missing.length > 0) {
    // S33: halt; the customer and SCH Support hear of it.
    const n = await raiseTrigger(ctx, 'N8', m, { lines: ['Missing:', ...missing.map((f) => `- ${f}`), 'No customer action is needed: SCH Support has been notified.'] });
    await supportAlert(ctx, m, id, 'message missing information', missing.map((f) => `Missing: ${f}`));
    return done('missing-data', { rules: [], caseAction: 'none', notifiedTo: n.to, missing, note: 'processing halted: required data missing' });
  }
  switch (m.kind) {
    case 'inventory':
    case 'configuration':
      return done(...(await mapDeviceRecord(ctx, id, m, at)));
    case 'test': {
      return done('processed', { notifiedTo: (await raiseTrigger(ctx, 'N6', m, { lines: [] })).to });
    }
    case 'diagnostic':
    case 'environment':
    case 'syslog':
    case 'crash':
    case 'snapshot':
      if (m.kind === 'syslog' && (await isRepeatedSyslog(ctx, id, m))) return done('processed', { rules: [], caseAction: 'none', note: `identical syslog message within ${SYSLOG_DEDUP_SECONDS} s: collapsed` });
      return done('processed', await applyRule(ctx, id, m, matchRule(ctx.rules, m)));
    case 'request':
      return done('processed', await answerRequest(ctx, m, requestKind ?? 'registration-info'));
    default:
      return assertNever(m.kind, 'message kind');
  }
}

/**
 * Inventory / configuration mapping (S36, S37): the record replaces the device's when the message is not
 * older (device time) than the one it was mapped from — latest wins. A mapping failure (S34) keeps the
 * message without results, leaves the record as it was, and tells the customer and SCH Support.
 */
async function mapDeviceRecord(ctx: TxContext, id: number, m: CallHomeMessage, at: string): Promise<[MessageStatus, ProcessingResults]> {
  const inventory = m.kind === 'inventory';
  const mapped = inventory
    ? withSave(mapInventory(m, at), (r) => ctx.store.setDeviceInventory(m.serialNumber, at, r))
    : withSave(mapConfiguration(m, at), (r) => ctx.store.setDeviceConfiguration(m.serialNumber, at, r));
  if (!mapped.ok) {
    const what = inventory ? 'Inventory Call Home message failed' : 'Configuration message failed';
    const effect = inventory ? 'The Device report may be stale or unavailable.' : 'The configuration details in the Device report are missing or stale.';
    const n = await raiseTrigger(ctx, 'N19', m, { reason: what, lines: ['Could not map:', ...mapped.problems.map((e) => `- ${e}`), `No customer action is needed: SCH Support has been notified. ${effect} The History report shows the message without results.`] });
    await supportAlert(ctx, m, id, `${m.kind} mapping failed`, mapped.problems);
    return ['mapping-error', { caseAction: 'none', notifiedTo: n.to, mappingErrors: mapped.problems }];
  }
  const device = await ctx.store.getDevice(m.serialNumber);
  const current = inventory ? device?.inventory : device?.configuration;
  const newer = eventTimeMs(m.eventTime);
  const held = current ? eventTimeMs(current.eventTime) : null;
  if (newer !== null && held !== null && newer < held) return ['processed', { caseAction: 'none', note: `older than the ${m.kind} on record (${current?.eventTime ?? ''}): not applied` }];
  await mapped.save();
  const n = await raiseTrigger(ctx, inventory ? 'N2' : 'N3', m, { lines: [] });
  return ['processed', { caseAction: 'none', notifiedTo: n.to, note: `${m.kind} record updated` }];
}

/** A mapping result with the write that applies it, or its problems. */
type Mapped = { readonly ok: true; save(): Promise<void> } | { readonly ok: false; readonly problems: readonly string[] };

function withSave<T>(r: Result<T, string[]>, save: (value: T) => Promise<void>): Mapped {
  return r.ok ? { ok: true, save: () => save(r.value) } : { ok: false, problems: r.error };
}

/** Identical syslog events inside this window are stored but not acted on again (S47). */
export const SYSLOG_DEDUP_SECONDS = 60;

/** The syslog line without its device time stamp (`*Nov 23 10:00:00.123: `), which differs between repeats. */
function syslogText(description: string): string {
  const pct = description.indexOf('%');
  return pct >= 0 ? description.slice(pct) : description;
}

async function isRepeatedSyslog(ctx: TxContext, id: number, m: CallHomeMessage): Promise<boolean> {
  const since = new Date(ctx.now().getTime() - SYSLOG_DEDUP_SECONDS * 1000).toISOString();
  const text = syslogText(m.description);
  return (await ctx.store.recentDescriptions(m.serialNumber, 'syslog', m.eventName, since, id)).some((d) => syslogText(d) === text);
}

async function applyRule(ctx: TxContext, id: number, m: CallHomeMessage, rule: Rule | null): Promise<ProcessingResults> {
  if (!rule) return { rules: [], caseAction: 'none' };
  const base = { rules: [rule.name], recommendations: rule.recommendation ? [rule.recommendation] : [] };
  switch (rule.outcome) {
    case 'none':
      return { ...base, caseAction: 'none' };
    case 'notify':
      return { ...base, caseAction: 'none', notifiedTo: await analysisMail(ctx, m, rule) };
    case 'case':
      return openOrFold(ctx, id, m, rule, foldKeyOf(rule, m), base);
    case 'recover':
      return recover(ctx, id, m, foldKeyOf(rule, m), base);
    default:
      return assertNever(rule.outcome, 'rule outcome');
  }
}

/** Attaches a message's command output to the case with that SR number (S49), if that case is the sending device's. */
export async function attachToCase(ctx: TxContext, number: string, messageId: number, m: CallHomeMessage, sameIdentity = true): Promise<'attached' | 'no-case' | 'not-owned'> {
  const open = await ctx.store.getCaseByNumber(number);
  if (!open) return 'no-case';
  // Only the device that owns the case adds to it: the same serial, not claiming another identity.
  if (open.serial !== m.serialNumber || !sameIdentity) return 'not-owned';
  const at = ctx.now().toISOString();
  const c: CaseRecord = { ...open, status: open.status === 'closed' ? 'closed' : 'updated', updatedAt: at, history: [...open.history, { at, messageId, note: `output attached: ${m.attachments.map((a) => a.name).join(', ') || m.description}` }], attachments: [...open.attachments, ...m.attachments] };
  await ctx.store.updateCase(c);
  ctx.emit({ type: 'case.updated', case: caseSummary(c) });
  return 'attached';
}
