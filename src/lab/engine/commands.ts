/**
 * Commands whose output Call Home attaches, per alert group (ios-call-home.md §4.2, Table 2)
 * and per EXEC message kind (§3.1, §3.3).
 */
import type { AlertGroup } from '../../domain/callhome.js';

const INVENTORY = [
  'show diag all eeprom detail | include MAC',
  'show license all',
  'show platform',
  'show platform hardware qfp active infrastructure chipset 0 capabilities',
  'show platform software vnic-if interface-mapping',
  'show version',
] as const;

/** Table 2 command lists; snapshot takes the user's `add-command` list instead. */
export const ALERT_GROUP_COMMANDS: Readonly<Record<Exclude<AlertGroup, 'snapshot'>, readonly string[]>> = {
  crash: ['show version', 'show logging', 'show region', 'show stack'],
  configuration: ['show platform', 'show inventory', 'show running-config all', 'show startup-config', 'show version'],
  diagnostic: ['show diagnostic result all', 'show version', 'show inventory'],
  environment: ['show platform', 'show environment', 'show inventory', 'show logging'],
  inventory: INVENTORY,
  syslog: ['show logging'],
};

/** Attachments of a test message (IOS default). */
export const TEST_COMMANDS: readonly string[] = ['show version', 'show inventory'];

/** The fixed set behind config-sanity, bugs-list and command-reference requests. */
export const REQUEST_COMMANDS: readonly string[] = ['show running-config all', 'show version'];

/** product-advisory adds every inventory command to the fixed set. */
export const PRODUCT_ADVISORY_COMMANDS: readonly string[] = [
  ...REQUEST_COMMANDS,
  ...INVENTORY.filter((c) => !REQUEST_COMMANDS.includes(c)),
];

/** Commands attached for an alert group, given the configured snapshot list. */
export function alertGroupCommands(group: AlertGroup, snapshotCommands: readonly string[]): readonly string[] {
  return group === 'snapshot' ? snapshotCommands : ALERT_GROUP_COMMANDS[group];
}

/** The configuration attachments data privacy scrubs (§10.4). */
export const SCRUBBED_COMMANDS: readonly string[] = ['show running-config all', 'show startup-config'];
