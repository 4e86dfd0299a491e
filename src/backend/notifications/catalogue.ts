/**
 * The notification trigger catalogue (spec §5.4, S60): every trigger N1–N27 as a named entry, and the
 * notification kinds that carry them. A kind names one mail template: its subject text, its class
 * (S58: optional mails obey the device's notification toggle; the others always go), who receives it
 * and whether SCH Support gets a copy (S62).
 */

/** S58: `optional` obeys the per-device toggle; `mandatory` and `always` do not; `audit` is never mailed. */
export type TriggerClass = 'optional' | 'mandatory' | 'always' | 'on-request' | 'audit';

/**
 * Who receives a kind (S57): `contact` — the message's reply-to, else the contact; `device` — that,
 * plus the preference e-mail list and the registrant; `device+sr` — also the SR contact; `sr-contact`
 * — the SR contact and the device list; `given` — the addresses the caller names (a user, the ccoid
 * user, a gateway's address); `none` — recorded, not mailed.
 */
export type Audience = 'contact' | 'device' | 'device+sr' | 'sr-contact' | 'given' | 'none';

export type TriggerId = `N${number}`;

export type KindEntry = {
  /** The §5.4 trigger, or S62 for internal support mails. */
  readonly trigger: TriggerId | 'S62';
  /** The subject text after `[SCH] `: our words, never device text. */
  readonly subject: string;
  readonly class: TriggerClass;
  readonly audience: Audience;
  /** A copy goes to SCH Support (S62). */
  readonly support: boolean;
  /** False when the service records it but someone else mails it (N26: the gateway itself, S85). */
  readonly mailed: boolean;
};

const k = (trigger: KindEntry['trigger'], subject: string, cls: TriggerClass, audience: Audience, support = false, mailed = true): KindEntry => ({ trigger, subject, class: cls, audience, support, mailed });

/** Every notification kind the service sends, by kind name (the `kind` of a notification record). */
export const NOTIFICATION_KINDS = {
  'pending-registration': k('N1', 'Pending Registration', 'mandatory', 'contact'),
  'inventory-updated': k('N2', 'Updated inventory report available', 'optional', 'device'),
  'configuration-updated': k('N3', 'Updated configuration report available', 'optional', 'device'),
  environment: k('N4', 'Environment alert', 'optional', 'device'),
  diagnostic: k('N5', 'Diagnostic alert', 'optional', 'device'),
  // [UG] adds syslog and crash analysis; their results are mailed like diagnostic results (N5).
  syslog: k('N5', 'Syslog alert', 'optional', 'device'),
  crash: k('N5', 'Crash alert', 'optional', 'device'),
  snapshot: k('N5', 'Snapshot alert', 'optional', 'device'),
  test: k('N6', 'Test message received', 'optional', 'device'),
  'unsupported-message': k('N7', 'Unsupported Call Home message received', 'optional', 'device'),
  'missing-information': k('N8', 'Call Home message missing information', 'optional', 'device', true),
  'not-covered': k('N9', 'Device not covered by a supported contract', 'mandatory', 'device'),
  'sr-contact-permission-lost': k('N10', 'SR contact no longer has permission', 'mandatory', 'sr-contact'),
  'entitlement-expired': k('N11', 'Device no longer entitled', 'mandatory', 'device'),
  'case-created': k('N12', 'Service request opened', 'always', 'device+sr'),
  'case-updated': k('N12', 'Service request updated', 'always', 'device+sr'),
  'case-closed': k('N12', 'Service request closed', 'always', 'device+sr'),
  'case-failed': k('N12', 'Service request creation failed', 'always', 'device+sr'),
  'trial-registered': k('N13', 'Registered for a trial', 'mandatory', 'device'),
  'trial-reminder': k('N14', 'Trial registration reminder', 'mandatory', 'device'),
  'contract-expiring': k('N15', 'Contract about to expire', 'mandatory', 'device'),
  'contract-expired': k('N15', 'Contract expired', 'mandatory', 'device'),
  'user-created': k('N16', 'New user registration', 'mandatory', 'given'),
  'user-deleted': k('N17', 'User registration deleted', 'mandatory', 'given'),
  'sr-contact-contract-expiring': k('N18', 'Contract in your profile about to expire', 'mandatory', 'sr-contact'),
  'sr-contact-contract-expired': k('N18', 'Contract in your profile expired', 'mandatory', 'sr-contact'),
  'message-failed': k('N19', 'Call Home message failed', 'optional', 'device', true),
  'sr-no-permission': k('N20', 'Service request not created: missing permissions', 'always', 'device'),
  'sr-not-entitled': k('N21', 'Service request not created: device not entitled', 'always', 'device'),
  'registration-complete': k('N22', 'Registration complete', 'mandatory', 'contact'),
  'contract-added': k('N23', 'Contract added to your profile', 'mandatory', 'given'),
  'gateway-password-rotated': k('N24', 'Transport Gateway password rotated', 'audit', 'none'),
  'ca-certificate-update': k('N25', 'CA certificate update instructions', 'mandatory', 'given'),
  // The gateway mails its configured address itself (S85); the service records what the status report told it.
  'gateway-store-full': k('N26', 'Transport Gateway mail store full', 'optional', 'given', false, false),
  'request-reply': k('N27', 'Response to your call-home request', 'on-request', 'given'),
  // S62: internal; to SCH Support only.
  'support-alert': k('S62', 'SCH Support alert', 'always', 'given'),
  'support-request': k('S62', 'Portal support request', 'always', 'given'),
} as const satisfies Record<string, KindEntry>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

/** The §5.4 rows: what each trigger is about. */
export const TRIGGERS: Readonly<Record<TriggerId, string>> = {
  N1: 'A message from an unregistered device starts registration (Pending Registration, with token)',
  N2: 'Full inventory received; DB updated',
  N3: 'Configuration received; DB updated',
  N4: 'Environment analysed: minor, major or recovery alarm, with recommendations',
  N5: 'Diagnostic analysed: minor or higher, with recommendations',
  N6: 'Test message received',
  N7: 'Unsupported message received',
  N8: 'Message missing information',
  N9: 'Messages from a device not covered by a supported contract',
  N10: 'SR contact no longer has permission to manage SRs',
  N11: 'Device no longer entitled for SR creation',
  N12: 'SR created / updated / creation failed',
  N13: 'Device registered for a trial period',
  N14: 'Trial reminder, every 2 weeks while on trial',
  N15: 'Device contract about to expire / expired',
  N16: 'New user registration created, with a request to accept the legal agreement',
  N17: 'User registration deleted by an admin',
  N18: "Contract in the SR contact's CCO profile about to expire / expired",
  N19: 'Inventory mapping failure / message processing failed',
  N20: 'SR not created: missing case-management permissions',
  N21: 'SR not created: device not entitled',
  N22: 'Registration complete confirmation',
  N23: 'Contract added to your profile',
  N24: 'TG password reset / rotated (audit only)',
  N25: 'CA certificate update instructions',
  N26: 'TG mail-store full',
  N27: 'Response to a call-home request',
};

/** The entry of a kind; unknown kinds (a rule naming its own) are optional device mails. */
export function kindEntry(kind: string): KindEntry {
  return (NOTIFICATION_KINDS as Record<string, KindEntry>)[kind] ?? k('N5', /^[a-z-]{1,20}$/.test(kind) ? `${kind} alert` : 'Notification', 'optional', 'device');
}
