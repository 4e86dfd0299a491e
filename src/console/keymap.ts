/** Every key of the console, in one table: the key handler dispatches from it and `?` lists it. */
import type { ScreenName } from './types.js';

export type KeyBinding = { readonly keys: string; readonly action: string; readonly screens: 'all' | readonly ScreenName[] };

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: '1-7', action: 'Switch screen (fleet, messages, mail, registration, statistics, cases, verify)', screens: 'all' },
  { keys: ':name', action: 'Command line: screen name, q, select PATTERN, send GROUP, filter TEXT', screens: 'all' },
  { keys: '/', action: 'Filter messages: device:R1 type:syslog sev:5 text', screens: 'all' },
  { keys: '↑ ↓ j k', action: 'Move the selection', screens: 'all' },
  { keys: 'PgUp PgDn', action: 'Move a page', screens: 'all' },
  { keys: 'Enter', action: 'Open: message detail, device statistics, token prompt', screens: ['messages', 'statistics', 'registration'] },
  { keys: 'Esc', action: 'Close the detail or prompt', screens: 'all' },
  { keys: 'r', action: 'Refresh this screen (SSH for fleet, mail, statistics; API otherwise)', screens: 'all' },
  { keys: 'space', action: 'Select / deselect the host', screens: ['fleet'] },
  { keys: 'a', action: 'Select all hosts (again: none)', screens: ['fleet'] },
  { keys: 'p', action: 'Push the desired configuration to the selection (preview, then y to confirm)', screens: ['fleet'] },
  { keys: 't', action: 'Send a Call Home test from the selection', screens: ['fleet'] },
  { keys: 'v', action: 'Verify the closed loop for the selection', screens: ['fleet', 'verify'] },
  { keys: 'c', action: 'Confirm the pending device with its token', screens: ['registration'] },
  { keys: '?', action: 'Show every key', screens: 'all' },
  { keys: 'q', action: 'Quit', screens: 'all' },
];

/** Number key → screen. */
export function screenForDigit(input: string): ScreenName | undefined {
  const map: Record<string, ScreenName> = { '1': 'fleet', '2': 'messages', '3': 'mail', '4': 'registration', '5': 'statistics', '6': 'cases', '7': 'verify' };
  return map[input];
}
