/** The wall dashboard's data, derived purely from the console state (the blessed view only draws it). */
import { SEVERITY_KEYWORDS } from '../domain/severity.js';
import { terminalSafe } from '../util/terminal-text.js';
import { REGISTRATION_ORDER } from './registration-order.js';
import { mailRows } from './selectors.js';
import { formatTime } from './time-style.js';
import type { ConsoleState } from './types.js';

/** A condition the wall shows large, over everything else, with the back end's URL. */
export type WallAlarm = { readonly title: string; readonly lines: readonly string[] };

export type DashboardModel = {
  readonly perMinute: { readonly x: readonly string[]; readonly y: readonly number[] };
  /** Messages received per Call Home severity, whole words, most severe first. */
  readonly severity: readonly { readonly label: string; readonly count: number }[];
  readonly registration: readonly { readonly label: string; readonly count: number; readonly percent: number }[];
  readonly mail: { readonly headers: readonly string[]; readonly data: readonly (readonly string[])[] };
  readonly critical: readonly string[];
  readonly status: string;
  readonly alarm: WallAlarm | null;
};

const pad = (n: number): string => String(n).padStart(2, '0');

function alarmFor(state: ConsoleState): WallAlarm | null {
  const url = state.backendUrl ?? '(no back end)';
  switch (state.connection.kind) {
    case 'unauthorized':
      return {
        title: 'TOKEN REFUSED',
        lines: [
          `The back end at ${url} refused the token${state.connection.retryAfterSeconds !== null ? `; wrong tokens are slowed down, try again in ${state.connection.retryAfterSeconds} s` : ''}.`,
          'Set $CALLHOME_TOKEN, or give --token-file FILE, to the token `callhome serve` printed, then restart the dashboard.',
        ],
      };
    case 'backing-off':
      return { title: 'BACK END LOST', lines: [`No connection to ${url}.`, `Reconnecting (attempt ${state.connection.attempt}, in ${Math.ceil(state.connection.retryInMs / 1000)} s).`] };
    case 'closed':
      return { title: 'BACK END LOST', lines: [`The connection to ${url} is closed.`] };
    default:
      return null;
  }
}

/** Builds the model for `minutes` of history ending at `now`. */
export function dashboardModel(state: ConsoleState, now: number, minutes = 30): DashboardModel {
  const nowMinute = Math.floor(now / 60_000);
  const x: string[] = [];
  const y: number[] = [];
  for (let m = nowMinute - minutes + 1; m <= nowMinute; m++) {
    const d = new Date(m * 60_000);
    x.push(state.timeStyle === 'utc' ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : `${pad(d.getHours())}:${pad(d.getMinutes())}`);
    y.push(state.perMinute[m] ?? 0);
  }
  const devices = Object.values(state.devices);
  const registration = REGISTRATION_ORDER.map((label) => {
    const count = devices.filter((d) => d.registration === label).length;
    return { label, count, percent: devices.length === 0 ? 0 : Math.round((count / devices.length) * 100) };
  }).filter((r) => r.count > 0);
  const smtp = state.listeners.smtp;
  const mail = [
    ['back end', smtp?.port !== undefined && smtp.port !== null ? `SMTP :${smtp.port}` : 'SMTP', smtp === undefined ? 'unknown' : smtp.state === 'listening' ? 'Available' : 'Not Available'],
    ...mailRows(state).map((r) => [r.host, r.address, r.error !== null ? 'SSH failed' : r.available === null ? '-' : r.available ? 'Available' : 'Not Available']),
  ].map((row) => row.map(terminalSafe));
  const critical = state.messages.items
    .filter((m) => m.severity >= 6)
    .slice(0, 12)
    .map((m) => terminalSafe(`${formatTime(m.receivedAt, state.timeStyle)} ${m.hostname || m.serial} ${SEVERITY_KEYWORDS[Math.max(0, Math.min(9, m.severity))] ?? m.severity} ${m.eventName}: ${m.description}`));
  const severity = SEVERITY_KEYWORDS.map((label, level) => ({ label, count: state.severityCounts[level] ?? 0 })).reverse();
  return {
    perMinute: { x, y },
    severity,
    registration,
    mail: { headers: ['Device', 'Mail server', 'Status'], data: mail },
    critical,
    status: `${state.backendUrl ?? 'no back end'} · ${state.connection.kind} · seq ${state.lastSeq} · ${state.received} messages`,
    alarm: alarmFor(state),
  };
}
