/**
 * Applies Call Home configuration commands, one line at a time, to a CallHomeConfig: the
 * commands `show running-config` writes (including the `no` forms it writes for non-defaults)
 * and the `no` forms push sends. Used by the running-config parser; the mode of each line is
 * decided by the caller (indentation there, `exit` in an interactive session).
 */
import {
  ALERT_GROUPS,
  CISCO_TAC_PROFILE,
  defaultCallHomeConfig,
  tacDefaults,
  newUserProfile,
  type AlertGroup,
  type CallHomeConfig,
  type MailServer,
  type Periodic,
  type Profile,
  type Subscription,
  type Train,
  type DiagnosticSignatureConfig,
} from '../../domain/callhome.js';
import { isSeverityKeyword, type SeverityKeyword } from '../../domain/severity.js';
import { assertNever } from '../../util/assert-never.js';
import { isAlertGroup, isWeekday, parseHhmm } from './domain-words.js';

/** Where a configuration line applies. */
export type ConfigContext =
  | { readonly kind: 'global' }
  | { readonly kind: 'call-home' }
  | { readonly kind: 'profile'; readonly name: string }
  | { readonly kind: 'snapshot' }
  | { readonly kind: 'diagnostic-signature' };

/** What applying a line did: entered a sub-mode, applied, ignored (not Call Home / unknown), or failed. */
export type ApplyOutcome =
  | { readonly kind: 'enter'; readonly context: ConfigContext }
  | { readonly kind: 'applied' }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'error'; readonly message: string };

type Deep<T> = { -readonly [K in keyof T]: T[K] };
type WorkProfile = Deep<Profile> & {
  subscriptions: Partial<Record<AlertGroup, Subscription>>;
  syslogPatterns: { pattern: string; severity: SeverityKeyword }[];
  emailAddresses: string[];
  httpUrls: string[];
};
type WorkConfig = Omit<Deep<CallHomeConfig>, 'profiles' | 'mailServers' | 'snapshotCommands' | 'alertGroupEnabled'> & {
  profiles: WorkProfile[];
  mailServers: MailServer[];
  snapshotCommands: string[];
  alertGroupEnabled: Record<AlertGroup, boolean>;
};

const APPLIED: ApplyOutcome = { kind: 'applied' };
const IGNORED: ApplyOutcome = { kind: 'ignored' };
const fail = (message: string): ApplyOutcome => ({ kind: 'error', message });

function workProfile(p: Profile): WorkProfile {
  return {
    ...p,
    subscriptions: { ...p.subscriptions },
    syslogPatterns: p.syslogPatterns.map((x) => ({ ...x })),
    emailAddresses: [...p.emailAddresses],
    httpUrls: [...p.httpUrls],
  };
}

/** Parses `daily HH:MM`, `weekly DAY HH:MM`, `monthly D HH:MM`, `hourly MM`, `interval N` (§2.3.1). */
export function parsePeriodicWords(w: readonly string[]): Periodic | undefined {
  const kind = w[0]?.toLowerCase();
  switch (kind) {
    case 'daily': {
      const t = parseHhmm(w[1]);
      return t && w.length === 2 ? { kind: 'daily', ...t } : undefined;
    }
    case 'weekly': {
      const day = w[1]?.toLowerCase();
      const t = parseHhmm(w[2]);
      return t && w.length === 3 && isWeekday(day) ? { kind: 'weekly', day, ...t } : undefined;
    }
    case 'monthly': {
      const date = Number(w[1]);
      const t = parseHhmm(w[2]);
      return t && w.length === 3 && /^\d{1,2}$/.test(w[1] ?? '') && date >= 1 && date <= 31
        ? { kind: 'monthly', date, ...t }
        : undefined;
    }
    case 'hourly': {
      const mm = Number(w[1]);
      return w.length === 2 && /^\d{1,2}$/.test(w[1] ?? '') && mm < 60 ? { kind: 'hourly', mm } : undefined;
    }
    case 'interval': {
      const minutes = Number(w[1]);
      return w.length === 2 && /^\d{1,2}$/.test(w[1] ?? '') && minutes >= 1 && minutes <= 60
        ? { kind: 'interval', minutes }
        : undefined;
    }
    default:
      return undefined;
  }
}

function intIn(text: string | undefined, min: number, max: number): number | undefined {
  if (!/^\d{1,9}$/.test(text ?? '')) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** A mutable Call Home configuration fed one tokenised line at a time. */
export class CallHomeConfigBuilder {
  private readonly config: WorkConfig;

  /** Starts from a configuration (default: the factory defaults of a device with this serial). */
  constructor(
    private readonly serial: string,
    start?: CallHomeConfig,
    private readonly train: Train = 'classic',
  ) {
    const base = start ?? defaultCallHomeConfig(serial, train);
    this.config = {
      ...base,
      profiles: base.profiles.map(workProfile),
      mailServers: base.mailServers.map((m) => ({ ...m })),
      snapshotCommands: [...base.snapshotCommands],
      alertGroupEnabled: { ...base.alertGroupEnabled },
    };
  }

  /** The configuration built so far. */
  result(): CallHomeConfig {
    return {
      ...this.config,
      profiles: this.config.profiles.map((p) => ({ ...p, subscriptions: { ...p.subscriptions }, syslogPatterns: [...p.syslogPatterns] })),
      mailServers: [...this.config.mailServers],
      snapshotCommands: [...this.config.snapshotCommands],
      alertGroupEnabled: { ...this.config.alertGroupEnabled },
    };
  }

  /** Applies one line, already split into words, in the given context. */
  apply(context: ConfigContext, words: readonly string[]): ApplyOutcome {
    const negate = words[0] === 'no';
    const isDefault = words[0] === 'default';
    const w = negate || isDefault ? words.slice(1) : words;
    if (w.length === 0) return IGNORED;
    switch (context.kind) {
      case 'global':
        return this.global(w, negate);
      case 'call-home':
        return this.callHome(w, negate || isDefault);
      case 'profile':
        return this.profile(context.name, w, negate, isDefault);
      case 'snapshot':
        return this.snapshot(w, negate || isDefault);
      case 'diagnostic-signature':
        return this.diagnosticSignature(w, negate || isDefault);
      default:
        return assertNever(context, 'configuration context');
    }
  }

  private global(w: readonly string[], negate: boolean): ApplyOutcome {
    // `service call-home`
    if (w[0] === 'service' && w[1] === 'call-home') {
      this.config.serviceEnabled = !negate;
      return APPLIED;
    }
    // `call-home`
    if (w[0] === 'call-home' && w.length === 1 && !negate) return { kind: 'enter', context: { kind: 'call-home' } };
    return IGNORED;
  }

  private callHome(w: readonly string[], negate: boolean): ApplyOutcome {
    const c = this.config;
    const [cmd, a1, a2, a3] = w;
    const text = (value: string | undefined, max: number): string | undefined | ApplyOutcome => {
      if (negate) return undefined;
      if (value === undefined || w.length !== 2) return fail(`\`${cmd ?? ''}\` takes one argument`);
      if (value.length > max) return fail(`\`${cmd ?? ''}\` is longer than ${max} characters`);
      return value;
    };
    const setText = (key: 'contactEmail' | 'phoneNumber' | 'streetAddress' | 'customerId' | 'siteId' | 'contractId' | 'sourceInterface' | 'sourceIpAddress' | 'vrf', max: number): ApplyOutcome => {
      const v = text(a1, max);
      if (typeof v === 'object') return v;
      if (v === undefined) delete c[key];
      else c[key] = v;
      return APPLIED;
    };
    switch (cmd) {
      case 'contact-email-addr':
        return setText('contactEmail', 200);
      case 'phone-number':
        return setText('phoneNumber', 16);
      case 'street-address':
        return setText('streetAddress', 200);
      case 'customer-id':
        return setText('customerId', 64);
      case 'site-id':
        return setText('siteId', 200);
      case 'contract-id':
        return setText('contractId', 64);
      case 'source-interface':
        return setText('sourceInterface', 64);
      case 'source-ip-address':
        return setText('sourceIpAddress', 64);
      case 'vrf':
        return setText('vrf', 64);
      case 'sender': {
        // `sender from x@y` / `sender reply-to x@y`
        if (a1 !== 'from' && a1 !== 'reply-to') return fail('expected `sender from|reply-to <address>`');
        const key = a1 === 'from' ? 'senderFrom' : 'senderReplyTo';
        if (negate) delete c[key];
        else if (a2 === undefined) return fail('expected an address');
        else c[key] = a2;
        return APPLIED;
      }
      case 'mail-server': {
        // `mail-server 192.168.2.1 priority 1`; `no mail-server HOST [priority N]`; `no mail-server all`
        if (negate) {
          if (a1 === 'all') c.mailServers = [];
          else c.mailServers = c.mailServers.filter((m) => m.host.toLowerCase() !== (a1 ?? '').toLowerCase());
          return APPLIED;
        }
        // IOS XE adds `secure tls` (STARTTLS) after the priority.
        const priority = a2 === 'priority' ? intIn(a3, 1, 100) : undefined;
        const tail = w.slice(4).map((x) => x.toLowerCase()).join(' ');
        if (a1 === undefined || priority === undefined || (tail !== '' && tail !== 'secure tls')) {
          return fail('expected `mail-server <host> priority <1-100> [secure tls]`');
        }
        const others = c.mailServers.filter((m) => m.host.toLowerCase() !== a1.toLowerCase());
        const server: MailServer = tail === '' ? { host: a1, priority } : { host: a1, priority, secure: 'tls' };
        c.mailServers = [...others, server].sort((x, y) => x.priority - y.priority);
        return APPLIED;
      }
      case 'http-proxy': {
        // `http-proxy "192.168.1.1" port 80`
        if (negate) {
          delete c.httpProxy;
          return APPLIED;
        }
        const port = a2 === 'port' ? intIn(a3, 1, 65535) : undefined;
        if (a1 === undefined || port === undefined) return fail('expected `http-proxy <host> port <1-65535>`');
        c.httpProxy = { host: a1, port };
        return APPLIED;
      }
      case 'http':
        return this.http(w.slice(1), negate);
      case 'diagnostic-signature':
        if (negate) {
          delete c.diagnosticSignature;
          return APPLIED;
        }
        return { kind: 'enter', context: { kind: 'diagnostic-signature' } };
      case 'aaa-authorization':
        if (a1 === 'username') c.aaaUsername = negate || a2 === undefined ? 'callhome' : a2;
        else c.aaaAuthorization = !negate;
        return APPLIED;
      case 'syslog-throttling':
        c.syslogThrottling = !negate;
        return APPLIED;
      case 'data-privacy':
        // `data-privacy level high` / `data-privacy hostname`
        if (a1 === 'hostname') c.dataPrivacyHostname = !negate;
        else if (a1 === 'level') c.dataPrivacyLevel = !negate && a2 === 'high' ? 'high' : 'normal';
        return APPLIED;
      case 'rate-limit': {
        const n = negate ? 20 : intIn(a1, 1, 60);
        if (n === undefined) return fail('expected `rate-limit <1-60>`');
        c.rateLimit = n;
        return APPLIED;
      }
      case 'alert-group': {
        // `no alert-group syslog` / `alert-group all`
        const groups = a1 === 'all' ? ALERT_GROUPS : isAlertGroup(a1) ? [a1] : [];
        for (const g of groups) c.alertGroupEnabled[g] = !negate;
        return groups.length > 0 ? APPLIED : IGNORED;
      }
      case 'alert-group-config':
        if (a1 !== 'snapshot') return IGNORED;
        if (negate) {
          c.snapshotCommands = [];
          return APPLIED;
        }
        return { kind: 'enter', context: { kind: 'snapshot' } };
      case 'profile': {
        if (a1 === undefined) return fail('expected `profile <name>`');
        const existing = this.findProfile(a1);
        if (negate) {
          if (existing?.predefined) return fail(`${CISCO_TAC_PROFILE} cannot be deleted`);
          c.profiles = c.profiles.filter((p) => p !== existing);
          return APPLIED;
        }
        if (a1.length > 31 || a1.toLowerCase() === 'all') return fail('a profile name has at most 31 characters and is not `all`');
        if (!existing) c.profiles.push(workProfile(newUserProfile(a1)));
        return { kind: 'enter', context: { kind: 'profile', name: existing?.name ?? a1 } };
      }
      default:
        return IGNORED;
    }
  }

  /** IOS XE `http secure server-identity-check` and `http resolve-hostname …`. */
  private http(w: readonly string[], negate: boolean): ApplyOutcome {
    const c = this.config;
    const [a1, a2] = w.map((x) => x.toLowerCase());
    if (a1 === 'secure' && a2 === 'server-identity-check' && w.length === 2) {
      if (negate) c.httpServerIdentityCheck = false;
      else delete c.httpServerIdentityCheck;
      return APPLIED;
    }
    if (a1 === 'resolve-hostname') {
      if (negate || a2 === 'default') delete c.httpResolveHostname;
      else if (a2 === 'ipv4-first' || a2 === 'ipv6-first') c.httpResolveHostname = a2;
      else return fail('expected `http resolve-hostname default|ipv4-first|ipv6-first`');
      return APPLIED;
    }
    return IGNORED;
  }

  /** `(cfg-call-home-diag-sign)#`: `[no] active`, `profile NAME`, `environment ds_NAME VALUE`. */
  private diagnosticSignature(w: readonly string[], negate: boolean): ApplyOutcome {
    const c = this.config;
    const ds: { -readonly [K in keyof DiagnosticSignatureConfig]: DiagnosticSignatureConfig[K] } = {
      active: true,
      environment: [],
      ...c.diagnosticSignature,
    };
    const [cmd, a1, a2] = w;
    switch (cmd) {
      case 'active':
        ds.active = !negate;
        break;
      case 'profile':
        if (negate) delete ds.profile;
        else if (a1 === undefined || w.length !== 2) return fail('expected `profile <name>`');
        else ds.profile = a1;
        break;
      case 'environment': {
        if (a1 === undefined || !/^ds_\w+$/.test(a1)) return fail('expected `environment ds_<name> <value>`');
        const rest = ds.environment.filter((e) => e.name !== a1);
        if (negate) ds.environment = rest;
        else if (a2 === undefined || w.length !== 3) return fail('expected `environment ds_<name> <value>`');
        else ds.environment = [...rest, { name: a1, value: a2 }];
        break;
      }
      default:
        return IGNORED;
    }
    const isDefault = ds.active && ds.profile === undefined && ds.environment.length === 0;
    if (isDefault) delete c.diagnosticSignature;
    else c.diagnosticSignature = ds;
    return APPLIED;
  }

  private findProfile(name: string): WorkProfile | undefined {
    return this.config.profiles.find((p) => p.name.toLowerCase() === name.toLowerCase());
  }

  /** The profile a block applies to; CiscoTAC-1 is recreated with its defaults if missing. */
  private profileFor(name: string): WorkProfile {
    const found = this.findProfile(name);
    if (found) return found;
    const created = workProfile(
      name.toLowerCase() === CISCO_TAC_PROFILE.toLowerCase() ? tacDefaults(this.serial, this.train) : newUserProfile(name),
    );
    this.config.profiles.push(created);
    return created;
  }

  private profile(name: string, w: readonly string[], negate: boolean, isDefault: boolean): ApplyOutcome {
    const p = this.profileFor(name);
    const [cmd, a1, a2, a3] = w;
    switch (cmd) {
      case 'active':
        p.active = isDefault ? !p.predefined || tacDefaults(this.serial, this.train).active : !negate;
        return APPLIED;
      case 'anonymous-reporting-only':
        // Anonymous reporting applies to the predefined profile only (as the lab's CLI refuses it).
        if (!p.predefined) return fail(`anonymous reporting applies to ${CISCO_TAC_PROFILE} only`);
        p.mode = negate ? 'full' : 'anonymous';
        return APPLIED;
      case 'reporting':
        // `[no] reporting smart-call-home-data|smart-licensing-data|all` toggles what it names.
        if (a1 === 'smart-call-home-data' || a1 === 'all') p.reportSmartCallHome = !negate;
        if (a1 === 'smart-licensing-data' || a1 === 'all') p.reportSmartLicensing = !negate;
        return APPLIED;
      case 'destination':
        return this.destination(p, a1, a2, a3, negate || isDefault, w.length);
      case 'subscribe-to-alert-group':
        return this.subscribe(p, w.slice(1), negate || isDefault);
      default:
        return IGNORED;
    }
  }

  private destination(p: WorkProfile, a1: string | undefined, a2: string | undefined, a3: string | undefined, negate: boolean, count: number): ApplyOutcome {
    switch (a1) {
      case 'transport-method': {
        // `destination transport-method http`; CiscoTAC-1 has exactly one transport.
        if (a2 !== 'email' && a2 !== 'http') return fail('expected `destination transport-method email|http`');
        if (p.predefined) {
          if (!negate) {
            p.transportEmail = a2 === 'email';
            p.transportHttp = a2 === 'http';
          }
          return APPLIED;
        }
        if (a2 === 'email') p.transportEmail = !negate;
        else p.transportHttp = !negate;
        if (!p.transportEmail && !p.transportHttp) p.transportEmail = true; // turning both off brings email back
        return APPLIED;
      }
      case 'address': {
        // `destination address email noc@example.com` / `destination address http URL`
        if ((a2 !== 'email' && a2 !== 'http') || a3 === undefined || count !== 4) {
          if (negate && (a2 === 'email' || a2 === 'http') && a3 === undefined) {
            if (a2 === 'email' && !p.predefined) p.emailAddresses = [];
            if (a2 === 'http') p.httpUrls = p.predefined ? tacDefaults(this.serial, this.train).httpUrls.slice() : [];
            return APPLIED;
          }
          return fail('expected `destination address email|http <address>`');
        }
        if (p.predefined && a2 === 'email') return fail(`the e-mail destination of ${CISCO_TAC_PROFILE} cannot be modified`);
        if (p.predefined) {
          // CiscoTAC-1 has one HTTP destination: setting replaces it, `no` restores the default.
          p.httpUrls = negate ? tacDefaults(this.serial, this.train).httpUrls.slice() : [a3];
          return APPLIED;
        }
        const list = a2 === 'email' ? p.emailAddresses : p.httpUrls;
        const rest = list.filter((x) => x !== a3);
        const next = negate ? rest : list.includes(a3) ? list : [...list, a3];
        if (a2 === 'email') p.emailAddresses = next;
        else p.httpUrls = next;
        return APPLIED;
      }
      case 'preferred-msg-format': {
        const f = negate ? 'xml' : a2;
        if (f !== 'xml' && f !== 'long-text' && f !== 'short-text') return fail('expected `xml`, `long-text` or `short-text`');
        if (p.predefined && f !== 'xml') return fail(`${CISCO_TAC_PROFILE} sends xml only`);
        p.format = f;
        return APPLIED;
      }
      case 'message-size-limit':
      case 'message-size': {
        const n = negate ? 3_145_728 : intIn(a2, 50, 3_145_728);
        if (n === undefined) return fail('expected a message size of 50-3145728 bytes');
        p.messageSizeLimit = n;
        return APPLIED;
      }
      default:
        return IGNORED;
    }
  }

  private subscribe(p: WorkProfile, w: readonly string[], negate: boolean): ApplyOutcome {
    const group = w[0];
    if (group === 'all') {
      if (negate) {
        p.subscriptions = {};
        p.syslogPatterns = [];
      } else {
        for (const g of ALERT_GROUPS) p.subscriptions[g] ??= {};
      }
      return APPLIED;
    }
    if (!isAlertGroup(group)) return IGNORED;
    let severity: SeverityKeyword | undefined;
    let periodic: Periodic | undefined;
    let pattern: string | undefined;
    for (let i = 1; i < w.length; ) {
      const key = w[i];
      if (key === 'severity') {
        const s = w[i + 1] ?? '';
        if (!isSeverityKeyword(s)) return fail(`unknown severity \`${s}\``);
        severity = s;
        i += 2;
      } else if (key === 'pattern') {
        if (w[i + 1] === undefined) return fail('expected `pattern <string>`');
        pattern = w[i + 1];
        i += 2;
      } else if (key === 'periodic') {
        const count = w[i + 1] === 'weekly' || w[i + 1] === 'monthly' ? 3 : 2;
        periodic = parsePeriodicWords(w.slice(i + 1, i + 1 + count));
        if (!periodic) return fail('expected `periodic daily HH:MM | weekly DAY HH:MM | monthly D HH:MM`');
        i += 1 + count;
      } else {
        return fail(`unexpected \`${key ?? ''}\` in subscribe-to-alert-group`);
      }
    }
    if (negate) {
      // `no subscribe-to-alert-group syslog …` removes the subscription and all its patterns.
      delete p.subscriptions[group];
      if (group === 'syslog') p.syslogPatterns = [];
      return APPLIED;
    }
    if (group === 'syslog' && (pattern !== undefined || p.syslogPatterns.length > 0)) {
      // Each pattern is one entry; the same pattern again replaces its severity.
      const pat = pattern ?? '.*';
      p.syslogPatterns = [...p.syslogPatterns.filter((x) => x.pattern !== pat), { pattern: pat, severity: severity ?? 'debugging' }];
    }
    const sub: { severity?: SeverityKeyword; periodic?: Periodic } = {};
    if (severity) sub.severity = severity;
    if (periodic) sub.periodic = periodic;
    p.subscriptions[group] = sub;
    return APPLIED;
  }

  private snapshot(w: readonly string[], negate: boolean): ApplyOutcome {
    // `add-command "show version"`
    if (w[0] !== 'add-command') return IGNORED;
    const command = w[1];
    if (command === undefined || w.length !== 2) return fail('expected `add-command "<command>"`');
    if (command.length > 128) return fail('a snapshot command has at most 128 characters');
    const rest = this.config.snapshotCommands.filter((x) => x !== command);
    this.config.snapshotCommands = negate ? rest : [...rest, command];
    return APPLIED;
  }
}
