/**
 * Who may see each stream event (issue 15): one exhaustive switch over the event types, so a new type
 * does not compile until it says whose it is. Company data goes to that company's users; audit entries to
 * its Administrators; service-wide refusals only to SCH administrators; listener status to everyone.
 */
import type { BackendEvent, BackendEventInput } from '../../events/protocol.js';
import { assertNever } from '../../util/assert-never.js';
import type { Caller } from './model.js';

/** The device serial an event is about, if any (its company is stamped on the event when written). */
export function eventSerial(e: BackendEventInput | BackendEvent): string | null {
  switch (e.type) {
    case 'message.received':
      return e.message.serial || null;
    case 'registration.changed':
    case 'device.identity-claimed':
      return e.serial;
    case 'notification.sent':
      return e.notification.serial;
    case 'case.opened':
    case 'case.updated':
    case 'case.closed':
      return e.case.serial;
    case 'message.processed':
      return e.serial;
    case 'message.rejected':
    case 'listener.status':
    case 'audit':
    case 'mailserver.status':
    case 'gateway.registered':
    case 'gateway.deleted':
    case 'gateway.status':
      return null;
    default:
      return assertNever(e, 'event type');
  }
}

/** The event with the company of its device (from `companies`, serial → company), or the audit entry's. */
export function withCompany(e: BackendEvent, companies: ReadonlyMap<string, string>): BackendEvent {
  if (e.type === 'audit') return { ...e, company: e.entry.company };
  // gateway: a gateway's events are its company's.
  if (e.type === 'gateway.registered' || e.type === 'gateway.deleted' || e.type === 'gateway.status') return { ...e, company: e.gateway.company };
  const serial = eventSerial(e);
  return { ...e, company: serial === null ? null : (companies.get(serial) ?? null) };
}

/** Who an event is for. */
export type Audience = { readonly kind: 'everyone' } | { readonly kind: 'sch-admin' } | { readonly kind: 'company'; readonly company: string | null; readonly administratorsOnly: boolean };

export function audienceOf(e: BackendEvent): Audience {
  switch (e.type) {
    case 'message.received':
    case 'registration.changed':
    case 'device.identity-claimed':
    case 'notification.sent':
    case 'case.opened':
    case 'case.updated':
    case 'case.closed':
    case 'message.processed':
      return { kind: 'company', company: e.company ?? null, administratorsOnly: false };
    case 'audit':
      return { kind: 'company', company: e.entry.company, administratorsOnly: true };
    case 'gateway.registered':
    case 'gateway.deleted':
    case 'gateway.status':
      // Gateways are managed by their company's Administrators (S66).
      return { kind: 'company', company: e.gateway.company, administratorsOnly: true };
    case 'message.rejected':
      // The sender's address and what it sent: the operator's business, not a customer's.
      return { kind: 'sch-admin' };
    // sr-notify: the notification relay is the operator's.
    case 'mailserver.status':
      return { kind: 'sch-admin' };
    case 'listener.status':
      return { kind: 'everyone' };
    default:
      return assertNever(e, 'event type');
  }
}

/** True when the caller may receive the event. An event of no company is for SCH administrators only. */
export function visibleTo(e: BackendEvent, caller: Caller): boolean {
  if (caller.schAdmin) return true;
  if (caller.agreementPending) return false;
  const a = audienceOf(e);
  switch (a.kind) {
    case 'everyone':
      return true;
    case 'sch-admin':
      return false;
    case 'company': {
      if (a.company === null) return false;
      const role = caller.roles.get(a.company);
      return role !== undefined && (!a.administratorsOnly || role === 'administrator');
    }
    default:
      return assertNever(a, 'audience');
  }
}
