import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEVICE_SEARCH_FLAGS, withBackendOptions, withDeviceSearchOptions, withOutputOptions, type DeviceSearchFlags } from '../src/cli/options.js';
import { clientFor, defaultOutput, printJson, textTable, timeStyleFor, type OutputDeps } from '../src/client/output.js';
import type { ApiDevice, ApiDeviceDetail, DeviceQuery } from '../src/client/api-client.js';
import { formatTime } from '../src/console/time-style.js';
import type { Component } from '../src/domain/device-records.js';
import { AbortError } from '../src/errors.js';
import { terminalSafeLines } from '../src/util/terminal-text.js';

/** `deviceSerial` shows one device; the search flags (S69: the Device report's six criteria) narrow the list. */
export type DevicesOptions = { backend?: string | undefined; token?: string | undefined; json: boolean; deviceSerial?: string | undefined } & DeviceSearchFlags;

/** The search flags given, as the API's criteria. */
function searchOf(o: DevicesOptions): DeviceQuery {
  const keys = Object.keys(DEVICE_SEARCH_FLAGS) as (keyof DeviceQuery)[];
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** One device's inventory and configuration records as text (S36, S37); --json prints the API's object. */
export function deviceDetailText(d: ApiDeviceDetail, style: 'utc' | 'local'): string {
  const kb = (n: number | null): string => (n === null ? '?' : `${n}K`);
  const part = (c: Component): string => [c.slot && `[${c.slot}]`, c.model || c.name, c.serialNumber && `SN ${c.serialNumber}`, c.hardwareVersion && c.hardwareVersion, c.state && `(${c.state})`, c.description && `"${c.description}"`].filter(Boolean).join(' ');
  const list = (title: string, items: readonly Component[]): string[] => [`${title}:${items.length === 0 ? ' none' : ''}`, ...items.map((c) => `  ${part(c)}`)];
  const inv = d.inventory;
  const cfg = d.configuration;
  const lines = [
    `${d.hostname || '(no host name)'} ${d.serial} ${d.model} — ${d.registration}${d.contractNumber ? `, contract ${d.contractNumber}` : d.trialEndsAt ? `, trial until ${d.trialEndsAt.slice(0, 10)}` : ''}`,
    `Last message ${formatTime(d.lastMessageAt, style)}`,
    '',
    inv ? `Inventory (from ${inv.messageId}, ${inv.eventTime}):` : 'Inventory: no data found (no full inventory message has been processed).',
    ...(inv
      ? [
          `  Chassis: ${inv.chassis.model} SN ${inv.chassis.serialNumber}${inv.chassis.hardwareVersion ? ` ${inv.chassis.hardwareVersion}` : ''}${inv.chassis.partNumber ? ` part ${inv.chassis.partNumber}` : ''}`,
          `  Image: ${inv.image.version}${inv.image.software ? ` (${inv.image.software})` : ''}${inv.image.file ? ` ${inv.image.file}` : ''}`,
          `  Memory: processor ${kb(inv.memory.processorKb)}, I/O ${kb(inv.memory.ioKb)}, NVRAM ${kb(inv.memory.nvramKb)}${inv.memory.storage.map((x) => `, ${x.name} ${x.kb}K`).join('')}`,
          ...[...list('Modules', inv.modules), ...list('Sub-modules', inv.subModules), ...list('Power supplies', inv.powerSupplies), ...list('Fans', inv.fans)].map((l) => `  ${l}`),
        ]
      : []),
    '',
    cfg ? `Configuration (from ${cfg.messageId || 'an earlier release'}${cfg.eventTime ? `, ${cfg.eventTime}` : ''}):` : 'Configuration: configuration data not available (no full configuration message has been processed).',
    ...(cfg
      ? [
          `  Image: ${cfg.image.version}${cfg.image.file ? ` ${cfg.image.file}` : ''}; feature set: ${cfg.featureSet || '?'}`,
          `  Technologies: ${cfg.technologies.map((t) => `${t.technology}/${t.subTechnology}`).join(', ') || 'none found'}`,
          `  Running configuration: ${cfg.running === null ? 'not available' : `${cfg.running.split('\n').length} lines`}; startup configuration: ${cfg.startup === null ? 'not available' : `${cfg.startup.split('\n').length} lines`} (--json has both)`,
        ]
      : []),
  ];
  return terminalSafeLines(`${lines.join('\n')}\n`);
}

/**
 * Lists devices known to the back end (`{"devices": [...]}` with --json), searched like the Device report
 * (any registration state here), or shows one with its records.
 */
export async function runDevices(opts: DevicesOptions, deps: OutputDeps = defaultOutput): Promise<void> {
  const search = searchOf(opts);
  if (opts.deviceSerial) {
    if (Object.keys(search).length > 0) throw new AbortError(`A serial number (${opts.deviceSerial}) shows one device; the search flags narrow the list.`, 'Give either the serial number or the search flags.');
    const d = await clientFor(opts, deps).device(opts.deviceSerial);
    if (opts.json) return printJson(deps, d);
    deps.stdout(deviceDetailText(d, timeStyleFor(deps)));
    return;
  }
  const { devices } = await clientFor(opts, deps).devices(search);
  if (opts.json) return printJson(deps, { devices });
  const style = timeStyleFor(deps);
  deps.stdout(
    textTable<ApiDevice>(
      [
        { header: 'Hostname', cell: (d) => d.hostname },
        { header: 'Serial', cell: (d) => d.serial },
        { header: 'Model', cell: (d) => d.model },
        { header: 'Registration', cell: (d) => d.registration },
        { header: 'Contract', cell: (d) => d.contractNumber ?? (d.trialEndsAt ? `trial until ${d.trialEndsAt.slice(0, 10)}` : '') },
        { header: 'Last message', cell: (d) => formatTime(d.lastMessageAt, style) },
      ],
      devices,
      Object.keys(search).length > 0 ? 'No device matches the search.' : 'No devices have called home yet.',
    ),
  );
}

/** `callhome devices [device-serial]`: list (and search) devices known to the back end, or show one with its inventory and configuration. */
export const devicesCommand: CommandModule<object, DevicesOptions> = {
  command: 'devices [device-serial]',
  describe: 'List or search devices known to the back end, or show one with its inventory and configuration',
  builder: (y: Argv) =>
    withDeviceSearchOptions(withBackendOptions(withOutputOptions(y))).positional('device-serial', { type: 'string', describe: 'Chassis serial of the device to show' }) as unknown as Argv<DevicesOptions>,
  handler: (argv: ArgumentsCamelCase<DevicesOptions>) => runDevices(argv),
};
