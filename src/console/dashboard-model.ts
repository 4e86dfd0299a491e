/** The wall dashboard's data, derived purely from the console state (the blessed view only draws it). */
import { severityKeyword } from '../domain/severity.js';
import { REGISTRATION_ORDER } from './registration-order.js';
import { mailRows } from './selectors.js';
import type { ConsoleState } from './types.js';

export type DashboardModel = {
  readonly perMinute: { readonly x: readonly string[]; readonly y: readonly number[] };
  readonly severity: { readonly titles: readonly string[]; readonly data: readonly number[] };
  readonly registration: readonly { readonly label: string; readonly count: number; readonly percent: number }[];
  readonly mail: { readonly headers: readonly string[]; readonly data: readonly (readonly string[])[] };
  readonly critical: readonly string[];
  readonly status: string;
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** Builds the model for `minutes` of history ending at `now`. */
export function dashboardModel(state: ConsoleState, now: number, minutes = 30): DashboardModel {
  const nowMinute = Math.floor(now / 60_000);
  const x: string[] = [];
  const y: number[] = [];
  for (let m = nowMinute - minutes + 1; m <= nowMinute; m++) {
    const d = new Date(m * 60_000);
    x.push(`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`);
    y.push(state.perMinute[m] ?? 0);
  }
  const devices = Object.values(state.devices);
  const registration = REGISTRATION_ORDER.map((label) => {
    const count = devices.filter((d) => d.registration === label).length;
    return { label, count, percent: devices.length === 0 ? 0 : Math.round((count / devices.length) * 100) };
  }).filter((r) => r.count > 0);
  const smtp = state.listeners.smtp;
  const mail = [
    ['back end', smtp?.port !== undefined && smtp.port !== null ? `SMTP :${smtp.port}` : 'SMTP', smtp === undefined ? '?' : smtp.state === 'listening' ? 'Available' : 'Not Available'],
    ...mailRows(state).map((r) => [r.host, r.address, r.error !== null ? 'SSH failed' : r.available === null ? '-' : r.available ? 'Available' : 'Not Available']),
  ];
  const critical = state.messages.items
    .filter((m) => m.severity >= 6)
    .slice(0, 12)
    .map((m) => `${m.receivedAt.slice(11, 19)} ${m.hostname || m.serial} ${severityKeyword(m.severity)} ${m.eventName}: ${m.description}`);
  return {
    perMinute: { x, y },
    severity: { titles: state.severityCounts.map((_, i) => severityKeyword(i).slice(0, 5)), data: [...state.severityCounts] },
    registration,
    mail: { headers: ['Device', 'Server', 'Status'], data: mail },
    critical,
    status: `${state.connection.kind} · seq ${state.lastSeq} · ${state.received} messages`,
  };
}
