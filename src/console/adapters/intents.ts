/**
 * What the views may ask for. Each intent updates the store and, when it needs the outside world,
 * calls the injected back-end API client or fleet port; views never touch either directly.
 */
import { describeError } from '../../errors.js';
import { assertNever } from '../../util/assert-never.js';
import { ALERT_GROUPS } from '../../domain/callhome.js';
import micromatch from 'micromatch';
import { loadNewestMessages, loadOlderMessages } from './api-loaders.js';
import { createAdminIntents } from './admin-intents.js';
import { parseFilter } from '../filter.js';
import { toDeviceRow } from './live.js';
import { caseRows, listLength, pendingToken, plural, registrationRows, selectedFleetHost, selectedMessage, statsHosts } from '../selectors.js';
import { ApiError } from '../../client/api-client.js';
import type { ConsoleApi, FleetPort } from '../ports.js';
import type { ConsoleStore } from '../store.js';
import { screenForDigit, type ConsoleCommand } from '../keymap.js';
import { FLEET_SORTS, SCREENS, type CaseNoteAction, type DetailDoc, type FleetHostResult, type FleetOp, type ScreenName } from '../types.js';


export type ConsoleIntents = ReturnType<typeof createIntents>;

/** One confirmation, explained: under which contract, why a trial, or why it was refused. */
async function confirmOne(api: ConsoleApi, serial: string, token: string): Promise<{ ok: boolean; text: string }> {
  try {
    const { registration: r } = await api.confirmRegistration(serial, token);
    if (r.state === 'registered') return { ok: true, text: `${serial} registered under contract ${r.contractNumber ?? '(none recorded)'}` };
    if (r.state === 'trial') return { ok: true, text: `${serial} is on trial${r.trialEndsAt !== null ? ` until ${r.trialEndsAt.slice(0, 10)}` : ''} because no contract covers the serial` };
    return { ok: true, text: `${serial} is now ${r.state}` };
  } catch (e) {
    const reason = e instanceof ApiError ? e.reason : describeError(e);
    return { ok: false, text: `${serial} refused because ${reason.charAt(0).toLowerCase()}${reason.slice(1)}` };
  }
}

const PAGE = 10;
/**
 * How long an error notice (a refusal) stays against later info notices: a running job's progress
 * must not replace it before it can be read. The info waits, and the newest one is shown after.
 */
export const ERROR_NOTICE_HOLD_MS = 5_000;

/** Creates the intent handlers over a store and the optional API and fleet. */
export function createIntents(store: ConsoleStore, deps: { readonly api?: ConsoleApi | undefined; readonly fleet?: FleetPort | undefined; readonly now?: () => number; readonly noticeHoldMs?: number }) {
  const now = deps.now ?? Date.now;
  const holdMs = deps.noticeHoldMs ?? ERROR_NOTICE_HOLD_MS;
  let deferredInfo: ReturnType<typeof setTimeout> | undefined;
  const notice = (level: 'info' | 'error', text: string): void => {
    clearTimeout(deferredInfo);
    const shown = store.getState().notice;
    const wait = shown?.level === 'error' && level === 'info' ? shown.at + holdMs - now() : 0;
    if (wait <= 0) {
      store.dispatch({ type: 'ui/notice', notice: { level, text, at: now() } });
      return;
    }
    deferredInfo = setTimeout(() => store.dispatch({ type: 'ui/notice', notice: { level, text, at: now() } }), wait);
    deferredInfo.unref();
  };
  const guard = (what: string, p: Promise<unknown>): void => {
    p.catch((e: unknown) => notice('error', `${what} failed: ${describeError(e)}`));
  };
  const targets = (): string[] => {
    const s = store.getState();
    if (s.selectedHosts.length > 0) return [...s.selectedHosts];
    const current = selectedFleetHost(s);
    return current === undefined ? [] : [current.name];
  };
  /** Hosts already running an operation: a second run on them is refused, never doubled. */
  const busy = (hosts: readonly string[], quiet: boolean): boolean => {
    const wanted = new Set(hosts);
    const running = store.getState().fleet.filter((h) => wanted.has(h.name) && h.running !== null);
    if (running.length === 0) return false;
    const first = running[0];
    if (!quiet && first !== undefined) {
      const names = running.slice(0, 3).map((h) => h.name).join(', ') + (running.length > 3 ? ` and ${running.length - 3} more` : '');
      notice('error', `Not started: ${names} ${running.length === 1 ? 'is' : 'are'} still running ${first.running ?? ''}. Wait until it is done.`);
    }
    return true;
  };
  const fleetRun = (op: FleetOp, hosts: readonly string[], run: (onResult: (r: FleetHostResult) => void) => Promise<void>, quiet = false): void => {
    if (hosts.length === 0) return notice('error', 'No host selected: move to a host or press space / a to select.');
    if (busy(hosts, quiet)) return;
    store.dispatch({ type: 'fleet/started', op, hosts });
    let failed = 0;
    guard(
      op,
      run((result) => {
        if (!result.ok) failed++;
        store.dispatch({ type: 'fleet/result', op, result });
      })
        .then(() => notice(failed === 0 ? 'info' : 'error', `${op}: ${hosts.length - failed}/${plural(hosts.length, 'host')} ok`))
        .finally(() => store.dispatch({ type: 'fleet/finished', op })),
    );
  };
  /** Opens a detail that is fetched from the back end. */
  const openFetched = (key: string, load: () => Promise<DetailDoc>): void => {
    store.dispatch({ type: 'ui/open-detail', key });
    load().then(
      (doc) => store.dispatch({ type: 'api/detail', key, doc }),
      (e: unknown) => store.dispatch({ type: 'api/detail-failed', key, message: describeError(e) }),
    );
  };
  const needApi = (): ConsoleApi | undefined => {
    if (deps.api === undefined) notice('error', 'No back end: start the console with --backend URL --token T.');
    return deps.api;
  };
  const needFleet = (): FleetPort | undefined => {
    if (deps.fleet === undefined) notice('error', 'No inventory: start the console with --inventory FILE.');
    return deps.fleet;
  };

  let tokensFetched = false;
  const admin = createAdminIntents(store, deps.api, notice);
  const intents = {
    ...admin,
    screen(screen: ScreenName): void {
      store.dispatch({ type: 'ui/screen', screen });
      if (screen === 'admin' && store.getState().screen === 'admin') void admin.loadAdmin();
    },
    quit(): void {
      store.dispatch({ type: 'ui/quit' });
    },
    help(): void {
      store.dispatch({ type: 'ui/prompt', prompt: store.getState().prompt.kind === 'help' ? { kind: 'none' } : { kind: 'help' } });
    },
    beginCommand(): void {
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'command', text: '' } });
    },
    beginFilter(): void {
      const s = store.getState();
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'filter', text: s.screen === 'fleet' ? s.fleetView.filter : '' } });
    },
    /** Edits the text of the open prompt. */
    editPrompt(text: string): void {
      const p = store.getState().prompt;
      if (p.kind === 'command' || p.kind === 'filter' || p.kind === 'token' || p.kind === 'case-note') store.dispatch({ type: 'ui/prompt', prompt: { ...p, text } });
    },
    cancel(): void {
      const s = store.getState();
      if (s.prompt.kind !== 'none') store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
      else if (s.detail.kind !== 'closed') store.dispatch({ type: 'ui/close-detail' });
      else if (s.screen === 'statistics' && s.statsHost !== null) store.dispatch({ type: 'ui/stats-host', host: null });
      else if (s.screen === 'fleet' && s.fleetView.filter !== '') store.dispatch({ type: 'ui/fleet-view', view: { filter: '' } });
    },
    /** Enter inside a prompt. */
    submitPrompt(): void {
      const p = store.getState().prompt;
      switch (p.kind) {
        case 'command':
          store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
          return intents.runCommand(p.text);
        case 'filter':
          if (store.getState().screen === 'fleet') return store.dispatch({ type: 'ui/fleet-view', view: { filter: p.text.trim() } });
          return intents.setFilter(p.text);
        case 'token':
          store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
          return intents.confirmRegistration(p.serial, p.text.trim());
        case 'confirm-push':
          return intents.confirmPush();
        case 'confirm-registrations':
          return intents.confirmSelectedRegistrations();
        case 'confirm-admin':
          return intents.confirmAdmin();
        case 'case-note':
          return intents.submitCaseNote(p.action, p.number, p.text);
        case 'help':
        case 'none':
          store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
          return;
      }
    },
    runCommand(text: string): void {
      const [word = '', ...rest] = text.trim().split(/\s+/);
      const arg = rest.join(' ');
      const screen = SCREENS.find((s) => s === word || (word.length >= 2 && s.startsWith(word)));
      if (screen !== undefined) return intents.screen(screen);
      if (word === 'q' || word === 'quit') return intents.quit();
      if (word === 'select') return intents.selectMatching(arg);
      if (word === 'filter') return intents.setFilter(arg);
      if (word === 'send') return intents.sendAlertGroup(arg);
      if (word === 'help') return intents.help();
      notice('error', `Unknown command ":${text}". Press ? for every command.`);
    },
    setFilter(text: string): void {
      store.dispatch({ type: 'ui/filter', filter: parseFilter(text) });
      if (deps.api !== undefined) guard('Loading messages', loadNewestMessages(store, deps.api));
    },
    move(delta: number): void {
      const s = store.getState();
      if (s.detail.kind === 'open') return store.dispatch({ type: 'ui/scroll-detail', delta });
      store.dispatch({ type: 'ui/move', delta, length: listLength(s) });
      const after = store.getState();
      if (after.screen === 'messages' && deps.api !== undefined) {
        const n = after.messages.items.length;
        if (after.cursor.messages >= n - PAGE) guard('Loading older messages', loadOlderMessages(store, deps.api));
        if (after.cursor.messages === 0 && after.messages.newerTrimmed) guard('Loading messages', loadNewestMessages(store, deps.api));
      }
    },
    page(direction: 1 | -1): void {
      intents.move(direction * PAGE);
    },
    /** Home / g: the first row (on messages, the newest, clearing "N new"). */
    top(): void {
      const s = store.getState();
      if (s.detail.kind === 'open') return store.dispatch({ type: 'ui/scroll-detail', delta: -s.detail.scroll });
      store.dispatch({ type: 'ui/move-to', index: 0, length: listLength(s) });
      if (s.screen === 'messages' && s.messages.newerTrimmed && deps.api !== undefined) guard('Loading messages', loadNewestMessages(store, deps.api));
    },
    /** End / G: the last row loaded (on messages, older pages load as it gets there). */
    bottom(): void {
      const s = store.getState();
      if (s.detail.kind === 'open') return store.dispatch({ type: 'ui/scroll-detail', delta: 1_000_000 });
      intents.move(listLength(s));
    },
    /** s: the fleet screen sorts by the next column. */
    sort(): void {
      const v = store.getState().fleetView;
      const next = FLEET_SORTS[(FLEET_SORTS.indexOf(v.sort) + 1) % FLEET_SORTS.length] ?? 'host';
      store.dispatch({ type: 'ui/fleet-view', view: { sort: next, descending: false } });
    },
    /** S: reverses the fleet screen's sort. */
    reverseSort(): void {
      store.dispatch({ type: 'ui/fleet-view', view: { descending: !store.getState().fleetView.descending } });
    },
    open(): void {
      const s = store.getState();
      if (s.screen === 'messages') {
        const m = selectedMessage(s);
        const api = needApi();
        if (m === undefined || api === undefined) return;
        openFetched(`message:${m.id}`, () => api.message(m.id).then((d) => ({ kind: 'message', detail: { summary: d, fields: d.fields, attachments: d.attachments, results: d.results, raw: d.raw } })));
      } else if (s.screen === 'fleet') {
        const h = selectedFleetHost(s);
        if (h !== undefined) store.dispatch({ type: 'ui/show-detail', key: `host:${h.name}`, doc: { kind: 'host', name: h.name } });
      } else if (s.screen === 'statistics') {
        const idx = s.cursor.statistics;
        store.dispatch({ type: 'ui/stats-host', host: idx === 0 ? null : (statsHosts(s)[idx - 1] ?? null) });
      } else if (s.screen === 'registration') {
        intents.beginConfirm();
      } else if (s.screen === 'cases') {
        const row = caseRows(s)[s.cursor.cases];
        const api = needApi();
        if (row === undefined || api === undefined) return;
        if (row.kind === 'case') {
          openFetched(`case:${row.item.number}`, () => api.case(row.item.number).then((detail) => ({ kind: 'case', detail })));
        } else if (row.item.body !== undefined) {
          store.dispatch({ type: 'ui/show-detail', key: `notification:${row.item.id}`, doc: { kind: 'notification', detail: row.item } });
        } else {
          // A live notification event carries no body: read it from the list.
          const id = row.item.id;
          openFetched(`notification:${id}`, () =>
            api.notifications(500).then(({ notifications }) => {
              store.dispatch({ type: 'api/notifications', notifications });
              const found = notifications.find((n) => n.id === id);
              if (found === undefined) throw new Error(`notification ${id} is no longer kept by the back end`);
              return { kind: 'notification', detail: found };
            }),
          );
        }
      }
    },
    /** Reads profiles and service state from every host, and the drift when a desired configuration is known. */
    readFleet(quiet: boolean): void {
      const fleet = needFleet();
      const all = store.getState().fleet.map((h) => h.name);
      if (fleet === undefined || all.length === 0 || busy(all, quiet)) return;
      fleetRun('profiles', all, (cb) => fleet.read('profiles', all, cb));
      if (fleet.preview !== undefined) guard('Drift check', fleet.preview(all).then((p) => { for (const [host, commands] of Object.entries(p)) store.dispatch({ type: 'fleet/drift', host, commands }); }));
    },
    /** r: refreshes the screen; `quiet` (timers such as the wall's) skips hosts still busy without a notice. */
    refresh(quiet = false): void {
      const s = store.getState();
      const all = s.fleet.map((h) => h.name);
      switch (s.screen) {
        case 'fleet':
          return intents.readFleet(quiet);
        case 'mail':
        case 'statistics': {
          const fleet = needFleet();
          const op = s.screen === 'mail' ? 'mail-status' : 'stats';
          if (fleet !== undefined) fleetRun(op, all, (cb) => fleet.read(op, all, cb), quiet);
          return;
        }
        case 'messages': {
          const api = needApi();
          if (api !== undefined) guard('Loading messages', loadNewestMessages(store, api));
          return;
        }
        case 'registration':
        case 'cases': {
          const api = needApi();
          if (api === undefined) return;
          guard(
            'Loading from the back end',
            Promise.all([api.devices(), api.cases(), api.notifications(200)]).then(([d, c, n]) => {
              store.dispatch({ type: 'api/devices', devices: d.devices.map(toDeviceRow) });
              store.dispatch({ type: 'api/cases', cases: c.cases });
              store.dispatch({ type: 'api/notifications', notifications: n.notifications });
            }),
          );
          return;
        }
        case 'verify':
          return intents.verify();
        case 'admin':
          void admin.loadSession().then(() => admin.loadAdmin());
          return;
      }
    },
    toggleHost(): void {
      const s = store.getState();
      const h = selectedFleetHost(s);
      if (h !== undefined) store.dispatch({ type: 'ui/toggle-host', host: h.name });
    },
    selectAll(): void {
      const s = store.getState();
      const all = s.fleet.map((h) => h.name);
      store.dispatch({ type: 'ui/select-hosts', hosts: s.selectedHosts.length === all.length ? [] : all });
    },
    selectMatching(pattern: string): void {
      const s = store.getState();
      const patterns = pattern.split(/[\s,:]+/).filter(Boolean);
      const hosts = s.fleet.filter((h) => micromatch.isMatch(h.name, patterns) || (h.hostname !== null && micromatch.isMatch(h.hostname, patterns))).map((h) => h.name);
      store.dispatch({ type: 'ui/select-hosts', hosts });
      notice('info', `${hosts.length} hosts selected`);
    },
    previewPush(): void {
      const fleet = needFleet();
      if (fleet === undefined) return;
      if (fleet.preview === undefined || fleet.push === undefined) return notice('error', 'No desired configuration: start the console with --config DESIRED.yaml.');
      const hosts = targets();
      if (hosts.length === 0) return notice('error', 'No host selected.');
      notice('info', `Computing the diff for ${hosts.length} hosts…`);
      guard(
        'Push preview',
        fleet.preview(hosts).then((preview) => {
          for (const [host, commands] of Object.entries(preview)) store.dispatch({ type: 'fleet/drift', host, commands });
          store.dispatch({ type: 'ui/prompt', prompt: { kind: 'confirm-push', hosts, preview } });
        }),
      );
    },
    confirmPush(): void {
      const p = store.getState().prompt;
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
      const push = deps.fleet?.push;
      if (p.kind !== 'confirm-push' || push === undefined) return;
      fleetRun('push', p.hosts, (cb) => push(p.hosts, cb));
    },
    sendTest(): void {
      const fleet = needFleet();
      const hosts = targets();
      if (fleet !== undefined) fleetRun('send', hosts, (cb) => fleet.send(hosts, { test: true }, cb));
    },
    sendAlertGroup(group: string): void {
      if (!(ALERT_GROUPS as readonly string[]).includes(group)) return notice('error', `"${group}" is not an alert group; use one of ${ALERT_GROUPS.join(', ')}.`);
      const fleet = needFleet();
      const hosts = targets();
      if (fleet !== undefined) fleetRun('send', hosts, (cb) => fleet.send(hosts, { alertGroup: group }, cb));
    },
    verify(): void {
      const fleet = needFleet();
      if (fleet === undefined) return;
      const verify = fleet.verify;
      if (verify === undefined) return notice('error', 'Verify needs --config DESIRED.yaml and a back end.');
      const hosts = targets().length > 0 && store.getState().screen === 'fleet' ? targets() : store.getState().fleet.map((h) => h.name);
      if (hosts.length === 0 || busy(hosts, false)) return;
      store.dispatch({ type: 'ui/screen', screen: 'verify' });
      store.dispatch({ type: 'fleet/started', op: 'verify', hosts });
      guard(
        'Verify',
        verify(hosts, (row) => store.dispatch({ type: 'verify/row', row })).finally(() => {
          store.dispatch({ type: 'fleet/finished', op: 'verify' });
          const run = store.getState().runs.verify;
          if (run !== undefined) notice(run.failed === 0 ? 'info' : 'error', `verify done: ${run.hosts.length - run.failed}/${plural(run.hosts.length, 'host')} closed the loop`);
        }),
      );
    },
    toggleDevice(): void {
      const s = store.getState();
      const d = registrationRows(s)[s.cursor.registration];
      if (d !== undefined) store.dispatch({ type: 'ui/toggle-device', serial: d.serial });
    },
    /** c / Enter on the registration screen: the selected pending devices, or the one under the cursor, with tokens filled in. */
    beginConfirm(): void {
      const s = store.getState();
      const rows = registrationRows(s);
      const chosen = s.selectedDevices.length > 0 ? rows.filter((d) => s.selectedDevices.includes(d.serial)) : rows.slice(s.cursor.registration, s.cursor.registration + 1);
      if (chosen.length === 0) return;
      const pending = chosen.filter((d) => d.registration === 'pending');
      if (pending.length === 0) {
        const d = chosen[0];
        return notice('error', chosen.length === 1 && d !== undefined ? `${d.hostname || d.serial} (${d.serial}) is ${d.registration}, not pending.` : 'None of the selected devices is pending.');
      }
      // Live notification events carry no body: read the list once so the tokens can be filled in.
      if (deps.api !== undefined && pending.some((d) => pendingToken(s, d.serial) === null) && !tokensFetched) {
        tokensFetched = true;
        const api = deps.api;
        return void api.notifications(500).then(
          ({ notifications }) => {
            store.dispatch({ type: 'api/notifications', notifications });
            intents.beginConfirm();
            tokensFetched = false;
          },
          () => {
            intents.beginConfirm();
            tokensFetched = false;
          },
        );
      }
      const first = pending[0];
      if (pending.length === 1 && first !== undefined) {
        return store.dispatch({ type: 'ui/prompt', prompt: { kind: 'token', serial: first.serial, text: pendingToken(s, first.serial) ?? '' } });
      }
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'confirm-registrations', devices: pending.map((d) => ({ serial: d.serial, token: pendingToken(s, d.serial) })) } });
    },
    confirmRegistration(serial: string, token: string): void {
      const api = needApi();
      if (api === undefined) return;
      if (token === '') return notice('error', 'Empty token: type the token the device received, then Enter.');
      void confirmOne(api, serial, token).then((r) => notice(r.ok ? 'info' : 'error', r.text));
    },
    /** y on the several-devices prompt: confirms each that has a token; the notice explains every result. */
    confirmSelectedRegistrations(): void {
      const p = store.getState().prompt;
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
      const api = needApi();
      if (p.kind !== 'confirm-registrations' || api === undefined) return;
      const withToken = p.devices.filter((d): d is { serial: string; token: string } => d.token !== null);
      const without = p.devices.filter((d) => d.token === null).map((d) => `${d.serial}: skipped, no token known (its notification is not loaded; confirm it alone with c)`);
      void Promise.all(withToken.map((d) => confirmOne(api, d.serial, d.token))).then((results) => {
        store.dispatch({ type: 'ui/select-devices', serials: [] });
        const failed = results.filter((r) => !r.ok).length + without.length;
        notice(failed === 0 ? 'info' : 'error', [...results.map((r) => r.text), ...without].join(' · '));
      });
    },
    dismissNotice(): void {
      clearTimeout(deferredInfo);
      store.dispatch({ type: 'ui/notice', notice: null });
    },
    /** Carries out a key binding's command (`key` is the key that was pressed). */
    /** Asks for the note to update, resolve or close the selected case (S55). */
    beginCaseNote(action: CaseNoteAction): void {
      const s = store.getState();
      const row = caseRows(s)[s.cursor.cases];
      if (row?.kind !== 'case') return notice('error', 'Select a case (not a notification) first.');
      if (row.item.status === 'closed') return notice('error', `Case ${row.item.number} is closed; a new failure opens a new case.`);
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'case-note', action, number: row.item.number, text: '' } });
    },
    /** Sends the note; the back end records it in the history, mails it (N12) and publishes the change. */
    submitCaseNote(action: CaseNoteAction, number: string, text: string): void {
      const note = text.trim();
      if (note === '') return notice('error', 'Type a note first: it goes into the case history and the mail.');
      const api = needApi();
      if (api === undefined) return;
      if (api.updateCase === undefined || api.closeCase === undefined) return notice('error', 'This back-end connection cannot change cases.');
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
      const done = action === 'close' ? api.closeCase(number, note) : api.updateCase(number, { note, ...(action === 'resolve' ? { status: 'resolved' as const } : {}) });
      done.then(
        (c) => {
          store.dispatch({ type: 'api/cases', cases: [c, ...store.getState().cases.filter((x) => x.number !== c.number)] });
          notice('info', `Case ${c.number} is ${c.status}.`);
        },
        (e: unknown) => notice('error', `Case ${number} not changed: ${e instanceof ApiError ? e.reason : describeError(e)}`),
      );
    },
    perform(command: ConsoleCommand, key: string): void {
      switch (command.do) {
        case 'move':
          return intents.move(command.delta);
        case 'page':
          return intents.page(command.direction);
        case 'open':
          return intents.open();
        case 'cancel':
          return intents.cancel();
        case 'screen-by-digit': {
          const screen = screenForDigit(key);
          return screen === undefined ? undefined : intents.screen(screen);
        }
        case 'quit':
          return intents.quit();
        case 'help':
          return intents.help();
        case 'command-line':
          return intents.beginCommand();
        case 'filter':
          return intents.beginFilter();
        case 'refresh':
          return intents.refresh();
        case 'toggle-host':
          return intents.toggleHost();
        case 'select-all':
          return intents.selectAll();
        case 'push':
          return intents.previewPush();
        case 'test':
          return intents.sendTest();
        case 'verify':
          return intents.verify();
        case 'confirm-registration':
          return intents.beginConfirm();
        case 'top':
          return intents.top();
        case 'bottom':
          return intents.bottom();
        case 'sort':
          return intents.sort();
        case 'sort-reverse':
          return intents.reverseSort();
        case 'toggle-device':
          return intents.toggleDevice();
        case 'case-note':
          return intents.beginCaseNote(command.action);
        case 'admin-tab':
          return intents.adminTab(command.tab);
        case 'admin-action':
          return intents.beginAdminAction(command.key);
        default:
          return assertNever(command, 'console command');
      }
    },
  };
  return intents;
}
