/**
 * The push planner: the minimal ordered IOS command list (as typed after `configure terminal`,
 * without the final `end`, which the driver adds) that takes a device's Call Home configuration
 * to the desired one, a running-config diff for `--dry-run`, and the same comparison as
 * mismatches for verification.
 *
 * Decisions (IOS semantics as the lab implements them, spec §2):
 * - Order: `service call-home` (or `no …`), then `call-home` and its settings; mail servers and
 *   profiles are removed before others are added, so the 5-server limit holds in between;
 *   each `profile "name"` and `alert-group-config snapshot` block ends with `exit`.
 * - Re-entering `mail-server HOST priority N` changes the priority of HOST; no `no` is needed.
 * - Re-entering `subscribe-to-alert-group G …` replaces G's subscription. For syslog, each
 *   pattern is an entry; `no subscribe-to-alert-group syslog` removes all of them, which is
 *   sent first whenever an unwanted pattern must go.
 * - Transports of a user profile are switched on before others are switched off, so both are
 *   never off at once (that would bring e-mail back). CiscoTAC-1 has exactly one transport, and
 *   its e-mail destination and format are fixed (the desired-config validator refuses them).
 * - `--prune` removes user profiles and mail servers not listed, but only for a list the
 *   desired configuration gives. CiscoTAC-1 is never removed or deactivated by pruning: it
 *   carries Smart Call Home entitlement; list it with `active: false` to deactivate it.
 * - Lists under a named key are complete: `email`, `http`, `subscriptions` and
 *   `snapshot-commands` say everything the device should have.
 */
import {
  ALERT_GROUPS,
  newUserProfile,
  type AlertGroup,
  type CallHomeConfig,
  type Profile,
} from '../domain/callhome.js';
import { periodicWords, quoteIfNeeded as quoteArg } from '../ios/config/index.js';
import type { DesiredConfig, DesiredText } from './desired.js';
import {
  profileSubscriptions,
  targetFromConfig,
  targetFromDesired,
  type EffectiveSubscription,
  type PlanTarget,
  type SyslogEntry,
  type TargetProfile,
} from './plan-target.js';

/** One line of the dry-run diff: `+` added, `-` removed, ` ` context (`call-home`, `profile "x"`). */
export type DiffLine = { readonly op: '+' | '-' | ' '; readonly text: string };

/** One setting that differs: where, what it should be, what it is. */
export type Mismatch = { readonly path: string; readonly expected: unknown; readonly actual: unknown };

/** A plan for one device. */
export type PushPlan = {
  readonly changed: boolean;
  /** The settings that differ (the same list verifyConfig returns, plus pruned items). */
  readonly changes: readonly Mismatch[];
  readonly diff: readonly DiffLine[];
  readonly commands: readonly string[];
};

/** Options of planPush. */
export type PlanOptions = { readonly prune: boolean };

/** Commands and diff lines of one section (global, call-home, one block). */
type Section = { commands: string[]; diff: DiffLine[] };
const section = (): Section => ({ commands: [], diff: [] });

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const lower = (s: string): string => s.toLowerCase();

class Planner {
  readonly changes: Mismatch[] = [];
  readonly global = section();
  readonly callHome = section();
  readonly snapshot = section();
  readonly removedProfiles = section();
  readonly profiles: { header: string; created: boolean; body: Section }[] = [];

  constructor(
    private readonly current: CallHomeConfig,
    private readonly target: PlanTarget,
    private readonly prune: boolean,
  ) {}

  run(): PushPlan {
    this.service();
    this.texts();
    this.httpProxy();
    this.mailServers();
    this.scalars();
    this.alertGroups();
    this.snapshotCommands();
    this.profileSet();
    return this.assemble();
  }

  private change(path: string, expected: unknown, actual: unknown): void {
    this.changes.push({ path, expected, actual });
  }

  private service(): void {
    const want = this.target.service;
    if (want === undefined || want === this.current.serviceEnabled) return;
    this.change('service', want ? 'enabled' : 'disabled', this.current.serviceEnabled ? 'enabled' : 'disabled');
    this.global.commands.push(want ? 'service call-home' : 'no service call-home');
    this.global.diff.push({ op: want ? '+' : '-', text: 'service call-home' });
  }

  private text(path: string, command: string, want: DesiredText, have: string | undefined): void {
    if (want === undefined || want === (have ?? null)) return;
    this.change(path, want, have ?? null);
    const s = this.callHome;
    if (have !== undefined) s.diff.push({ op: '-', text: ` ${command} ${quoteArg(have)}` });
    if (want === null) {
      s.commands.push(`no ${command}`);
      return;
    }
    s.commands.push(`${command} ${quoteArg(want)}`);
    s.diff.push({ op: '+', text: ` ${command} ${quoteArg(want)}` });
  }

  private texts(): void {
    const t = this.target;
    const c = this.current;
    this.text('contact-email', 'contact-email-addr', t.contactEmail, c.contactEmail);
    this.text('phone-number', 'phone-number', t.phoneNumber, c.phoneNumber);
    this.text('street-address', 'street-address', t.streetAddress, c.streetAddress);
    this.text('customer-id', 'customer-id', t.customerId, c.customerId);
    this.text('site-id', 'site-id', t.siteId, c.siteId);
    this.text('contract-id', 'contract-id', t.contractId, c.contractId);
    this.text('sender.from', 'sender from', t.senderFrom, c.senderFrom);
    this.text('sender.reply-to', 'sender reply-to', t.senderReplyTo, c.senderReplyTo);
    this.text('source-interface', 'source-interface', t.sourceInterface, c.sourceInterface);
    this.text('source-ip-address', 'source-ip-address', t.sourceIpAddress, c.sourceIpAddress);
    this.text('vrf', 'vrf', t.vrf, c.vrf);
  }

  private httpProxy(): void {
    const want = this.target.httpProxy;
    const have = this.current.httpProxy;
    if (want === undefined || same(want, have ?? null)) return;
    this.change('http-proxy', want, have ?? null);
    const s = this.callHome;
    if (have) s.diff.push({ op: '-', text: ` http-proxy "${have.host}" port ${have.port}` });
    if (want === null) {
      s.commands.push('no http-proxy');
      return;
    }
    const line = `http-proxy "${want.host}" port ${want.port}`;
    s.commands.push(line);
    s.diff.push({ op: '+', text: ` ${line}` });
  }

  private mailServers(): void {
    const want = this.target.mailServers;
    if (!want) return;
    const s = this.callHome;
    const have = this.current.mailServers;
    if (this.prune) {
      for (const m of have) {
        if (want.some((w) => lower(w.address) === lower(m.host))) continue;
        this.change(`mail-servers.${m.host}`, null, m.priority);
        s.commands.push(`no mail-server ${m.host}`);
        s.diff.push({ op: '-', text: ` mail-server ${m.host} priority ${m.priority}` });
      }
    }
    for (const w of want) {
      const m = have.find((x) => lower(x.host) === lower(w.address));
      if (m?.priority === w.priority) continue;
      this.change(`mail-servers.${w.address}`, w.priority, m?.priority ?? null);
      if (m) s.diff.push({ op: '-', text: ` mail-server ${m.host} priority ${m.priority}` });
      s.commands.push(`mail-server ${w.address} priority ${w.priority}`);
      s.diff.push({ op: '+', text: ` mail-server ${w.address} priority ${w.priority}` });
    }
  }

  private scalar(path: string, want: string | number | undefined, have: string | number, line: (v: string | number) => string): void {
    if (want === undefined || want === have) return;
    this.change(path, want, have);
    this.callHome.commands.push(line(want));
    this.callHome.diff.push({ op: '-', text: ` ${line(have)}` }, { op: '+', text: ` ${line(want)}` });
  }

  private flag(path: string, want: boolean | undefined, have: boolean, command: string): void {
    if (want === undefined || want === have) return;
    this.change(path, want, have);
    this.callHome.commands.push(want ? command : `no ${command}`);
    this.callHome.diff.push({ op: want ? '+' : '-', text: ` ${command}` });
  }

  private scalars(): void {
    this.scalar('rate-limit', this.target.rateLimit, this.current.rateLimit, (v) => `rate-limit ${v}`);
    this.flag('syslog-throttling', this.target.syslogThrottling, this.current.syslogThrottling, 'syslog-throttling');
    this.scalar('data-privacy', this.target.dataPrivacyLevel, this.current.dataPrivacyLevel, (v) => `data-privacy level ${v}`);
  }

  private alertGroups(): void {
    const want = this.target.alertGroups;
    if (!want) return;
    for (const g of ALERT_GROUPS) this.flag(`alert-groups.${g}`, want[g], this.current.alertGroupEnabled[g], `alert-group ${g}`);
  }

  private snapshotCommands(): void {
    const want = this.target.snapshotCommands;
    const have = this.current.snapshotCommands;
    if (!want || same(want, have)) return;
    this.change('snapshot-commands', want, have);
    const s = this.snapshot;
    const kept = have.filter((c) => want.includes(c));
    const line = (c: string): string => `add-command "${c}"`;
    if (kept.length > 0 && same(kept, want.slice(0, kept.length))) {
      // Keep the common head; remove what goes, append what is new.
      for (const c of have) {
        if (want.includes(c)) continue;
        s.commands.push(`no ${line(c)}`);
        s.diff.push({ op: '-', text: `  ${line(c)}` });
      }
      for (const c of want.slice(kept.length)) {
        s.commands.push(line(c));
        s.diff.push({ op: '+', text: `  ${line(c)}` });
      }
      return;
    }
    // Order changed: clear the list and write it again.
    if (have.length > 0) this.callHome.commands.push('no alert-group-config snapshot');
    for (const c of have) s.diff.push({ op: '-', text: `  ${line(c)}` });
    for (const c of want) {
      s.commands.push(line(c));
      s.diff.push({ op: '+', text: `  ${line(c)}` });
    }
  }

  private profileSet(): void {
    const wanted = this.target.profiles;
    if (!wanted) return;
    const names = Object.keys(wanted);
    if (this.prune) {
      for (const p of this.current.profiles) {
        if (p.predefined || names.some((n) => lower(n) === lower(p.name))) continue;
        this.change(`profiles.${p.name}`, null, 'present');
        this.removedProfiles.commands.push(`no profile "${p.name}"`);
        this.removedProfiles.diff.push({ op: '-', text: ` profile "${p.name}"` });
      }
    }
    for (const name of names) {
      const want = wanted[name];
      if (want) this.profile(name, want);
    }
  }

  private profile(name: string, want: TargetProfile): void {
    const found = this.current.profiles.find((p) => lower(p.name) === lower(name));
    const have: Profile = found ?? newUserProfile(name);
    const pname = have.name;
    const body = section();
    const path = (key: string): string => `profiles.${pname}.${key}`;
    const add = (command: string, op: '+' | '-' = '+', shown = command): void => {
      body.commands.push(command);
      body.diff.push({ op, text: `  ${shown}` });
    };
    if (!found) this.change(`profiles.${pname}`, 'present', null);

    if (want.active !== undefined && want.active !== have.active) {
      this.change(path('active'), want.active, have.active);
      add(want.active ? 'active' : 'no active', want.active ? '+' : '-', 'active');
    }
    this.transport(have, want, body, path('transport'));
    this.addresses(have, 'email', want.email, have.emailAddresses, body, path('email'));
    this.addresses(have, 'http', want.http, have.httpUrls, body, path('http'));
    if (want.format !== undefined && want.format !== have.format) {
      this.change(path('format'), want.format, have.format);
      body.diff.push({ op: '-', text: `  destination preferred-msg-format ${have.format}` });
      add(`destination preferred-msg-format ${want.format}`);
    }
    if (want.messageSize !== undefined && want.messageSize !== have.messageSizeLimit) {
      this.change(path('message-size'), want.messageSize, have.messageSizeLimit);
      body.diff.push({ op: '-', text: `  destination message-size-limit ${have.messageSizeLimit}` });
      add(`destination message-size-limit ${want.messageSize}`);
    }
    this.subscriptions(have, want, body, path('subscriptions'));
    if (found && body.commands.length === 0) return;
    this.profiles.push({ header: `profile "${pname}"`, created: !found, body });
  }

  private transport(have: Profile, want: TargetProfile, body: Section, path: string): void {
    const email = want.transportEmail ?? have.transportEmail;
    const http = want.transportHttp ?? have.transportHttp;
    if (email === have.transportEmail && http === have.transportHttp) return;
    const names = (e: boolean, h: boolean): string[] => [...(e ? ['email'] : []), ...(h ? ['http'] : [])];
    this.change(path, names(email, http), names(have.transportEmail, have.transportHttp));
    const on = (m: string): void => {
      body.commands.push(`destination transport-method ${m}`);
      body.diff.push({ op: '+', text: `  destination transport-method ${m}` });
    };
    if (have.predefined) {
      on(http ? 'http' : 'email');
      return;
    }
    if (email && !have.transportEmail) on('email');
    if (http && !have.transportHttp) on('http');
    for (const [m, now, was] of [['email', email, have.transportEmail], ['http', http, have.transportHttp]] as const) {
      if (now || !was) continue;
      body.commands.push(`no destination transport-method ${m}`);
      body.diff.push({ op: '-', text: `  destination transport-method ${m}` });
    }
  }

  private addresses(have: Profile, kind: 'email' | 'http', want: readonly string[] | undefined, current: readonly string[], body: Section, path: string): void {
    if (!want) return;
    const key = (s: string): string => (kind === 'email' ? lower(s) : s);
    const wantKeys = want.map(key);
    const haveKeys = current.map(key);
    if (wantKeys.length === haveKeys.length && wantKeys.every((k) => haveKeys.includes(k))) return;
    this.change(path, want, current);
    const line = (a: string): string => `destination address ${kind} ${a}`;
    if (have.predefined) {
      // CiscoTAC-1 has one HTTP destination; setting it replaces the old one.
      for (const a of current) body.diff.push({ op: '-', text: `  ${line(a)}` });
      for (const a of want) {
        body.commands.push(line(a));
        body.diff.push({ op: '+', text: `  ${line(a)}` });
      }
      return;
    }
    for (const a of current) {
      if (wantKeys.includes(key(a))) continue;
      body.commands.push(`no ${line(a)}`);
      body.diff.push({ op: '-', text: `  ${line(a)}` });
    }
    for (const a of want) {
      if (haveKeys.includes(key(a))) continue;
      body.commands.push(line(a));
      body.diff.push({ op: '+', text: `  ${line(a)}` });
    }
  }

  private subscriptions(have: Profile, want: TargetProfile, body: Section, path: string): void {
    const target = want.subscriptions;
    if (!target) return;
    const current = profileSubscriptions(have);
    const base = 'subscribe-to-alert-group';
    for (const g of ALERT_GROUPS) {
      if (g === 'syslog') continue;
      const w = target.groups[g];
      const h = current.groups[g];
      if (same(w, h)) continue;
      this.change(`${path}.${g}`, w ?? null, h ?? null);
      if (h) body.diff.push({ op: '-', text: `  ${subscribeLine(g, h)}` });
      if (!w) {
        body.commands.push(`no ${base} ${g}`);
        continue;
      }
      body.commands.push(subscribeLine(g, w));
      body.diff.push({ op: '+', text: `  ${subscribeLine(g, w)}` });
    }
    this.syslog(current.syslog, target.syslog, want, body, `${path}.syslog`);
  }

  private syslog(have: readonly SyslogEntry[] | undefined, want: readonly SyslogEntry[] | undefined, target: TargetProfile, body: Section, path: string): void {
    if (same(have, want)) return;
    this.change(path, want ?? null, have ?? null);
    const base = 'subscribe-to-alert-group syslog';
    const entryLine = (e: SyslogEntry): string => `${base} severity ${e.severity} pattern "${e.pattern}"`;
    for (const e of have ?? []) body.diff.push({ op: '-', text: `  ${entryLine(e)}` });
    const wantPatterns = new Set((want ?? []).map((e) => e.pattern));
    // Entries are removed all at once; send the `no` whenever one of the current patterns must go.
    const clear = have !== undefined && (!want || have.some((e) => !wantPatterns.has(e.pattern)));
    if (clear) body.commands.push(`no ${base}`);
    const written = target.syslogWritten;
    for (const e of want ?? []) {
      // After a `no`, or with nothing yet, every entry is sent; otherwise only those that differ.
      if (!clear && have?.some((h) => same(h, e))) continue;
      // A single subscription is written as the user wrote it (a plain `.*` needs no pattern keyword).
      const line =
        written && written.patterns === undefined
          ? `${base}${written.severity ? ` severity ${written.severity}` : ''}${written.pattern !== undefined ? ` pattern "${written.pattern}"` : ''}`
          : entryLine(e);
      body.commands.push(line);
      body.diff.push({ op: '+', text: `  ${line}` });
    }
  }

  private assemble(): PushPlan {
    const commands: string[] = [...this.global.commands];
    const diff: DiffLine[] = [...this.global.diff];
    const chCommands = [...this.callHome.commands, ...this.removedProfiles.commands];
    const needCallHome = chCommands.length > 0 || this.snapshot.commands.length > 0 || this.profiles.length > 0;
    if (needCallHome) {
      commands.push('call-home', ...this.callHome.commands);
      diff.push({ op: ' ', text: 'call-home' }, ...this.callHome.diff);
      if (this.snapshot.commands.length > 0) {
        commands.push('alert-group-config snapshot', ...this.snapshot.commands, 'exit');
      }
      if (this.snapshot.diff.length > 0) diff.push({ op: ' ', text: ' alert-group-config snapshot' }, ...this.snapshot.diff);
      commands.push(...this.removedProfiles.commands);
      diff.push(...this.removedProfiles.diff);
      for (const p of this.profiles) {
        commands.push(p.header, ...p.body.commands, 'exit');
        diff.push({ op: p.created ? '+' : ' ', text: ` ${p.header}` }, ...p.body.diff);
      }
    }
    return { changed: commands.length > 0, changes: this.changes, diff, commands };
  }
}

/** `subscribe-to-alert-group G [periodic …|severity S]` for a non-syslog group. */
function subscribeLine(group: AlertGroup, sub: EffectiveSubscription): string {
  if (sub.periodic) return `subscribe-to-alert-group ${group} periodic ${periodicWords(sub.periodic)}`;
  if (sub.severity) return `subscribe-to-alert-group ${group} severity ${sub.severity}`;
  return `subscribe-to-alert-group ${group}`;
}

/** Plans the commands that take `current` to `desired` (see the module comment for the rules). */
export function planPush(current: CallHomeConfig, desired: DesiredConfig, options: PlanOptions): PushPlan {
  return new Planner(current, targetFromDesired(desired), options.prune).run();
}

/**
 * Plans the commands that return a device to a configuration read before a push (after a
 * failed push). It restores every setting push can change; profile mode and reporting data,
 * which push never changes, are not touched.
 */
export function planRestore(current: CallHomeConfig, previous: CallHomeConfig): PushPlan {
  return new Planner(current, targetFromConfig(previous), true).run();
}

/** The settings named in `desired` that `current` does not have; empty when the device is as desired. */
export function verifyConfig(current: CallHomeConfig, desired: DesiredConfig): Mismatch[] {
  return [...new Planner(current, targetFromDesired(desired), false).run().changes];
}
