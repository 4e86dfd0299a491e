/**
 * Every key of the console, as data: the key handler (views/ConsoleApp.tsx) dispatches from this
 * table and the `?` screen lists it, so the two cannot disagree.
 */
import { can, type Action, type Principal } from '../domain/permissions.js';
import { SCREENS, type ScreenName } from './types.js';

/** A key as the table names it: one printable character, or a named key. */
export type KeyName = 'Up' | 'Down' | 'PgUp' | 'PgDn' | 'Home' | 'End' | 'Enter' | 'Esc' | 'Space';

/** What a key asks the console to do; the adapters' intents carry it out (`perform`). */
export type ConsoleCommand =
  | { readonly do: 'move'; readonly delta: number }
  | { readonly do: 'page'; readonly direction: 1 | -1 }
  | { readonly do: 'top' }
  | { readonly do: 'bottom' }
  | { readonly do: 'sort' }
  | { readonly do: 'sort-reverse' }
  | { readonly do: 'toggle-device' }
  | { readonly do: 'open' }
  | { readonly do: 'cancel' }
  | { readonly do: 'screen-by-digit' }
  | { readonly do: 'quit' }
  | { readonly do: 'help' }
  | { readonly do: 'command-line' }
  | { readonly do: 'filter' }
  | { readonly do: 'refresh' }
  | { readonly do: 'toggle-host' }
  | { readonly do: 'select-all' }
  | { readonly do: 'push' }
  | { readonly do: 'test' }
  | { readonly do: 'verify' }
  | { readonly do: 'confirm-registration' }
  // sr-notify: the cases screen's actions on the selected case.
  | { readonly do: 'case-note'; readonly action: 'update' | 'resolve' | 'close' }
  // accounts-cli: the Admin screen.
  | { readonly do: 'admin-tab'; readonly tab: 'users' | 'tokens' | 'audit' }
  | { readonly do: 'admin-action'; readonly key: 'd' | 'm' | 'x' };

export type KeyBinding = {
  /** Characters or named keys that trigger it. */
  readonly keys: readonly (string | KeyName)[];
  /** How `?` shows the keys (default: the keys joined by spaces). */
  readonly label?: string;
  readonly action: string;
  readonly screens: 'all' | readonly ScreenName[];
  readonly command: ConsoleCommand;
  /** The role the action needs (src/domain/permissions.ts): without it the key is not offered. */
  readonly needs?: Action;
};

const DIGITS = SCREENS.map((_, i) => String(i + 1));

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: DIGITS, label: `1-${SCREENS.length}`, action: `Switch screen (${SCREENS.join(', ')})`, screens: 'all', command: { do: 'screen-by-digit' } },
  { keys: [':'], label: ':name', action: 'Command line: screen name, q, select PATTERN, send GROUP, filter TEXT', screens: 'all', command: { do: 'command-line' } },
  { keys: ['/'], action: 'Filter messages: device:r1 type:sys sev:major (major and above) sev:=4 (exactly minor) text', screens: ['messages', 'mail', 'registration', 'statistics', 'cases', 'verify'], command: { do: 'filter' } },
  { keys: ['/'], action: 'Filter hosts by name, hostname, address, serial or state', screens: ['fleet'], command: { do: 'filter' } },
  { keys: ['Up', 'k'], label: '↑ k', action: 'Move the selection up', screens: 'all', command: { do: 'move', delta: -1 } },
  { keys: ['Down', 'j'], label: '↓ j', action: 'Move the selection down', screens: 'all', command: { do: 'move', delta: 1 } },
  { keys: ['PgUp'], action: 'Move a page up', screens: 'all', command: { do: 'page', direction: -1 } },
  { keys: ['PgDn'], action: 'Move a page down', screens: 'all', command: { do: 'page', direction: 1 } },
  { keys: ['Home', 'g'], label: 'Home g', action: 'Go to the first row (the newest message)', screens: 'all', command: { do: 'top' } },
  { keys: ['End', 'G'], label: 'End G', action: 'Go to the last row', screens: 'all', command: { do: 'bottom' } },
  { keys: ['Enter'], action: 'Open: host detail, message, device statistics, token prompt, case or notification', screens: ['fleet', 'messages', 'statistics', 'registration', 'cases'], command: { do: 'open' } },
  { keys: ['Esc'], action: 'Close the detail or prompt', screens: 'all', command: { do: 'cancel' } },
  { keys: ['r'], action: 'Refresh this screen (SSH for fleet, mail, statistics; API otherwise)', screens: 'all', command: { do: 'refresh' } },
  { keys: ['Space'], label: 'space', action: 'Select / deselect the host', screens: ['fleet'], command: { do: 'toggle-host' } },
  { keys: ['Space'], label: 'space', action: 'Select / deselect the device (c then confirms every selected one)', screens: ['registration'], command: { do: 'toggle-device' } },
  { keys: ['s'], action: 'Sort by the next column (host, state, drift, registration, last message, last result)', screens: ['fleet'], command: { do: 'sort' } },
  { keys: ['S'], action: 'Reverse the sort', screens: ['fleet'], command: { do: 'sort-reverse' } },
  { keys: ['a'], action: 'Select all hosts (again: none)', screens: ['fleet'], command: { do: 'select-all' } },
  { keys: ['p'], action: 'Push the desired configuration to the selection (preview, then y to confirm)', screens: ['fleet'], command: { do: 'push' } },
  { keys: ['t'], action: 'Send a Call Home test from the selection', screens: ['fleet'], command: { do: 'test' } },
  { keys: ['v'], action: 'Verify the closed loop for the selection', screens: ['fleet', 'verify'], command: { do: 'verify' } },
  { keys: ['c'], action: 'Confirm the pending device (or every selected one) with its token, filled in from its notification', screens: ['registration'], command: { do: 'confirm-registration' }, needs: 'registration.confirm' },
  { keys: ['n'], action: 'Add a note to the selected case (type it, Enter sends; mailed to the device list and SR contact)', screens: ['cases'], command: { do: 'case-note', action: 'update' }, needs: 'cases.change' },
  { keys: ['R'], action: 'Mark the selected case resolved, with a note', screens: ['cases'], command: { do: 'case-note', action: 'resolve' }, needs: 'cases.change' },
  { keys: ['C'], action: 'Close the selected case, with a note', screens: ['cases'], command: { do: 'case-note', action: 'close' }, needs: 'cases.change' },
  { keys: ['u'], action: 'Admin: users of your companies and their roles', screens: ['admin'], command: { do: 'admin-tab', tab: 'users' } },
  { keys: ['o'], action: 'Admin: personal tokens', screens: ['admin'], command: { do: 'admin-tab', tab: 'tokens' } },
  { keys: ['l'], action: 'Admin: audit log (live)', screens: ['admin'], command: { do: 'admin-tab', tab: 'audit' } },
  { keys: ['d'], action: 'Admin: delete the selected user from that company (then y)', screens: ['admin'], command: { do: 'admin-action', key: 'd' }, needs: 'users.delete' },
  { keys: ['m'], action: 'Admin: make the selected user Administrator, or User (then y)', screens: ['admin'], command: { do: 'admin-action', key: 'm' }, needs: 'users.role' },
  { keys: ['x'], action: 'Admin: revoke the selected token (then y)', screens: ['admin'], command: { do: 'admin-action', key: 'x' }, needs: 'tokens.revoke' },
  { keys: ['?'], action: 'Show every key', screens: 'all', command: { do: 'help' } },
  { keys: ['q'], action: 'Quit', screens: 'all', command: { do: 'quit' } },
];

/** The label `?` shows for a binding. */
export function bindingLabel(binding: KeyBinding): string {
  return binding.label ?? binding.keys.join(' ');
}

/** Whether a binding works on a screen. */
export function bindingApplies(binding: KeyBinding, screen: ScreenName): boolean {
  return binding.screens === 'all' || binding.screens.includes(screen);
}

/** Whether the caller's roles allow a binding (no `who`: a console without accounts allows everything). */
export function bindingAllowed(binding: KeyBinding, who: Principal | null | undefined): boolean {
  return binding.needs === undefined || who === null || who === undefined || can(who, binding.needs);
}

/** The binding a key triggers on a screen (`key` is a character or a KeyName), if any and if the caller may. */
export function bindingFor(screen: ScreenName, key: string, who?: Principal | null): KeyBinding | undefined {
  return KEY_BINDINGS.find((b) => b.keys.includes(key) && bindingApplies(b, screen) && bindingAllowed(b, who));
}

/** Number key → screen. */
export function screenForDigit(input: string): ScreenName | undefined {
  const i = Number(input);
  return Number.isInteger(i) && i >= 1 ? SCREENS[i - 1] : undefined;
}
