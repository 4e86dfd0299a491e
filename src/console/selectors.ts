/** Pure derivations of the rows each screen shows, shared by the views, the intents and the dashboard. */
import { adminRowCount } from './admin.js';
import { z } from 'zod';
import type { CaseSummary, MessageSummary } from '../events/protocol.js';
import { STATS_ROWS, STATS_SECTIONS, type StatsCell, type StatsRow, type StatsSection } from '../domain/statistics.js';
import type { ConsoleState, DeviceRow, FleetHost, NotificationView, FleetHostResult, FleetSort, ScreenName, VerifyRow } from './types.js';

export type MailRow = { readonly host: string; readonly address: string; readonly priority: number; readonly available: boolean | null; readonly error: string | null };

const MailData = z.object({ servers: z.array(z.object({ address: z.string(), priority: z.number(), available: z.boolean() })) });
const Cell = z.object({ total: z.number(), email: z.number(), http: z.number() });
const StatsData = z.object({ sections: z.record(z.string(), z.record(z.string(), Cell)), lastSent: z.string().nullable().optional() });
const ProfilesData = z.object({
  profiles: z.array(z.object({ name: z.string(), active: z.boolean() })),
  serviceEnabled: z.boolean().nullable().optional(),
});

/** Mail servers per host from the last `mail-status` run. */
export function mailRows(state: ConsoleState): MailRow[] {
  const rows: MailRow[] = [];
  for (const h of state.fleet) {
    const r = h.results['mail-status'];
    if (r === undefined) continue;
    if (!r.ok) {
      rows.push({ host: h.name, address: '-', priority: 0, available: null, error: r.error?.message ?? 'failed' });
      continue;
    }
    const parsed = MailData.safeParse(r.data);
    if (!parsed.success || parsed.data.servers.length === 0) {
      rows.push({ host: h.name, address: '(none configured)', priority: 0, available: null, error: null });
      continue;
    }
    for (const s of parsed.data.servers) rows.push({ host: h.name, address: s.address, priority: s.priority, available: s.available, error: null });
  }
  return rows;
}

/** A Transport Gateway on the mail screen (S96): its mailbox, last poll, queue, forwarding and store. */
export type GatewayMailRow = {
  readonly name: string;
  readonly company: string | null;
  /** `connected`, `failed: reason`, `none` (no mailbox) or `-` (no report yet). */
  readonly mailbox: string;
  readonly mailboxOk: boolean | null;
  readonly lastPoll: string | null;
  /** Counts as text ('-' before the first report); Send is the Send flag, Yes or No. */
  readonly queued: string;
  readonly held: string;
  readonly send: string;
  readonly forwarding: string;
  readonly forwardingOk: boolean | null;
  readonly storeFull: boolean;
  readonly reportedAt: string | null;
};

/** One row per gateway, by name. */
export function gatewayRows(state: ConsoleState): GatewayMailRow[] {
  return Object.values(state.gateways)
    .map((g): GatewayMailRow => {
      const s = g.status;
      if (s === null) return { name: g.name, company: g.company, mailbox: '-', mailboxOk: null, lastPoll: null, queued: '-', held: '-', send: '-', forwarding: 'no report', forwardingOk: null, storeFull: false, reportedAt: null };
      const m = s.mailbox;
      return {
        name: g.name,
        company: g.company,
        mailbox: m === null ? 'none' : m.state === 'failed' ? `failed: ${m.lastError ?? ''}` : m.state,
        mailboxOk: m === null ? null : m.state === 'connected',
        lastPoll: m?.lastPoll ?? null,
        queued: String(s.queue.queued),
        held: String(s.queue.held),
        send: s.sendFlag ? 'Yes' : 'No',
        forwarding: s.forwarding.state === 'ok' ? 'ok' : `failing: ${s.forwarding.lastError ?? ''}`,
        forwardingOk: s.forwarding.state === 'ok',
        storeFull: s.queue.full,
        reportedAt: s.reportedAt,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Profiles (name, active) a host reported, or null when not read yet. */
export function hostProfiles(host: FleetHost): { name: string; active: boolean }[] | null {
  const r = host.results.profiles;
  if (r === undefined || !r.ok) return null;
  const parsed = ProfilesData.safeParse(r.data);
  return parsed.success ? parsed.data.profiles : null;
}

/** `service call-home` state from the last profiles refresh: true / false, or null when unknown. */
export function hostServiceEnabled(host: FleetHost): boolean | null {
  const r = host.results.profiles;
  if (r === undefined || !r.ok) return null;
  const parsed = ProfilesData.safeParse(r.data);
  return parsed.success ? (parsed.data.serviceEnabled ?? null) : null;
}

/** The back-end device an inventory host corresponds to (by serial, else hostname). */
export function deviceForHost(state: ConsoleState, host: FleetHost): DeviceRow | undefined {
  if (host.serial !== null) {
    const bySerial = state.devices[host.serial];
    if (bySerial !== undefined) return bySerial;
  }
  const name = (host.hostname ?? host.name).toLowerCase();
  return Object.values(state.devices).find((d) => d.hostname.toLowerCase() === name);
}

export type StatsTotals = Record<StatsSection, Partial<Record<StatsRow, StatsCell>>>;

/** Statistics of one host, or the sum over the fleet when `host` is null. */
export function statsTotals(state: ConsoleState, host: string | null): { totals: StatsTotals; devices: number } {
  const totals: StatsTotals = { success: {}, inQueue: {}, failed: {}, ratelimitDropped: {} };
  let devices = 0;
  for (const h of state.fleet) {
    if (host !== null && h.name !== host) continue;
    const r = h.results.stats;
    if (r === undefined || !r.ok) continue;
    const parsed = StatsData.safeParse(r.data);
    if (!parsed.success) continue;
    devices++;
    for (const section of STATS_SECTIONS) {
      const table = parsed.data.sections[section] ?? {};
      for (const row of STATS_ROWS) {
        const cell = table[row];
        if (cell === undefined) continue;
        const prev = totals[section][row] ?? { total: 0, email: 0, http: 0 };
        totals[section][row] = { total: prev.total + cell.total, email: prev.email + cell.email, http: prev.http + cell.http };
      }
    }
  }
  return { totals, devices };
}

/** Hosts that have statistics, for the drill-down list. */
export function statsHosts(state: ConsoleState): string[] {
  return state.fleet.filter((h) => h.results.stats?.ok === true).map((h) => h.name);
}

/** Devices by registration state, hostname order. */
export function registrationRows(state: ConsoleState): DeviceRow[] {
  return Object.values(state.devices)
    .filter((d) => d.registration !== 'deleted')
    .sort((a, b) => a.hostname.localeCompare(b.hostname, 'en', { numeric: true }) || a.serial.localeCompare(b.serial));
}

/** Whole days left of a trial (0 when over), or null when there is no trial end. */
export function trialDaysLeft(trialEndsAt: string | null, now: number): number | null {
  if (trialEndsAt === null) return null;
  const end = Date.parse(trialEndsAt);
  if (Number.isNaN(end)) return null;
  return Math.max(0, Math.ceil((end - now) / 86_400_000));
}

/** Days at or under which a countdown is shown as "expiring soon" (the first "about to expire" mail, README). */
export const EXPIRING_SOON_DAYS = 30;

/**
 * The registration screen's countdown (S96): a trial's days left, a contract's or warranty's days left, or
 * null. A trial counts down to its trial end; it cannot outlive its profile contract, but that is the back end's to say.
 */
export function expiryCountdown(d: Pick<DeviceRow, 'registration' | 'trialEndsAt' | 'coverageEndsAt'>, now: number): { readonly what: 'trial' | 'contract'; readonly days: number } | null {
  if (d.registration === 'trial') {
    const days = trialDaysLeft(d.trialEndsAt, now);
    return days === null ? null : { what: 'trial', days };
  }
  if (d.registration !== 'registered') return null;
  const days = trialDaysLeft(d.coverageEndsAt ?? null, now);
  return days === null ? null : { what: 'contract', days };
}

export type CaseOrNotification =
  | { readonly kind: 'case'; readonly item: CaseSummary }
  | { readonly kind: 'notification'; readonly item: NotificationView };

/** Cases first (newest update first), then notifications. */
export function caseRows(state: ConsoleState): CaseOrNotification[] {
  const cases = [...state.cases].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).map((item) => ({ kind: 'case' as const, item }));
  const notes = state.notifications.map((item) => ({ kind: 'notification' as const, item }));
  return [...cases, ...notes];
}

/** How many rows the screen's list has (for cursor bounds). */
export function listLength(state: ConsoleState, screen: ScreenName = state.screen): number {
  switch (screen) {
    case 'fleet':
      return fleetRows(state).length;
    case 'messages':
      return state.messages.items.length;
    case 'mail':
      return mailRows(state).length;
    case 'registration':
      return registrationRows(state).length;
    case 'statistics':
      return statsHosts(state).length + 1;
    case 'cases':
      return caseRows(state).length;
    case 'verify':
      return state.verify.length;
    case 'admin':
      return adminRowCount(state.admin);
  }
}

/** The message under the cursor on the history screen. */
export function selectedMessage(state: ConsoleState): MessageSummary | undefined {
  return state.messages.items[state.cursor.messages];
}

/** Verify rows that failed. */
export function failedVerify(state: ConsoleState): VerifyRow[] {
  return state.verify.filter((v) => v.brokenAt !== null);
}

/** A host's state word: the operation running on it, `up`, `down`, or `unknown` before the first read. */
export function hostState(h: FleetHost): string {
  return h.running !== null ? `${h.running}…` : h.reachable === null ? 'unknown' : h.reachable ? 'up' : 'down';
}

/** The most telling last result of a host (push, then send, then the profiles read). */
export function lastResult(h: FleetHost): FleetHostResult | undefined {
  return h.results.push ?? h.results.send ?? h.results.verify ?? h.results.profiles;
}

/** `drift`: `in sync`, `N cmds` (commands a push would send), or `unknown`. */
export function driftText(h: FleetHost): string {
  return h.drift === null ? 'unknown' : h.drift.length === 0 ? 'in sync' : plural(h.drift.length, 'cmd');
}

/** `1 host`, `2 hosts`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function sortValue(state: ConsoleState, h: FleetHost, sort: FleetSort): string | number {
  switch (sort) {
    case 'host':
      return h.name;
    case 'state':
      return h.reachable === null ? 1 : h.reachable ? 2 : 0;
    case 'drift':
      return h.drift === null ? -1 : h.drift.length;
    case 'registration':
      return deviceForHost(state, h)?.registration ?? '';
    case 'last message':
      return deviceForHost(state, h)?.lastMessageAt ?? '';
    case 'last result': {
      const r = lastResult(h);
      return r === undefined ? 1 : r.ok ? 2 : 0;
    }
  }
}

/** The fleet screen's rows: the `/` filter (name, hostname, address, serial; any case) and the sort. */
export function fleetRows(state: ConsoleState): FleetHost[] {
  const { filter, sort, descending } = state.fleetView;
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = state.fleet.filter((h) => {
    const hay = `${h.name} ${h.hostname ?? ''} ${h.address} ${h.serial ?? ''} ${hostState(h)}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  const byName = (a: FleetHost, b: FleetHost): number => a.name.localeCompare(b.name, 'en', { numeric: true });
  rows.sort((a, b) => {
    const va = sortValue(state, a, sort);
    const vb = sortValue(state, b, sort);
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), 'en', { numeric: true });
    return (descending ? -c : c) || byName(a, b);
  });
  return rows;
}

/** The host under the cursor on the fleet screen. */
export function selectedFleetHost(state: ConsoleState): FleetHost | undefined {
  return fleetRows(state)[state.cursor.fleet];
}

export type FleetTotals = { readonly hosts: number; readonly up: number; readonly down: number; readonly unknown: number; readonly drifted: number; readonly failed: number };

/** Up / down / drifted / failed over the whole fleet (not only the filtered rows). */
export function fleetTotals(state: ConsoleState): FleetTotals {
  const f = state.fleet;
  return {
    hosts: f.length,
    up: f.filter((h) => h.reachable === true).length,
    down: f.filter((h) => h.reachable === false).length,
    unknown: f.filter((h) => h.reachable === null).length,
    drifted: f.filter((h) => h.drift !== null && h.drift.length > 0).length,
    failed: f.filter((h) => lastResult(h)?.ok === false).length,
  };
}

/** Drift as a diff: `- X` for each `no X` the push would send, `+ line` for the rest. */
export function driftDiff(commands: readonly string[]): string[] {
  return commands.map((c) => {
    const t = c.trim();
    const depth = c.length - c.trimStart().length;
    return t.startsWith('no ') ? `- ${' '.repeat(depth)}${t.slice(3)}` : `+ ${c}`;
  });
}

/** Messages of the device behind a host, newest first, from the loaded window. */
export function hostMessages(state: ConsoleState, h: FleetHost, limit = 5): MessageSummary[] {
  const device = deviceForHost(state, h);
  const names = new Set([h.serial, h.hostname, device?.serial, device?.hostname].filter((x): x is string => x !== null && x !== undefined && x !== '').map((x) => x.toLowerCase()));
  return state.messages.items.filter((m) => names.has(m.serial.toLowerCase()) || names.has(m.hostname.toLowerCase())).slice(0, limit);
}

/** The security token of the newest pending-registration notification for a serial, when its body is known. */
export function pendingToken(state: ConsoleState, serial: string): string | null {
  for (const n of state.notifications) {
    if (n.kind !== 'pending-registration' || n.serial !== serial || n.body === undefined) continue;
    const token = /Security token: (\S+)/.exec(n.body)?.[1];
    if (token !== undefined) return token;
  }
  return null;
}
