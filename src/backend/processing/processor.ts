/**
 * Message processing (spec §3.2–§3.6): store, registration check, type-specific handling, rules,
 * cases and notifications. Runs inside the caller's transaction; effects are published after commit.
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { MessageSummary, RegistrationState } from '../../events/protocol.js';
import { assertNever } from '../../util/assert-never.js';
import { isAnonymous } from '../store/queries.js';
import type { CaseRecord, Device, MessageFlag, MessageStatus, NewMessage, ProcessingResults } from '../store/types.js';
import type { TxContext } from './context.js';
import { notify, recipientsFor } from './notify.js';
import { reevaluate, startPending } from './registration.js';
import { matchRule, type Rule } from './rules.js';
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
export async function ingestMessage(txCtx: TxContext, input: NewMessage): Promise<IngestOutcome> {
  const ctx: TxContext = { ...txCtx, source: input.remote };
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

  const device = await ctx.store.getDevice(m.serialNumber);
  const reg = await ctx.store.getRegistration(m.serialNumber);
  const settled = device !== null && reg !== null && CONFIRMED.has(reg.state);
  const claimed = settled ? identityDifferences(device, m) : [];
  // A confirmed device keeps its identity; only what a message may change (software, model, last seen) is taken.
  const kept = settled ? { ...m, ...Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, device[f]])) } : m;
  await ctx.store.upsertDevice(kept, input.receivedAt);
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
  await processStored(ctx, stored.id, kept, current?.state ?? reg.state);
  return { kind: 'stored', message: stored };
}

/** Processes every message a device sent while pending (S18). */
export async function processPending(ctx: TxContext, serial: string): Promise<number> {
  const reg = await ctx.store.getRegistration(serial);
  if (!reg) return 0;
  const pending = await ctx.store.messagesByStatus(serial, 'pending-registration');
  for (const p of pending) await processStored({ ...ctx, source: p.remote }, p.id, { ...p.fields, attachments: p.attachments }, reg.state);
  return pending.length;
}

/** Type-specific processing of one stored message for a confirmed device. */
export async function processStored(ctx: TxContext, id: number, m: CallHomeMessage, state: RegistrationState): Promise<void> {
  const done = (status: MessageStatus, results: ProcessingResults): Promise<void> => ctx.store.setMessageStatus(id, status, results);
  const at = ctx.now().toISOString();
  if (!processingAllowed(state, workFor(m.kind))) return done('not-entitled', { note: notProcessedNote(state) });
  switch (m.kind) {
    case 'inventory':
      await ctx.store.setDeviceInventory(m.serialNumber, at, { cards: m.cards, attachments: m.attachments });
      return done('processed', { note: 'inventory record updated' });
    case 'configuration': {
      const config = m.attachments.find((a) => /running-config/.test(a.name)) ?? m.attachments[0];
      await ctx.store.setDeviceConfiguration(m.serialNumber, at, config?.data ?? '');
      return done('processed', { note: 'configuration record updated' });
    }
    case 'test': {
      const n = await notify(ctx, { kind: 'test', serial: m.serialNumber, hostname: m.hostname, reason: 'Test message received', to: await recipientsFor(ctx, m.serialNumber, m), message: m });
      return done('processed', { notifiedTo: n.to });
    }
    case 'diagnostic':
    case 'environment':
    case 'syslog':
    case 'crash':
    case 'snapshot':
      if (m.kind === 'syslog' && (await isRepeatedSyslog(ctx, id, m))) return done('processed', { rules: [], caseAction: 'none', note: `identical syslog message within ${SYSLOG_DEDUP_SECONDS} s: collapsed` });
      return done('processed', await applyRule(ctx, id, m, matchRule(ctx.rules, m)));
    case 'request':
    case 'send-cli':
      return done('processed', { note: m.serviceRequest ? `attached to case ${m.serviceRequest}` : 'stored' });
    default:
      return assertNever(m.kind, 'message kind');
  }
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
  const at = ctx.now().toISOString();
  const foldKey = rule.fold ?? rule.name;
  switch (rule.outcome) {
    case 'none':
      return { ...base, caseAction: 'none' };
    case 'notify': {
      const n = await notify(ctx, { kind: m.kind, serial: m.serialNumber, hostname: m.hostname, reason: `${m.kind} alert: ${m.eventName}`, to: await recipientsFor(ctx, m.serialNumber, m), message: m, extra: rule.recommendation ? [`Recommendation: ${rule.recommendation}`] : [] });
      return { ...base, caseAction: 'none', notifiedTo: n.to };
    }
    case 'case': {
      const open = await ctx.store.findOpenCase(m.serialNumber, foldKey);
      const entry = { at, messageId: id, note: `${m.eventName}: ${m.description}` };
      let c: CaseRecord;
      let action: 'created' | 'updated';
      if (open) {
        // S47: a repeat failure folds into the open case.
        c = { ...open, status: 'updated', updatedAt: at, history: [...open.history, entry], attachments: [...open.attachments, ...m.attachments] };
        await ctx.store.updateCase(c);
        ctx.emit({ type: 'case.updated', case: caseSummary(c) });
        action = 'updated';
      } else {
        c = await ctx.store.insertCase({ serial: m.serialNumber, hostname: m.hostname, status: 'open', priority: rule.priority, title: `${m.eventName} on ${m.hostname || m.serialNumber}`, rule: rule.name, foldKey, openedAt: at, updatedAt: at, recommendation: rule.recommendation, history: [entry], attachments: m.attachments });
        ctx.emit({ type: 'case.opened', case: caseSummary(c) });
        action = 'created';
      }
      const n = await notify(ctx, { kind: `case-${action}`, serial: m.serialNumber, hostname: m.hostname, reason: `Service request ${c.number} ${action}`, to: await recipientsFor(ctx, m.serialNumber, m), message: m, caseNumber: c.number, extra: rule.recommendation ? [`Recommendation: ${rule.recommendation}`] : [] });
      return { ...base, caseNumber: c.number, caseAction: action, notifiedTo: n.to };
    }
    case 'recover': {
      const open = await ctx.store.findOpenCase(m.serialNumber, foldKey);
      if (!open) return { ...base, caseAction: 'none', note: 'recovery with no open case' };
      const c: CaseRecord = { ...open, status: 'updated', updatedAt: at, history: [...open.history, { at, messageId: id, note: `recovery: ${m.eventName}: ${m.description}` }] };
      await ctx.store.updateCase(c);
      ctx.emit({ type: 'case.updated', case: caseSummary(c) });
      const n = await notify(ctx, { kind: 'case-updated', serial: m.serialNumber, hostname: m.hostname, reason: `Service request ${c.number} updated (recovery)`, to: await recipientsFor(ctx, m.serialNumber, m), message: m, caseNumber: c.number });
      return { ...base, caseNumber: c.number, caseAction: 'updated', notifiedTo: n.to };
    }
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

function caseSummary(c: CaseRecord) {
  return { id: c.id, number: c.number, serial: c.serial, hostname: c.hostname, status: c.status, priority: c.priority, title: c.title, openedAt: c.openedAt, updatedAt: c.updatedAt };
}
