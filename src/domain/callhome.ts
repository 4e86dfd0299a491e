/**
 * The Call Home configuration model shared by the lab (which holds and renders it), the fleet
 * parsers (which read it back from devices) and push (which diffs it against the desired state).
 * Follows ios-call-home.md §0, §2 and §9; limits are quoted where they are enforced.
 */
import { assertNever } from '../util/assert-never.js';
import type { SeverityKeyword } from './severity.js';

/** Alert groups a profile can subscribe to, in the alphabetical order show output uses. */
export const ALERT_GROUPS = [
  'configuration',
  'crash',
  'diagnostic',
  'environment',
  'inventory',
  'snapshot',
  'syslog',
] as const;
export type AlertGroup = (typeof ALERT_GROUPS)[number];

/** Description column of `show call-home alert-group`. */
export const ALERT_GROUP_DESCRIPTIONS: Readonly<Record<AlertGroup, string>> = {
  configuration: 'configuration info',
  crash: 'crash and traceback info',
  diagnostic: 'diagnostic info',
  environment: 'environmental info',
  inventory: 'inventory info',
  snapshot: 'snapshot info',
  syslog: 'syslog info',
};

/** Kinds of message a device sends; alert groups plus the EXEC-only kinds. */
export const MESSAGE_KINDS = [...ALERT_GROUPS, 'test', 'request', 'send-cli'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A periodic subscription schedule (§2.3.1). hourly and interval are for snapshot only. */
export type Periodic =
  | { readonly kind: 'daily'; readonly hh: number; readonly mm: number }
  | { readonly kind: 'weekly'; readonly day: Weekday; readonly hh: number; readonly mm: number }
  | { readonly kind: 'monthly'; readonly date: number; readonly hh: number; readonly mm: number }
  | { readonly kind: 'hourly'; readonly mm: number }
  | { readonly kind: 'interval'; readonly minutes: number };

/** The words of a schedule as IOS takes and prints them: `monthly 1 09:00`, `weekly monday 10:00`, `hourly 30`. */
export function periodicWords(p: Periodic): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  switch (p.kind) {
    case 'daily':
      return `daily ${two(p.hh)}:${two(p.mm)}`;
    case 'weekly':
      return `weekly ${p.day} ${two(p.hh)}:${two(p.mm)}`;
    case 'monthly':
      return `monthly ${p.date} ${two(p.hh)}:${two(p.mm)}`;
    case 'hourly':
      return `hourly ${p.mm}`;
    case 'interval':
      return `interval ${p.minutes}`;
    default:
      return assertNever(p, 'periodic schedule');
  }
}

/** One alert-group subscription of a profile. */
export type Subscription = {
  readonly severity?: SeverityKeyword;
  readonly periodic?: Periodic;
};

/** How a profile's messages are encoded: `message-format` (the Call Home codec renders and reads each). */
export type MessageFormat = 'xml' | 'long-text' | 'short-text';

/** How a profile delivers: IOS `transport-method` (not how the back end received a message: that is the events' Transport). */
export type TransportMethod = 'email' | 'http';

/** A destination profile (§2.3). */
export type Profile = {
  /** ≤ 31 chars, case-insensitive unique, never `all`. */
  readonly name: string;
  /** True only for CiscoTAC-1. */
  readonly predefined: boolean;
  readonly active: boolean;
  readonly mode: 'full' | 'anonymous';
  readonly reportSmartCallHome: boolean;
  readonly reportSmartLicensing: boolean;
  readonly transportEmail: boolean;
  readonly transportHttp: boolean;
  readonly emailAddresses: readonly string[];
  readonly httpUrls: readonly string[];
  readonly format: MessageFormat;
  /** 50..3145728 bytes. */
  readonly messageSizeLimit: number;
  readonly subscriptions: Readonly<Partial<Record<AlertGroup, Subscription>>>;
  /** Syslog subscriptions with a pattern; a plain syslog subscription is pattern `.*`. */
  readonly syslogPatterns: readonly { readonly pattern: string; readonly severity: SeverityKeyword }[];
};

/** A mail server; `secure: 'tls'` (IOS XE `… secure tls`) asks for STARTTLS, absent means none. */
export type MailServer = { readonly host: string; readonly priority: number; readonly secure?: 'tls' };

/** The `diagnostic-signature` submode of IOS XE (absent: its default, active over CiscoTAC-1). */
export type DiagnosticSignatureConfig = {
  readonly active: boolean;
  /** The profile that downloads signatures; absent means CiscoTAC-1. */
  readonly profile?: string;
  /** `environment ds_NAME VALUE` entries, in the order configured. */
  readonly environment: readonly { readonly name: string; readonly value: string }[];
};

/** The Call Home configuration of one device (everything `show running-config` can carry). */
export type CallHomeConfig = {
  readonly serviceEnabled: boolean;
  readonly contactEmail?: string;
  readonly phoneNumber?: string;
  readonly streetAddress?: string;
  readonly customerId?: string;
  readonly siteId?: string;
  readonly contractId?: string;
  /** At most 5, priority 1..100, lowest number tried first. */
  readonly mailServers: readonly MailServer[];
  readonly senderFrom?: string;
  readonly senderReplyTo?: string;
  readonly sourceInterface?: string;
  readonly sourceIpAddress?: string;
  readonly vrf?: string;
  readonly httpProxy?: { readonly host: string; readonly port: number };
  /** IOS XE `[no] http secure server-identity-check`; absent means the default (checked). */
  readonly httpServerIdentityCheck?: false;
  /** IOS XE `http resolve-hostname ipv4-first|ipv6-first`; absent means `default`. */
  readonly httpResolveHostname?: 'ipv4-first' | 'ipv6-first';
  /** IOS XE `diagnostic-signature` settings; absent means the default. */
  readonly diagnosticSignature?: DiagnosticSignatureConfig;
  readonly aaaAuthorization: boolean;
  readonly aaaUsername: string;
  readonly syslogThrottling: boolean;
  readonly dataPrivacyLevel: 'normal' | 'high';
  readonly dataPrivacyHostname: boolean;
  /** Messages per minute, 1..60. */
  readonly rateLimit: number;
  readonly snapshotCommands: readonly string[];
  readonly alertGroupEnabled: Readonly<Record<AlertGroup, boolean>>;
  readonly profiles: readonly Profile[];
};

export const CISCO_TAC_PROFILE = 'CiscoTAC-1';
export const CISCO_TAC_EMAIL = 'callhome@cisco.com';
export const CISCO_TAC_URL = 'https://tools.cisco.com/its/service/oddce/services/DDCEService';
/** The path devices post to; the back end serves it. */
export const DDCE_SERVICE_PATH = '/its/service/oddce/services/DDCEService';
export const MAX_MESSAGE_SIZE = 3_145_728;
export const DEFAULT_RATE_LIMIT = 20;
export const DEFAULT_AAA_USERNAME = 'callhome';

/** Field limits of §2 (C6), shared by the lab's parser and the desired-config validator. */
export const LIMITS = {
  contactEmail: 200,
  phoneNumber: 16,
  streetAddress: 200,
  customerId: 64,
  siteId: 200,
  contractId: 64,
  mailServerName: 64,
  mailServers: 5,
  priority: { min: 1, max: 100 },
  interfaceName: 64,
  sourceIp: 64,
  proxyHost: 64,
  port: { min: 1, max: 65535 },
  aaaUsername: 64,
  profileName: 31,
  snapshotCommand: 128,
  rateLimit: { min: 1, max: 60 },
  messageSize: { min: 50, max: MAX_MESSAGE_SIZE },
  monthlyDate: { min: 1, max: 31 },
} as const;

/** A new user-defined profile: active, email transport, xml, no subscriptions. */
export function newUserProfile(name: string): Profile {
  return {
    name,
    predefined: false,
    active: true,
    mode: 'full',
    reportSmartCallHome: true,
    reportSmartLicensing: false,
    transportEmail: true,
    transportHttp: false,
    emailAddresses: [],
    httpUrls: [],
    format: 'xml',
    messageSizeLimit: MAX_MESSAGE_SIZE,
    subscriptions: {},
    syslogPatterns: [],
  };
}

/**
 * CiscoTAC-1 with the guide's defaults (§2.5). The monthly periodic day and minute are derived
 * from the serial so that a fleet does not report all at once, as real devices randomise them.
 */
export function ciscoTacProfile(serial: string): Profile {
  let hash = 0;
  for (const ch of serial) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const date = (hash % 28) + 1;
  const hh = (hash >>> 5) % 24;
  const mm = (hash >>> 10) % 60;
  return {
    ...newUserProfile(CISCO_TAC_PROFILE),
    predefined: true,
    active: false,
    emailAddresses: [CISCO_TAC_EMAIL],
    httpUrls: [CISCO_TAC_URL],
    subscriptions: {
      configuration: { periodic: { kind: 'monthly', date, hh, mm: (mm + 15) % 60 } },
      crash: { severity: 'normal' },
      inventory: { periodic: { kind: 'monthly', date, hh, mm } },
      syslog: { severity: 'debugging' },
    },
    syslogPatterns: [{ pattern: '.*CALL_LOOP.*', severity: 'debugging' }],
  };
}

/** Software trains whose Call Home layouts and defaults differ: classic IOS 15.x and IOS XE 16.x/17.x. */
export type Train = 'classic' | 'xe';
export const TRAINS: readonly Train[] = ['classic', 'xe'];

/** The train of a version string: `16.12.5`, `17.9.4a` are IOS XE; `15.2(4)M11` and older are classic IOS. */
export function trainOfVersion(version: string): Train {
  return /^(1[6-9]|[2-9]\d)\.\d+/.test(version.trim()) ? 'xe' : 'classic';
}

/** The contact address IOS XE ships with: Smart Licensing fills in the portal's address. */
export const SMART_LICENSING_CONTACT = 'sch-smart-licensing@cisco.com';

/**
 * The factory-default Call Home configuration of a device (§9). IOS XE ships with Call Home on
 * for Smart Licensing: `service call-home`, the Smart Licensing contact address, and CiscoTAC-1
 * active over HTTP reporting Smart Call Home and Smart Licensing data.
 */
export function defaultCallHomeConfig(serial: string, train: Train = 'classic'): CallHomeConfig {
  const classic = classicDefaults(serial);
  if (train === 'classic') return classic;
  return {
    ...classic,
    serviceEnabled: true,
    contactEmail: SMART_LICENSING_CONTACT,
    profiles: [xeCiscoTacProfile(serial)],
  };
}

/** CiscoTAC-1 as IOS XE ships it. */
export function xeCiscoTacProfile(serial: string): Profile {
  return { ...ciscoTacProfile(serial), active: true, transportEmail: false, transportHttp: true, reportSmartLicensing: true };
}

/** CiscoTAC-1's factory state on a train. */
export function tacDefaults(serial: string, train: Train): Profile {
  return train === 'xe' ? xeCiscoTacProfile(serial) : ciscoTacProfile(serial);
}

function classicDefaults(serial: string): CallHomeConfig {
  return {
    serviceEnabled: false,
    mailServers: [],
    aaaAuthorization: false,
    aaaUsername: DEFAULT_AAA_USERNAME,
    syslogThrottling: true,
    dataPrivacyLevel: 'normal',
    dataPrivacyHostname: false,
    rateLimit: DEFAULT_RATE_LIMIT,
    snapshotCommands: [],
    alertGroupEnabled: {
      configuration: true,
      crash: true,
      diagnostic: true,
      environment: true,
      inventory: true,
      snapshot: true,
      syslog: true,
    },
    profiles: [ciscoTacProfile(serial)],
  };
}
