/**
 * The planner's view of "what a device should have": desired YAML and a previously read
 * configuration both become a PlanTarget, and subscriptions are compared in their effective
 * form (what the device acts on), so that show output, running-config and commands that mean
 * the same thing compare equal.
 */
import {
  ALERT_GROUPS,
  type AlertGroup,
  type CallHomeConfig,
  type MessageFormat,
  type Periodic,
  type Profile,
} from '../domain/callhome.js';
import type { SeverityKeyword } from '../domain/severity.js';
import type { DesiredConfig, DesiredSubscription, DesiredText } from './desired.js';

/** A non-syslog subscription as the device acts on it. */
export type EffectiveSubscription = { readonly periodic?: Periodic; readonly severity?: SeverityKeyword };
/** One syslog pattern entry. */
export type SyslogEntry = { readonly pattern: string; readonly severity: SeverityKeyword };
/** All subscriptions of a profile, effective form. */
export type EffectiveSubscriptions = {
  readonly groups: Readonly<Partial<Record<AlertGroup, EffectiveSubscription>>>;
  /** Sorted by pattern; undefined when not subscribed to syslog. */
  readonly syslog?: readonly SyslogEntry[];
};

/** A profile target; absent keys are left as they are. */
export type TargetProfile = {
  readonly active?: boolean;
  readonly transportEmail?: boolean;
  readonly transportHttp?: boolean;
  readonly email?: readonly string[];
  readonly http?: readonly string[];
  readonly format?: MessageFormat;
  readonly messageSize?: number;
  readonly subscriptions?: EffectiveSubscriptions;
  /** Syslog commands as the user wrote them (severity / pattern named or not). */
  readonly syslogWritten?: DesiredSubscription;
};

/** What the planner drives a device to. */
export type PlanTarget = Omit<DesiredConfig, 'profiles'> & {
  readonly profiles?: Readonly<Record<string, TargetProfile>>;
};

const PERIODIC: readonly AlertGroup[] = ['configuration', 'inventory', 'snapshot'];
const SEVERITY: readonly AlertGroup[] = ['diagnostic', 'environment'];

/** The effective form of one non-syslog subscription: periodic groups keep their schedule, severity groups their threshold (default debugging). */
function effective(group: AlertGroup, sub: { readonly periodic?: Periodic; readonly severity?: SeverityKeyword }): EffectiveSubscription {
  if (PERIODIC.includes(group)) return sub.periodic ? { periodic: sub.periodic } : {};
  if (SEVERITY.includes(group)) return { severity: sub.severity ?? 'debugging' };
  return {};
}

const sortEntries = (e: readonly SyslogEntry[]): SyslogEntry[] => [...e].sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));

/** Effective subscriptions of a configured profile. */
export function profileSubscriptions(p: Profile): EffectiveSubscriptions {
  const groups: Partial<Record<AlertGroup, EffectiveSubscription>> = {};
  for (const g of ALERT_GROUPS) {
    const sub = p.subscriptions[g];
    if (g !== 'syslog' && sub) groups[g] = effective(g, sub);
  }
  const syslogSub = p.subscriptions.syslog;
  let syslog: SyslogEntry[] | undefined;
  if (p.syslogPatterns.length > 0) syslog = sortEntries(p.syslogPatterns);
  else if (syslogSub) syslog = [{ pattern: '.*', severity: syslogSub.severity ?? 'debugging' }];
  return syslog ? { groups, syslog } : { groups };
}

/** Effective subscriptions of a desired profile's `subscriptions` map. */
export function desiredSubscriptions(subs: Readonly<Partial<Record<AlertGroup, DesiredSubscription>>>): EffectiveSubscriptions {
  const groups: Partial<Record<AlertGroup, EffectiveSubscription>> = {};
  for (const g of ALERT_GROUPS) {
    const sub = subs[g];
    if (g !== 'syslog' && sub) groups[g] = effective(g, sub);
  }
  const s = subs.syslog;
  if (!s) return { groups };
  // `patterns` lists up to five entries; otherwise the subscription itself is one entry.
  const entries = s.patterns ?? [s];
  return { groups, syslog: sortEntries(entries.map((e) => ({ pattern: e.pattern ?? '.*', severity: e.severity ?? 'debugging' }))) };
}

/** The target of a desired configuration. */
export function targetFromDesired(desired: DesiredConfig): PlanTarget {
  const { profiles, ...rest } = desired;
  if (!profiles) return rest;
  const out: Record<string, TargetProfile> = {};
  for (const [name, p] of Object.entries(profiles)) {
    out[name] = {
      active: p.active,
      transportEmail: p.transport ? p.transport.includes('email') : undefined,
      transportHttp: p.transport ? p.transport.includes('http') : undefined,
      email: p.email,
      http: p.http,
      format: p.format,
      messageSize: p.messageSize,
      subscriptions: p.subscriptions ? desiredSubscriptions(p.subscriptions) : undefined,
      syslogWritten: p.subscriptions?.syslog,
    };
  }
  return { ...rest, profiles: out };
}

const textOf = (v: string | undefined): DesiredText => v ?? null;

/** A target naming every setting push can change, taken from a configuration read earlier (for restore). */
export function targetFromConfig(c: CallHomeConfig): PlanTarget {
  const profiles: Record<string, TargetProfile> = {};
  for (const p of c.profiles) {
    profiles[p.name] = {
      active: p.active,
      transportEmail: p.transportEmail,
      transportHttp: p.transportHttp,
      email: p.predefined ? undefined : p.emailAddresses,
      http: p.predefined ? p.httpUrls.slice(0, 1) : p.httpUrls,
      format: p.format,
      messageSize: p.messageSizeLimit,
      subscriptions: profileSubscriptions(p),
    };
  }
  return {
    service: c.serviceEnabled,
    contactEmail: textOf(c.contactEmail),
    phoneNumber: textOf(c.phoneNumber),
    streetAddress: textOf(c.streetAddress),
    customerId: textOf(c.customerId),
    siteId: textOf(c.siteId),
    contractId: textOf(c.contractId),
    senderFrom: textOf(c.senderFrom),
    senderReplyTo: textOf(c.senderReplyTo),
    sourceInterface: textOf(c.sourceInterface),
    sourceIpAddress: textOf(c.sourceIpAddress),
    vrf: textOf(c.vrf),
    httpProxy: c.httpProxy ?? null,
    mailServers: c.mailServers.map((m) => ({ address: m.host, priority: m.priority })),
    rateLimit: c.rateLimit,
    syslogThrottling: c.syslogThrottling,
    dataPrivacyLevel: c.dataPrivacyLevel,
    snapshotCommands: c.snapshotCommands,
    alertGroups: { ...c.alertGroupEnabled },
    profiles,
  };
}
