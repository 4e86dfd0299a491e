/**
 * The SR contact of a device (§3.6 condition 4): an Administrator of the device's company, with Case
 * Management permissions (query, create and update SRs) and a valid contract in their CCO profile.
 * Who a person is and what they may do lives in the user directory (accounts); the service asks it
 * through this port — by default {@link accountsSrContacts}, over the accounts tables.
 */
import type { StoreQueries } from '../store/types.js';

/** What the directory knows about one SR contact. */
export type SrContactStanding = {
  /** Where the contact's mail goes. */
  readonly email: string;
  /** Administrator of the device's company. */
  readonly admin: boolean;
  /** Case Management permissions (query, create, update SRs). */
  readonly caseManagement: boolean;
  /** When the contract in the contact's CCO profile ends (ISO), or null when it does not. */
  readonly contractExpiresAt: string | null;
};

/** Looks a contact (user ID or e-mail address) up for a device; null when the directory does not know the person. */
export type SrContactDirectory = (contact: string, serial: string, store: StoreQueries) => Promise<SrContactStanding | null>;

/**
 * The accounts directory: the user with that ID (else that e-mail address); an Administrator when they
 * hold that role in the device's company; their profile contract valid until the latest expiry among the
 * contracts rows carrying its numbers (none known: no expiry).
 */
export const accountsSrContacts: SrContactDirectory = async (contact, serial, store) => {
  const user = (await store.getUser(contact)) ?? (await store.listUsers(null)).find((u) => u.email.toLowerCase() === contact.toLowerCase()) ?? null;
  if (!user) return null;
  const company = (await store.getDevice(serial))?.company ?? null;
  const admin = user.schAdmin || (company !== null && (await store.membershipsOf(user.id)).some((m) => m.companyId === company && m.role === 'administrator'));
  const numbers = new Set(user.profileContracts);
  const ends = (await store.listContracts()).filter((c) => numbers.has(c.contractNumber)).map((c) => c.expiresAt);
  const contractExpiresAt = ends.length === 0 || ends.includes(null) ? null : ends.reduce<string | null>((a, b) => (a === null || (b !== null && b > a) ? b : a), null);
  return { email: user.email, admin, caseManagement: user.caseManagement, contractExpiresAt };
};

/** Days before the end of the SR contact's contract from which each new SR warns them (N18). */
export const CONTACT_CONTRACT_WARNING_DAYS = 30;

/** Why an SR could not be created (S53); `preference-off` is the owner's choice and mails nobody. */
export type SrRefusal = 'preference-off' | 'not-entitled' | 'no-contact' | 'no-permission' | 'contact-lost-permission' | 'contact-contract-expired' | 'tracker-unavailable';

/** The text of each refusal, as the failure mail and the message's results say it. */
export const SR_REFUSAL_TEXT: Readonly<Record<SrRefusal, string>> = {
  'preference-off': 'SR creation is turned off in the device preferences',
  'not-entitled': 'the device is not entitled: its contract, warranty or trial has expired',
  'no-contact': 'the device has no valid SR contact (set one in the device preferences)',
  'no-permission': 'the SR contact has no Case Management permissions (query, create and update SRs)',
  'contact-lost-permission': 'the contact for SR no longer has permission: they are not an Administrator of the device\'s company',
  'contact-contract-expired': 'the contract in the SR contact\'s CCO profile has expired',
  'tracker-unavailable': 'the TAC service request system did not answer (back-end failure); the SR will not be retried automatically',
};
