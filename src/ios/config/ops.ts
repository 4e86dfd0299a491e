/**
 * Immutable updates of the Call Home configuration with the rules of spec §2 (C17, C28–C44).
 * Each returns the new configuration or the IOS-style error line to print.
 */
import {
  CISCO_TAC_PROFILE,
  LIMITS,
  ciscoTacProfile,
  tacDefaults,
  newUserProfile,
  type AlertGroup,
  type CallHomeConfig,
  type MailServer,
  type Profile,
  type Train,
} from '../../domain/callhome.js';
import { err, ok, type Result } from '../../util/result.js';

/** A configuration update or the error line IOS prints. */
export type Update = Result<CallHomeConfig, string>;

/** Finds a profile by name, case-insensitively (C28). */
export function findProfile(config: CallHomeConfig, name: string): Profile | undefined {
  const lower = name.toLowerCase();
  return config.profiles.find((p) => p.name.toLowerCase() === lower);
}

function checkNewName(config: CallHomeConfig, name: string): string | null {
  if (name.toLowerCase() === 'all') return '% Profile name "all" is reserved; use another name.\n';
  if (name.length > LIMITS.profileName) return `% Profile name is longer than ${LIMITS.profileName} characters.\n`;
  if (findProfile(config, name)) return `% Profile ${name} already exists.\n`;
  return null;
}

/** `profile NAME`: enters an existing profile or creates an active user profile. Returns the stored name. */
export function ensureProfile(config: CallHomeConfig, name: string): Result<{ config: CallHomeConfig; name: string }, string> {
  const existing = findProfile(config, name);
  if (existing) return ok({ config, name: existing.name });
  const problem = checkNewName(config, name);
  if (problem) return err(problem);
  return ok({ config: { ...config, profiles: [...config.profiles, newUserProfile(name)] }, name });
}

/** `no profile NAME` (C31): CiscoTAC-1 cannot be deleted. */
export function deleteProfile(config: CallHomeConfig, name: string): Update {
  const p = findProfile(config, name);
  if (!p) return err(`% Profile ${name} does not exist.\n`);
  if (p.predefined) return err(`% Profile ${p.name} is predefined and cannot be removed.\n`);
  return ok({ ...config, profiles: config.profiles.filter((q) => q !== p) });
}

/** `default profile NAME`: a user profile goes back to new-profile settings, CiscoTAC-1 to its defaults. */
export function defaultProfile(config: CallHomeConfig, name: string, serial: string, train: Train = 'classic'): Update {
  const p = findProfile(config, name);
  if (!p) return err(`% Profile ${name} does not exist.\n`);
  const fresh = p.predefined ? tacDefaults(serial, train) : newUserProfile(p.name);
  return ok(replaceProfile(config, p, fresh));
}

/** `copy profile SRC DST` (C29): the copy is a user profile. */
export function copyProfile(config: CallHomeConfig, source: string, target: string): Update {
  const p = findProfile(config, source);
  if (!p) return err(`% Profile ${source} does not exist.\n`);
  const problem = checkNewName(config, target);
  if (problem) return err(problem);
  const copy: Profile = { ...p, name: target, predefined: false, reportSmartLicensing: false };
  return ok({ ...config, profiles: [...config.profiles, copy] });
}

/** `rename profile SRC DST` (C30): CiscoTAC-1 keeps its name. */
export function renameProfile(config: CallHomeConfig, source: string, target: string): Update {
  const p = findProfile(config, source);
  if (!p) return err(`% Profile ${source} does not exist.\n`);
  if (p.predefined) return err(`% Profile ${p.name} is predefined and cannot be renamed.\n`);
  const problem = checkNewName(config, target);
  if (problem) return err(problem);
  return ok(replaceProfile(config, p, { ...p, name: target }));
}

function replaceProfile(config: CallHomeConfig, old: Profile, next: Profile): CallHomeConfig {
  return { ...config, profiles: config.profiles.map((q) => (q === old ? next : q)) };
}

/** Applies a change to one profile (by name); `f` may refuse with an error line. */
export function updateProfile(config: CallHomeConfig, name: string, f: (p: Profile) => Result<Profile, string>): Update {
  const p = findProfile(config, name);
  if (!p) return err(`% Profile ${name} does not exist.\n`);
  const r = f(p);
  return r.ok ? ok(replaceProfile(config, p, r.value)) : r;
}

/** `mail-server HOST priority N [secure tls]` (C17): re-adding a host changes its priority; at most 5 servers. */
export function addMailServer(config: CallHomeConfig, host: string, priority: number, secureTls = false): Update {
  const others = config.mailServers.filter((m) => m.host.toLowerCase() !== host.toLowerCase());
  if (others.length >= LIMITS.mailServers) {
    return err(`% Only ${LIMITS.mailServers} mail servers can be configured; remove one with "no mail-server HOST".\n`);
  }
  const server: MailServer = secureTls ? { host, priority, secure: 'tls' } : { host, priority };
  const next: MailServer[] = [...others, server].sort((a, b) => a.priority - b.priority);
  return ok({ ...config, mailServers: next });
}

/** `no mail-server HOST` / `no mail-server all`. */
export function removeMailServer(config: CallHomeConfig, host: string | 'all'): Update {
  if (host === 'all') return ok({ ...config, mailServers: [] });
  const next = config.mailServers.filter((m) => m.host.toLowerCase() !== host.toLowerCase());
  if (next.length === config.mailServers.length) return err(`% Mail server ${host} is not configured.\n`);
  return ok({ ...config, mailServers: next });
}

/** `[no] destination transport-method {email|http}` (C33). */
export function setTransport(p: Profile, method: 'email' | 'http', on: boolean): Result<Profile, string> {
  if (p.predefined) {
    // CiscoTAC-1 uses exactly one transport.
    const http = method === 'http' ? on : !on;
    return ok({ ...p, transportHttp: http, transportEmail: !http });
  }
  let email = method === 'email' ? on : p.transportEmail;
  const http = method === 'http' ? on : p.transportHttp;
  if (!email && !http) email = true;
  return ok({ ...p, transportEmail: email, transportHttp: http });
}

/** `[no] active` (C32, C43): only one active profile may report Smart Licensing data. */
export function setActive(config: CallHomeConfig, p: Profile, active: boolean): Result<Profile, string> {
  if (active && p.reportSmartLicensing && otherLicensingProfile(config, p)) {
    return err('% Only one active profile can report Smart Licensing data.\n');
  }
  return ok({ ...p, active });
}

/** `reporting {smart-call-home-data|smart-licensing-data|all}` (C43). */
export function setReporting(config: CallHomeConfig, p: Profile, sch: boolean, licensing: boolean): Result<Profile, string> {
  if (licensing && p.active && otherLicensingProfile(config, p)) {
    return err('% Only one active profile can report Smart Licensing data.\n');
  }
  return ok({ ...p, reportSmartCallHome: sch, reportSmartLicensing: licensing });
}

function otherLicensingProfile(config: CallHomeConfig, p: Profile): boolean {
  return config.profiles.some((q) => q.name !== p.name && q.active && q.reportSmartLicensing);
}

/** Removes one subscription (and for syslog its patterns). */
export function unsubscribe(p: Profile, group: AlertGroup | 'all'): Profile {
  if (group === 'all') return { ...p, subscriptions: {}, syslogPatterns: [] };
  const subscriptions = { ...p.subscriptions };
  delete subscriptions[group];
  return { ...p, subscriptions, syslogPatterns: group === 'syslog' ? [] : p.syslogPatterns };
}

/** The CiscoTAC-1 profile, which is always present (C44). */
export function tacProfile(config: CallHomeConfig, serial: string): Profile {
  return config.profiles.find((p) => p.predefined) ?? findProfile(config, CISCO_TAC_PROFILE) ?? ciscoTacProfile(serial);
}
