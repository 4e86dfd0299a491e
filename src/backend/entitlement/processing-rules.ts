/**
 * What each registration state lets the back end do with a stored message (spec §2.5, S19, S20).
 * Every message is stored whatever the state; this says what happens next.
 */
import type { MessageKind } from '../../domain/callhome.js';
import type { RegistrationState } from '../../events/protocol.js';
import { assertNever } from '../../util/assert-never.js';

/**
 * Kinds of work: the inventory and configuration records (S36, S37); rule analysis of diagnostic,
 * environment, syslog, crash and snapshot messages (with its cases and result mails); test messages;
 * `call-home request` replies; service requests; optional notifications (N2–N8, N19).
 */
export type ProcessingWork = 'inventory' | 'configuration' | 'analysis' | 'test' | 'request' | 'service-request' | 'notification';

/**
 * True when a device in `state` gets `work` done. Pending: nothing until registration (then the stored
 * messages are processed, S18). Registered and trial: everything. Expired: only inventory and
 * configuration — no analysis, no test processing, no SR, no optional mail (only the mandatory
 * registration mails, which are not message processing). Anonymous and deleted: nothing.
 */
export function processingAllowed(state: RegistrationState, work: ProcessingWork): boolean {
  switch (state) {
    case 'registered':
    case 'trial':
      return true;
    case 'expired':
      return work === 'inventory' || work === 'configuration';
    case 'pending':
    case 'anonymous':
    case 'deleted':
      return false;
    default:
      return assertNever(state, 'registration state');
  }
}

/** The work a message of this kind asks for. */
export function workFor(kind: MessageKind): ProcessingWork {
  switch (kind) {
    case 'inventory':
      return 'inventory';
    case 'configuration':
      return 'configuration';
    case 'test':
      return 'test';
    case 'request':
    case 'send-cli':
      return 'request';
    case 'diagnostic':
    case 'environment':
    case 'syslog':
    case 'crash':
    case 'snapshot':
      return 'analysis';
    default:
      return assertNever(kind, 'message kind');
  }
}

/** Why a message was stored but not processed, for its processing results. */
export function notProcessedNote(state: RegistrationState): string {
  return state === 'expired' ? 'device not entitled: only inventory and configuration are processed' : `device ${state}: stored, not processed`;
}
