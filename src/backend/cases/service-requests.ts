/**
 * Automatic service requests (§3.6, S50–S55): whether an SR may be created for a device, the failure
 * mail for each cause (S53), creation / fold / recovery from the rules, and the lifecycle an operator
 * drives through the API (update, resolve, close) with its history. Every SR change is mailed (N12),
 * whatever the device's notification toggle, and published as `case.opened|updated|closed`.
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { CaseSummary } from '../../events/protocol.js';
import { err, ok, type Result } from '../../util/result.js';
import { send, sentTo, type Sent } from '../notifications/send.js';
import type { TxContext } from '../processing/context.js';
import { isSingleAddress } from '../processing/notify.js';
import type { Rule } from '../processing/rules.js';
import type { CaseRecord, ProcessingResults, StoreQueries } from '../store/types.js';
import { accountsSrContacts, CONTACT_CONTRACT_WARNING_DAYS, SR_REFUSAL_TEXT, type SrContactStanding, type SrRefusal } from './sr-contact.js';

const DAY_MS = 86_400_000;

export type SrDecision = { readonly ok: true; readonly contact: SrContactStanding } | { readonly ok: false; readonly refusal: SrRefusal; readonly contact: string | null };

/**
 * §3.6: the device is registered or on trial with a valid contract, its SR preference is on, and its
 * SR contact is an administrator with Case Management permissions and a valid contract; and the
 * tracker answers. The SR contact is the preference's, else the registrant; with no user directory
 * configured, the device's contact stands in (there is nobody else to ask).
 */
export async function srDecision(ctx: TxContext, serial: string): Promise<SrDecision> {
  const prefs = await ctx.store.getPreferences(serial);
  const device = await ctx.store.getDevice(serial);
  const chosen = prefs.srContact ?? prefs.registrant;
  // Until someone is chosen, the device's contact stands in — unless the operator configured a strict directory.
  const contactId = chosen ?? (ctx.srContacts ? null : device?.contactEmail || null);
  const refuse = (refusal: SrRefusal): SrDecision => ({ ok: false, refusal, contact: contactId && isSingleAddress(contactId) ? contactId : null });
  if (!prefs.serviceRequests) return refuse('preference-off');
  const reg = await ctx.store.getRegistration(serial);
  const contract = await ctx.store.getContract(serial);
  const now = ctx.now().getTime();
  if (!reg || (reg.state !== 'registered' && reg.state !== 'trial')) return refuse('not-entitled');
  if (reg.state === 'registered' && contract?.expiresAt && Date.parse(contract.expiresAt) < now) return refuse('not-entitled');
  if (!contactId) return refuse('no-contact');
  let contact: SrContactStanding | null;
  if (chosen === null && !ctx.srContacts) contact = isSingleAddress(contactId) ? { email: contactId, admin: true, caseManagement: true, contractExpiresAt: null } : null;
  else contact = await (ctx.srContacts ?? accountsSrContacts)(contactId, serial, ctx.store);
  if (!contact) return refuse('no-contact');
  if (!contact.admin) return { ok: false, refusal: 'contact-lost-permission', contact: contact.email };
  if (!contact.caseManagement) return { ok: false, refusal: 'no-permission', contact: contact.email };
  if (contact.contractExpiresAt && Date.parse(contact.contractExpiresAt) < now) return { ok: false, refusal: 'contact-contract-expired', contact: contact.email };
  if (ctx.srTracker && !ctx.srTracker.available()) return { ok: false, refusal: 'tracker-unavailable', contact: contact.email };
  return { ok: true, contact };
}

/** The summary form of a case (events, lists). */
export function caseSummary(c: CaseRecord): CaseSummary {
  return { id: c.id, number: c.number, serial: c.serial, hostname: c.hostname, status: c.status, priority: c.priority, title: c.title, openedAt: c.openedAt, updatedAt: c.updatedAt };
}

/** The mail for an SR that could not be created (S53), one kind per cause; `preference-off` mails nobody. */
export async function srRefused(ctx: TxContext, m: CallHomeMessage, refusal: SrRefusal, contact: string | null, rule: Rule | null): Promise<readonly string[]> {
  const extra = [`Service request not created: ${SR_REFUSAL_TEXT[refusal]}.`, ...(rule?.recommendation ? [`Recommendation: ${rule.recommendation}`] : [])];
  const base = { serial: m.serialNumber, message: m, extra, srContact: contact };
  switch (refusal) {
    case 'preference-off':
      return [];
    case 'not-entitled':
      return sentTo(await send(ctx, 'sr-not-entitled', { ...base, reason: `SR not created for ${m.eventName || m.kind}: device not entitled` }));
    case 'no-contact':
    case 'no-permission':
      return sentTo(await send(ctx, 'sr-no-permission', { ...base, reason: `SR not created for ${m.eventName || m.kind}: ${refusal === 'no-contact' ? 'no valid SR contact' : 'missing case-management permissions'}` }));
    case 'contact-lost-permission':
      return sentTo(await send(ctx, 'sr-contact-permission-lost', { ...base, reason: `SR not created for ${m.eventName || m.kind}: the contact for SR no longer has permission` }));
    case 'contact-contract-expired':
      return sentTo(await send(ctx, 'sr-contact-contract-expired', { ...base, reason: `SR not created for ${m.eventName || m.kind}: the contract in the SR contact's profile has expired` }));
    case 'tracker-unavailable':
      return sentTo(await send(ctx, 'case-failed', { ...base, reason: `SR creation failed for ${m.eventName || m.kind}: back-end failure`, extra: [...extra, ...(ctx.srTracker?.reason() ? [`Tracker: ${ctx.srTracker.reason()}`] : [])] }));
  }
}

/** The optional analysis mail of a rule that wanted an SR but could not have one (N4/N5), or of a `notify` rule. */
export async function analysisMail(ctx: TxContext, m: CallHomeMessage, rule: Rule, note?: string): Promise<readonly string[]> {
  const kind = m.kind === 'environment' || m.kind === 'diagnostic' || m.kind === 'syslog' || m.kind === 'crash' || m.kind === 'snapshot' ? m.kind : 'diagnostic';
  const extra = [...(rule.recommendation ? [`Recommendation: ${rule.recommendation}`] : []), ...(note ? [note] : [])];
  return sentTo(await send(ctx, kind, { serial: m.serialNumber, message: m, reason: `${m.kind} alert: ${m.eventName}`, extra }));
}

/**
 * A `case` rule matched: fold into the open case with the same key (S47, S52), or create one if §3.6
 * allows (S50), else mail why not (S53). The message's CLI output is attached (S51).
 */
export async function openOrFold(ctx: TxContext, id: number, m: CallHomeMessage, rule: Rule, foldKey: string, base: ProcessingResults): Promise<ProcessingResults> {
  const at = ctx.now().toISOString();
  const entry = { at, messageId: id, note: `${m.eventName}: ${m.description}` };
  const extra = rule.recommendation ? [`Recommendation: ${rule.recommendation}`] : [];
  const open = await ctx.store.findOpenCase(m.serialNumber, foldKey);
  if (open) {
    const c: CaseRecord = { ...open, status: 'updated', updatedAt: at, history: [...open.history, entry], attachments: [...open.attachments, ...m.attachments] };
    await ctx.store.updateCase(c);
    ctx.emit({ type: 'case.updated', case: caseSummary(c) });
    const n = await caseChanged(ctx, c, 'updated', { message: m, extra });
    return { ...base, caseNumber: c.number, caseAction: 'updated', notifiedTo: sentTo(n) };
  }
  const decision = await srDecision(ctx, m.serialNumber);
  if (!decision.ok) {
    const notified = decision.refusal === 'preference-off' ? await analysisMail(ctx, m, rule, `No service request: ${SR_REFUSAL_TEXT['preference-off']}.`) : await srRefused(ctx, m, decision.refusal, decision.contact, rule);
    return { ...base, caseAction: 'none', srFailure: decision.refusal, note: `service request not created: ${SR_REFUSAL_TEXT[decision.refusal]}`, notifiedTo: notified };
  }
  const contact = decision.contact;
  const c = await ctx.store.insertCase({ serial: m.serialNumber, hostname: m.hostname, status: 'open', priority: rule.priority, title: `${m.eventName} on ${m.hostname || m.serialNumber}`, rule: rule.name, foldKey, openedAt: at, updatedAt: at, recommendation: rule.recommendation, history: [{ ...entry, note: `opened for SR contact ${contact.email}: ${entry.note}` }], attachments: m.attachments });
  ctx.emit({ type: 'case.opened', case: caseSummary(c) });
  const n = await send(ctx, 'case-created', { serial: m.serialNumber, message: m, reason: `Service request ${c.number} created`, caseNumber: c.number, extra, srContact: contact.email });
  const notified = [...sentTo(n)];
  // N18: the SR went through, but the contract in the SR contact's profile ends soon.
  if (contact.contractExpiresAt && Date.parse(contact.contractExpiresAt) - ctx.now().getTime() < CONTACT_CONTRACT_WARNING_DAYS * DAY_MS) {
    notified.push(...sentTo(await send(ctx, 'sr-contact-contract-expiring', { serial: m.serialNumber, reason: `The contract in your CCO profile ends ${contact.contractExpiresAt.slice(0, 10)}; SRs for this device need a valid one`, srContact: contact.email, caseNumber: c.number })));
  }
  return { ...base, caseNumber: c.number, caseAction: 'created', notifiedTo: [...new Set(notified)] };
}

/** N12: the one mail for every change of a case (a fold, a recovery, an operator's change or close). */
function caseChanged(ctx: TxContext, c: CaseRecord, what: string, more: { readonly message?: CallHomeMessage; readonly extra?: readonly string[] }): Promise<Sent> {
  return send(ctx, c.status === 'closed' ? 'case-closed' : 'case-updated', { serial: c.serial, hostname: more.message?.hostname ?? c.hostname, message: more.message, reason: `Service request ${c.number} ${what}`, caseNumber: c.number, extra: more.extra ?? [] });
}

/** A `recover` rule matched: the open case with the same key is updated (S52). */
export async function recover(ctx: TxContext, id: number, m: CallHomeMessage, foldKey: string, base: ProcessingResults): Promise<ProcessingResults> {
  const open = await ctx.store.findOpenCase(m.serialNumber, foldKey);
  if (!open) return { ...base, caseAction: 'none', note: 'recovery with no open case' };
  const at = ctx.now().toISOString();
  const c: CaseRecord = { ...open, status: 'updated', updatedAt: at, history: [...open.history, { at, messageId: id, note: `recovery: ${m.eventName}: ${m.description}` }] };
  await ctx.store.updateCase(c);
  ctx.emit({ type: 'case.updated', case: caseSummary(c) });
  const n = await caseChanged(ctx, c, 'updated (recovery)', { message: m });
  return { ...base, caseNumber: c.number, caseAction: 'updated', notifiedTo: sentTo(n) };
}

/** What an operator does to a case (S55): add a note, mark it resolved or open again, change priority, or close it. */
export type CaseChange =
  | { readonly action: 'update'; readonly note: string; readonly status?: 'resolved' | 'open' | undefined; readonly priority?: number | undefined; readonly by?: string | undefined }
  | { readonly action: 'close'; readonly note: string; readonly by?: string | undefined };

export type CaseChangeFailure = { readonly kind: 'not-found' | 'closed'; readonly message: string };

/** Finds a case by its SR number or its id. */
export async function findCase(ctx: { readonly store: StoreQueries }, key: string): Promise<CaseRecord | null> {
  return /^\d{1,6}$/.test(key) ? ctx.store.getCase(Number(key)) : ctx.store.getCaseByNumber(key);
}

/** Applies an operator's change: history entry, event, and the N12 mail to the device list and SR contact. */
export async function changeCase(ctx: TxContext, key: string, change: CaseChange): Promise<Result<CaseRecord, CaseChangeFailure>> {
  const found = await findCase(ctx, key);
  if (!found) return err({ kind: 'not-found', message: `Case ${key} does not exist.` });
  if (found.status === 'closed') return err({ kind: 'closed', message: `Case ${found.number} is closed; a closed case takes no more changes (a new failure opens a new case).` });
  const at = ctx.now().toISOString();
  const who = change.by ? ` by ${change.by}` : '';
  let c: CaseRecord;
  if (change.action === 'close') {
    c = { ...found, status: 'closed', updatedAt: at, history: [...found.history, { at, messageId: null, note: `closed${who}: ${change.note}` }] };
  } else {
    const status = change.status === 'resolved' ? 'resolved' : 'updated';
    const what = [change.status === 'resolved' ? 'resolved' : change.status === 'open' ? 'reopened' : 'updated', ...(change.priority !== undefined && change.priority !== found.priority ? [`priority P${found.priority} -> P${change.priority}`] : [])].join(', ');
    c = { ...found, status, priority: change.priority ?? found.priority, updatedAt: at, history: [...found.history, { at, messageId: null, note: `${what}${who}: ${change.note}` }] };
  }
  await ctx.store.updateCase(c);
  ctx.emit({ type: change.action === 'close' ? 'case.closed' : 'case.updated', case: caseSummary(c) });
  await caseChanged(ctx, c, `${c.status}${who}`, { extra: [`Note: ${change.note}`] });
  return ok(c);
}
