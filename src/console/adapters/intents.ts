/**
 * What the views may ask for. Each intent updates the store and, when it needs the outside world,
 * calls the injected back-end API client or fleet port; views never touch either directly.
 */
import { describeError } from '../../errors.js';
import { assertNever } from '../../util/assert-never.js';
import { ALERT_GROUPS } from '../../domain/callhome.js';
import micromatch from 'micromatch';
import { loadNewestMessages, loadOlderMessages } from './api-loaders.js';
import { parseFilter } from '../filter.js';
import { toDeviceRow } from './live.js';
import { caseRows, listLength, registrationRows, selectedMessage, statsHosts } from '../selectors.js';
import type { ConsoleApi, FleetPort } from '../ports.js';
import type { ConsoleStore } from '../store.js';
import { screenForDigit, type ConsoleCommand } from '../keymap.js';
import { SCREENS, type FleetHostResult, type FleetOp, type ScreenName } from '../types.js';


export type ConsoleIntents = ReturnType<typeof createIntents>;

const PAGE = 10;

/** Creates the intent handlers over a store and the optional API and fleet. */
export function createIntents(store: ConsoleStore, deps: { readonly api?: ConsoleApi | undefined; readonly fleet?: FleetPort | undefined; readonly now?: () => number }) {
  const now = deps.now ?? Date.now;
  const notice = (level: 'info' | 'error', text: string): void => store.dispatch({ type: 'ui/notice', notice: { level, text, at: now() } });
  const guard = (what: string, p: Promise<unknown>): void => {
    p.catch((e: unknown) => notice('error', `${what} failed: ${describeError(e)}`));
  };
  const targets = (): string[] => {
    const s = store.getState();
    if (s.selectedHosts.length > 0) return [...s.selectedHosts];
    const current = s.fleet[s.cursor.fleet];
    return current === undefined ? [] : [current.name];
  };
  const fleetRun = (op: FleetOp, hosts: readonly string[], run: (onResult: (r: FleetHostResult) => void) => Promise<void>): void => {
    if (hosts.length === 0) return notice('error', 'No host selected: move to a host or press space / a to select.');
    store.dispatch({ type: 'fleet/started', op, hosts });
    let failed = 0;
    guard(
      op,
      run((result) => {
        if (!result.ok) failed++;
        store.dispatch({ type: 'fleet/result', op, result });
      }).then(() => notice(failed === 0 ? 'info' : 'error', `${op}: ${hosts.length - failed}/${hosts.length} hosts ok`)),
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

  const intents = {
    screen(screen: ScreenName): void {
      store.dispatch({ type: 'ui/screen', screen });
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
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'filter', text: '' } });
    },
    /** Edits the text of the open prompt. */
    editPrompt(text: string): void {
      const p = store.getState().prompt;
      if (p.kind === 'command' || p.kind === 'filter' || p.kind === 'token') store.dispatch({ type: 'ui/prompt', prompt: { ...p, text } });
    },
    cancel(): void {
      const s = store.getState();
      if (s.prompt.kind !== 'none') store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
      else if (s.detail.kind !== 'closed') store.dispatch({ type: 'ui/close-detail' });
      else if (s.screen === 'statistics' && s.statsHost !== null) store.dispatch({ type: 'ui/stats-host', host: null });
    },
    /** Enter inside a prompt. */
    submitPrompt(): void {
      const p = store.getState().prompt;
      switch (p.kind) {
        case 'command':
          store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
          return intents.runCommand(p.text);
        case 'filter':
          return intents.setFilter(p.text);
        case 'token':
          store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
          return intents.confirmRegistration(p.serial, p.text.trim());
        case 'confirm-push':
          return intents.confirmPush();
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
    open(): void {
      const s = store.getState();
      if (s.screen === 'messages') {
        const m = selectedMessage(s);
        const api = needApi();
        if (m === undefined || api === undefined) return;
        store.dispatch({ type: 'ui/open-detail', id: m.id });
        api.message(m.id).then(
          (d) => store.dispatch({ type: 'api/message-detail', detail: { summary: d, fields: d.fields, attachments: d.attachments, results: d.results, raw: d.raw } }),
          (e: unknown) => store.dispatch({ type: 'api/message-detail-failed', id: m.id, message: describeError(e) }),
        );
      } else if (s.screen === 'statistics') {
        const idx = s.cursor.statistics;
        store.dispatch({ type: 'ui/stats-host', host: idx === 0 ? null : (statsHosts(s)[idx - 1] ?? null) });
      } else if (s.screen === 'registration') {
        intents.beginConfirm();
      } else if (s.screen === 'cases') {
        const row = caseRows(s)[s.cursor.cases];
        if (row?.kind === 'case') notice('info', `${row.item.number}: ${row.item.title} (${row.item.status})`);
      }
    },
    refresh(): void {
      const s = store.getState();
      const all = s.fleet.map((h) => h.name);
      switch (s.screen) {
        case 'fleet': {
          const fleet = needFleet();
          if (fleet !== undefined) fleetRun('profiles', all, (cb) => fleet.read('profiles', all, cb));
          if (fleet?.preview !== undefined) guard('Drift check', fleet.preview(all).then((p) => { for (const [host, commands] of Object.entries(p)) store.dispatch({ type: 'fleet/drift', host, commands }); }));
          return;
        }
        case 'mail':
        case 'statistics': {
          const fleet = needFleet();
          const op = s.screen === 'mail' ? 'mail-status' : 'stats';
          if (fleet !== undefined) fleetRun(op, all, (cb) => fleet.read(op, all, cb));
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
      }
    },
    toggleHost(): void {
      const s = store.getState();
      const h = s.fleet[s.cursor.fleet];
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
      if (fleet.verify === undefined) return notice('error', 'Verify needs --config DESIRED.yaml and a back end.');
      const hosts = targets().length > 0 && store.getState().screen === 'fleet' ? targets() : store.getState().fleet.map((h) => h.name);
      store.dispatch({ type: 'ui/screen', screen: 'verify' });
      store.dispatch({ type: 'fleet/started', op: 'verify', hosts });
      guard('Verify', fleet.verify(hosts, (row) => store.dispatch({ type: 'verify/row', row })));
    },
    beginConfirm(): void {
      const s = store.getState();
      const d = registrationRows(s)[s.cursor.registration];
      if (d === undefined) return;
      if (d.registration !== 'pending') return notice('error', `${d.hostname} (${d.serial}) is ${d.registration}, not pending.`);
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'token', serial: d.serial, text: '' } });
    },
    confirmRegistration(serial: string, token: string): void {
      const api = needApi();
      if (api === undefined) return;
      if (token === '') return notice('error', 'Empty token: type the token the device received, then Enter.');
      guard(
        'Confirming the registration',
        api.confirmRegistration(serial, token).then((r) => notice('info', `${serial}: ${r.registration.state}`)),
      );
    },
    dismissNotice(): void {
      store.dispatch({ type: 'ui/notice', notice: null });
    },
    /** Carries out a key binding's command (`key` is the key that was pressed). */
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
        default:
          return assertNever(command, 'console command');
      }
    },
  };
  return intents;
}
