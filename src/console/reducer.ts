/**
 * The console's pure reducer: (state, action) → state. No I/O, no clocks except the times the
 * actions carry, so every screen's behaviour is testable without React or a network.
 */
import type { DeviceErrorKind } from '../domain/fleet.js';
import type { BackendEvent, MessageSummary } from '../events/protocol.js';
import { assertNever } from '../util/assert-never.js';
import { matchesFilter } from './filter.js';
import { appendOlder, emptyWindow, prependLive, replacePage } from './message-window.js';
import type { TimeStyle } from './time-style.js';
import type { ConsoleAction, ConsoleState, DeviceRow, FleetHost, GatewayRow, FleetOp, ScreenName } from './types.js';
import { AUDIT_KEEP, EMPTY_ADMIN, showsAdmin, withAuditEntry } from './admin.js';

/** Limits of the in-memory buffers. */
export type ConsoleLimits = { readonly messages: number; readonly cases: number; readonly notifications: number };
export const DEFAULT_LIMITS: ConsoleLimits = { messages: 1000, cases: 500, notifications: 500 };

const PER_MINUTE_KEEP = 60;

/** The state before anything happened. */
export function initialConsoleState(screen: ScreenName = 'fleet', timeStyle: TimeStyle = 'utc'): ConsoleState {
  return {
    screen,
    timeStyle,
    backendUrl: null,
    prompt: { kind: 'none' },
    connection: { kind: 'disabled' },
    lastSeq: 0,
    messages: emptyWindow(),
    filter: {},
    cursor: { fleet: 0, messages: 0, mail: 0, registration: 0, statistics: 0, cases: 0, verify: 0, admin: 0 },
    detail: { kind: 'closed' },
    devices: {},
    fleet: [],
    selectedHosts: [],
    fleetView: { filter: '', sort: 'host', descending: false },
    runs: {},
    selectedDevices: [],
    listeners: {},
    gateways: {},
    cases: [],
    notifications: [],
    verify: [],
    statsHost: null,
    perMinute: {},
    severityCounts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    received: 0,
    notice: null,
    quit: false,
    session: null,
    admin: EMPTY_ADMIN,
  };
}

function upsertById<T extends { readonly id: number }>(list: readonly T[], item: T, limit: number): T[] {
  const rest = list.filter((x) => x.id !== item.id);
  return [item, ...rest].slice(0, limit);
}

function touchDevice(devices: Readonly<Record<string, DeviceRow>>, m: MessageSummary): Record<string, DeviceRow> {
  const prev = devices[m.serial];
  return {
    ...devices,
    [m.serial]: {
      serial: m.serial,
      hostname: m.hostname,
      model: m.model,
      registration: prev?.registration ?? 'pending',
      trialEndsAt: prev?.trialEndsAt ?? null,
      lastMessageAt: m.receivedAt,
      coverageEndsAt: prev?.coverageEndsAt ?? null,
      refusal: prev?.refusal ?? null,
    },
  };
}

function countMinute(perMinute: Readonly<Record<string, number>>, at: string): Record<string, number> {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return { ...perMinute };
  const minute = Math.floor(ms / 60_000);
  const next: Record<string, number> = { ...perMinute, [minute]: (perMinute[minute] ?? 0) + 1 };
  const keys = Object.keys(next).map(Number);
  if (keys.length > PER_MINUTE_KEEP) {
    keys.sort((a, b) => a - b);
    for (const k of keys.slice(0, keys.length - PER_MINUTE_KEEP)) delete next[k];
  }
  return next;
}

/** Applies a batch of stream events; events at or below `lastSeq` are folded away (duplicates). */
function applyEvents(state: ConsoleState, events: readonly BackendEvent[], limits: ConsoleLimits): ConsoleState {
  let s = state;
  const live: MessageSummary[] = [];
  for (const e of events) {
    if (e.seq <= s.lastSeq) continue;
    s = { ...s, lastSeq: e.seq };
    switch (e.type) {
      case 'message.received': {
        const m = e.message;
        const sev = Math.max(0, Math.min(9, m.severity));
        const severityCounts = s.severityCounts.slice();
        severityCounts[sev] = (severityCounts[sev] ?? 0) + 1;
        s = {
          ...s,
          devices: touchDevice(s.devices, m),
          perMinute: countMinute(s.perMinute, m.receivedAt),
          severityCounts,
          received: s.received + 1,
        };
        if (matchesFilter(m, s.filter)) live.push(m);
        break;
      }
      case 'message.rejected':
        s = { ...s, notice: { level: 'error', text: `Rejected ${e.transport} message: ${e.reason}`, at: Date.parse(e.at) } };
        break;
      case 'registration.changed': {
        const prev = s.devices[e.serial];
        s = {
          ...s,
          devices: {
            ...s.devices,
            [e.serial]: {
              serial: e.serial,
              hostname: e.hostname,
              model: prev?.model ?? '',
              registration: e.to,
              trialEndsAt: e.trialEndsAt,
              lastMessageAt: prev?.lastMessageAt ?? null,
              // A confirmed device keeps its contract end until the next device load; a refusal is over once it registers.
              coverageEndsAt: prev?.coverageEndsAt ?? null,
              refusal: e.to === 'pending' ? (prev?.refusal ?? null) : null,
            },
          },
        };
        break;
      }
      case 'notification.sent':
        s = { ...s, notifications: upsertById(s.notifications, e.notification, limits.notifications) };
        break;
      case 'case.opened':
      case 'case.updated':
      case 'case.closed':
        s = { ...s, cases: upsertById(s.cases, e.case, limits.cases) };
        break;
      case 'message.processed':
      case 'mailserver.status':
        // Shown by the history's results and the mail-server screen's own polling; nothing to keep here.
        break;
      case 'device.identity-claimed':
        // Shown by the API's device detail; the console keeps no per-device claims.
        break;
      case 'audit':
        // The Admin screen's audit tab is live; the stream sends audit entries to administrators only.
        s = { ...s, admin: withAuditEntry(s.admin, e.entry) };
        break;
      case 'listener.status':
        s = { ...s, listeners: { ...s.listeners, [e.listener]: { state: e.state, port: e.port, error: e.error } } };
        break;
      case 'gateway.registered':
        s = { ...s, gateways: { ...s.gateways, [e.gateway.id]: { ...e.gateway, status: s.gateways[e.gateway.id]?.status ?? null } } };
        break;
      case 'gateway.status':
        s = { ...s, gateways: { ...s.gateways, [e.gateway.id]: { ...e.gateway, status: e.status } } };
        break;
      case 'gateway.deleted': {
        const { [e.gateway.id]: _gone, ...rest } = s.gateways;
        s = { ...s, gateways: rest };
        break;
      }
      default:
        assertNever(e, 'backend event');
    }
  }
  if (live.length === 0) return s;
  const messages = prependLive(s.messages, live, limits.messages);
  // Keep the selected row on the same message when new ones arrive above it (row 0 follows live).
  const firstBefore = s.messages.items[0];
  const shift = firstBefore === undefined ? 0 : Math.max(0, messages.items.findIndex((m) => m.id === firstBefore.id));
  const at = s.cursor.messages;
  const cursorMessages = at === 0 ? 0 : Math.min(Math.max(0, messages.items.length - 1), at + shift);
  // Away from the top, count what arrived above the selection (the "N new" marker).
  const newAbove = at === 0 ? 0 : messages.newAbove + shift;
  return { ...s, messages: { ...messages, newAbove }, cursor: { ...s.cursor, messages: cursorMessages } };
}

function mergeHosts(prev: readonly FleetHost[], hosts: Extract<ConsoleAction, { type: 'fleet/hosts' }>['hosts']): FleetHost[] {
  const byName = new Map(prev.map((h) => [h.name, h]));
  return hosts.map((h) => {
    const old = byName.get(h.name);
    return {
      name: h.name,
      address: h.address,
      serial: h.serial ?? old?.serial ?? null,
      hostname: h.hostname ?? old?.hostname ?? null,
      reachable: old?.reachable ?? null,
      running: old?.running ?? null,
      results: old?.results ?? {},
      drift: old?.drift ?? null,
    };
  });
}

function mapHost(fleet: readonly FleetHost[], name: string, f: (h: FleetHost) => FleetHost): FleetHost[] {
  return fleet.map((h) => (h.name === name ? f(h) : h));
}

/** Result kinds that mean the host is down: no session (or it was lost); the other kinds came from a device that answered. */
const DOWN_KINDS: ReadonlySet<DeviceErrorKind> = new Set<DeviceErrorKind>(['auth', 'hostkey', 'timeout', 'unreachable', 'session-closed']);

/** Records one host's result in its run; the run is done when every host has one. */
function countResult(runs: ConsoleState['runs'], op: FleetOp, host: string, failed: boolean): ConsoleState['runs'] {
  const run = runs[op];
  if (run === undefined || run.finished || run.done.includes(host) || !run.hosts.includes(host)) return runs;
  const done = [...run.done, host];
  return { ...runs, [op]: { ...run, done, failed: run.failed + (failed ? 1 : 0), finished: done.length === run.hosts.length } };
}

/** Moves the current screen's selection to `index` (clamped); the messages screen clears "N new" at the top. */
function moveTo(state: ConsoleState, index: number, length: number): ConsoleState {
  const next = Math.max(0, Math.min(Math.max(0, length - 1), index));
  const cursor = { ...state.cursor, [state.screen]: next };
  if (state.screen === 'messages' && next === 0 && state.messages.newAbove > 0) return { ...state, cursor, messages: { ...state.messages, newAbove: 0 } };
  return { ...state, cursor };
}

/** Creates the reducer for the given buffer limits. */
export function createConsoleReducer(limits: ConsoleLimits = DEFAULT_LIMITS) {
  return function reduce(state: ConsoleState, action: ConsoleAction): ConsoleState {
    switch (action.type) {
      case 'backend/events':
        return applyEvents(state, action.events, limits);
      case 'backend/connection':
        return { ...state, connection: action.state };
      case 'api/messages': {
        if (action.mode === 'replace') {
          return { ...state, messages: replacePage(action.messages, action.next, limits.messages), cursor: { ...state.cursor, messages: 0 } };
        }
        const { window, droppedFront } = appendOlder(state.messages, action.messages, action.next, limits.messages);
        return { ...state, messages: window, cursor: { ...state.cursor, messages: Math.max(0, state.cursor.messages - droppedFront) } };
      }
      case 'api/messages-loading':
        return { ...state, messages: { ...state.messages, loadingOlder: true } };
      case 'api/detail':
        if (state.detail.kind !== 'loading' || state.detail.key !== action.key) return state;
        return { ...state, detail: { kind: 'open', key: action.key, doc: action.doc, scroll: 0 } };
      case 'api/detail-failed':
        if (state.detail.kind !== 'loading' || state.detail.key !== action.key) return state;
        return { ...state, detail: { kind: 'error', key: action.key, message: action.message } };
      case 'api/devices': {
        // The snapshot may have been read before events the store already applied (it loads beside cases,
        // gateways and /me): a device first seen in such an event is kept, and a newer last message stays.
        const devices: Record<string, DeviceRow> = { ...state.devices };
        for (const d of action.devices) {
          const seen = state.devices[d.serial]?.lastMessageAt ?? null;
          devices[d.serial] = seen !== null && (d.lastMessageAt === null || seen > d.lastMessageAt) ? { ...d, lastMessageAt: seen } : d;
        }
        return { ...state, devices };
      }
      case 'api/cases':
        return { ...state, cases: action.cases.slice(0, limits.cases) };
      case 'api/notifications':
        return { ...state, notifications: action.notifications.slice(0, limits.notifications) };
      case 'api/gateways': {
        // The snapshot lists every gateway; a status event that came meanwhile may be newer than its row.
        const newer = (a: GatewayRow, b: GatewayRow | undefined): GatewayRow => ((b?.status?.reportedAt ?? '') > (a.status?.reportedAt ?? '') ? { ...a, status: b?.status ?? null } : a);
        return { ...state, gateways: Object.fromEntries(action.gateways.map((g) => [g.id, newer(g, state.gateways[g.id])])) };
      }
      case 'fleet/hosts':
        return { ...state, fleet: mergeHosts(state.fleet, action.hosts) };
      case 'fleet/started': {
        const running = new Set(action.hosts);
        return {
          ...state,
          fleet: state.fleet.map((h) => (running.has(h.name) ? { ...h, running: action.op } : h)),
          runs: { ...state.runs, [action.op]: { hosts: [...action.hosts], done: [], failed: 0, finished: action.hosts.length === 0 } },
          ...(action.op === 'verify' ? { verify: state.verify.filter((v) => !running.has(v.host)) } : {}),
        };
      }
      case 'fleet/finished': {
        const run = state.runs[action.op];
        if (run === undefined) return state;
        const missing = run.hosts.filter((h) => !run.done.includes(h));
        const open = new Set(missing);
        return {
          ...state,
          fleet: state.fleet.map((h) => (open.has(h.name) && h.running === action.op ? { ...h, running: null } : h)),
          runs: { ...state.runs, [action.op]: { ...run, done: run.hosts, failed: run.failed + missing.length, finished: true } },
        };
      }
      case 'fleet/result': {
        const r = action.result;
        const reachable = r.ok ? true : r.error !== null && DOWN_KINDS.has(r.error.kind) ? false : true;
        return {
          ...state,
          runs: countResult(state.runs, action.op, r.host, !r.ok),
          fleet: mapHost(state.fleet, r.host, (h) => ({
            ...h,
            running: h.running === action.op ? null : h.running,
            reachable,
            results: { ...h.results, [action.op]: r },
            drift: action.op === 'push' && r.ok ? [] : h.drift,
          })),
        };
      }
      case 'fleet/drift':
        return { ...state, fleet: mapHost(state.fleet, action.host, (h) => ({ ...h, drift: action.commands })) };
      case 'verify/row': {
        const rest = state.verify.filter((v) => v.host !== action.row.host);
        return {
          ...state,
          verify: [...rest, action.row].sort((a, b) => a.host.localeCompare(b.host, 'en', { numeric: true })),
          fleet: mapHost(state.fleet, action.row.host, (h) => ({ ...h, running: h.running === 'verify' ? null : h.running })),
          runs: countResult(state.runs, 'verify', action.row.host, action.row.brokenAt !== null),
        };
      }
      case 'ui/screen':
        // The Admin screen exists only for administrators (issue 15): not offered, not reachable.
        if (action.screen === 'admin' && !showsAdmin(state.session)) return state;
        return { ...state, screen: action.screen, prompt: { kind: 'none' }, detail: state.screen === action.screen ? state.detail : { kind: 'closed' } };
      case 'ui/prompt':
        return { ...state, prompt: action.prompt };
      case 'ui/filter':
        return { ...state, filter: action.filter, prompt: { kind: 'none' }, cursor: { ...state.cursor, messages: 0 } };
      case 'ui/move':
        return moveTo(state, state.cursor[state.screen] + action.delta, action.length);
      case 'ui/move-to':
        return moveTo(state, action.index, action.length);
      case 'ui/open-detail':
        return { ...state, detail: { kind: 'loading', key: action.key } };
      case 'ui/show-detail':
        return { ...state, detail: { kind: 'open', key: action.key, doc: action.doc, scroll: 0 } };
      case 'ui/fleet-view':
        return { ...state, fleetView: { ...state.fleetView, ...action.view }, cursor: { ...state.cursor, fleet: 0 }, prompt: { kind: 'none' } };
      case 'ui/toggle-device': {
        const has = state.selectedDevices.includes(action.serial);
        return { ...state, selectedDevices: has ? state.selectedDevices.filter((d) => d !== action.serial) : [...state.selectedDevices, action.serial] };
      }
      case 'ui/select-devices':
        return { ...state, selectedDevices: [...action.serials] };
      case 'ui/close-detail':
        return { ...state, detail: { kind: 'closed' } };
      case 'ui/scroll-detail':
        if (state.detail.kind !== 'open') return state;
        return { ...state, detail: { ...state.detail, scroll: Math.max(0, state.detail.scroll + action.delta) } };
      case 'ui/toggle-host': {
        const has = state.selectedHosts.includes(action.host);
        return { ...state, selectedHosts: has ? state.selectedHosts.filter((h) => h !== action.host) : [...state.selectedHosts, action.host] };
      }
      case 'ui/select-hosts':
        return { ...state, selectedHosts: [...action.hosts] };
      case 'ui/stats-host':
        return { ...state, statsHost: action.host };
      case 'ui/notice':
        return { ...state, notice: action.notice };
      case 'ui/quit':
        return { ...state, quit: true };
      case 'api/session': {
        // Losing the administrator role leaves the Admin screen.
        const leave = state.screen === 'admin' && !showsAdmin(action.session);
        return { ...state, session: action.session, ...(leave ? { screen: 'messages' as const, admin: EMPTY_ADMIN } : {}) };
      }
      case 'api/admin':
        return {
          ...state,
          admin: {
            ...state.admin,
            loaded: true,
            ...(action.users !== undefined ? { users: action.users } : {}),
            ...(action.tokens !== undefined ? { tokens: action.tokens } : {}),
            ...(action.audit !== undefined ? { audit: action.audit.slice(0, AUDIT_KEEP) } : {}),
          },
        };
      case 'ui/admin-tab':
        return { ...state, admin: { ...state.admin, tab: action.tab }, cursor: { ...state.cursor, admin: 0 } };
      default:
        return assertNever(action, 'console action');
    }
  };
}
