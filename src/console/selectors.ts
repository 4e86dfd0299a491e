/** Pure derivations of the rows each screen shows, shared by the views, the intents and the dashboard. */
import { z } from 'zod';
import type { CaseSummary, MessageSummary, NotificationSummary } from '../events/protocol.js';
import { STATS_ROWS, STATS_SECTIONS, type StatsCell, type StatsRow, type StatsSection } from '../domain/statistics.js';
import type { ConsoleState, DeviceRow, FleetHost, ScreenName, VerifyRow } from './types.js';

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

export type CaseOrNotification =
  | { readonly kind: 'case'; readonly item: CaseSummary }
  | { readonly kind: 'notification'; readonly item: NotificationSummary };

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
      return state.fleet.length;
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
