/**
 * `show version`, `show inventory`, `show clock`, `show logging` and `show privilege` in the
 * IOS XE layouts that netmiko/NAPALM/textfsm templates parse.
 */
import { platformOf } from '../identity.js';
import type { DeviceIdentity } from '../types.js';
import { lines, two } from './format.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `*10:15:30.123 UTC Mon Nov 23 2026` (the `*` marks a clock not synchronised by NTP). */
export function clockText(now: Date): string {
  const ms = String(now.getUTCMilliseconds()).padStart(3, '0');
  return `*${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}.${ms} UTC ${DAYS[now.getUTCDay()]} ${MONTHS[now.getUTCMonth()]} ${now.getUTCDate()} ${now.getUTCFullYear()}`;
}

/** `Nov 23 10:15:30.123` — the timestamp of a logging line. */
export function logTimestamp(now: Date): string {
  const ms = String(now.getUTCMilliseconds()).padStart(3, '0');
  return `${MONTHS[now.getUTCMonth()]} ${String(now.getUTCDate()).padStart(2, ' ')} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}.${ms}`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** `2 hours, 3 minutes` the way IOS words uptime (zero parts left out, minutes always shown). */
export function uptimeText(seconds: number): string {
  const minutesTotal = Math.floor(Math.max(0, seconds) / 60);
  const weeks = Math.floor(minutesTotal / 10080);
  const days = Math.floor((minutesTotal % 10080) / 1440);
  const hours = Math.floor((minutesTotal % 1440) / 60);
  const minutes = minutesTotal % 60;
  const parts: string[] = [];
  if (weeks > 0) parts.push(plural(weeks, 'week'));
  if (days > 0) parts.push(plural(days, 'day'));
  if (hours > 0) parts.push(plural(hours, 'hour'));
  parts.push(plural(minutes, 'minute'));
  return parts.join(', ');
}

/** Train name of a version (`17.3.4a` → `Amsterdam`), as IOS XE prints it. */
function trainName(version: string): string {
  const minor = Number(version.split('.')[1] ?? '0');
  if (minor <= 3) return 'Amsterdam';
  if (minor <= 6) return 'Bengaluru';
  if (minor <= 9) return 'Cupertino';
  return 'Dublin';
}

/** `show version`. */
export function renderShowVersion(id: DeviceIdentity, hostname: string, uptimeSeconds: number, bootTime: Date): string {
  const p = platformOf(id.model);
  const v = id.softwareVersion;
  const image = id.model === 'C9300-48P' ? 'cat9k' : id.model === 'CSR1000V' ? 'csr1000v' : id.model.startsWith('ISR') ? 'isr4400' : 'asr1001x';
  return lines([
    `Cisco IOS XE Software, Version ${v}`,
    `Cisco IOS Software [${trainName(v)}], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version ${v}, RELEASE SOFTWARE (fc3)`,
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2026 by Cisco Systems, Inc.',
    'Compiled Thu 05-Mar-26 10:05 by mcpre',
    '',
    '',
    'Cisco IOS-XE software, Copyright (c) 2005-2026 by cisco Systems, Inc.',
    'All rights reserved.  Certain components of Cisco IOS-XE software are',
    'licensed under the GNU General Public License ("GPL") Version 2.0.',
    '',
    `ROM: IOS-XE ROMMON`,
    '',
    `${hostname} uptime is ${uptimeText(uptimeSeconds)}`,
    `Uptime for this control processor is ${uptimeText(uptimeSeconds)}`,
    'System returned to ROM by reload',
    `System restarted at ${clockText(bootTime).slice(1)}`,
    `System image file is "bootflash:${image}-universalk9.${v}.SPA.bin"`,
    'Last reload reason: reload',
    '',
    '',
    `cisco ${id.model} (${p.processor}) processor (revision ${p.processor}) with ${p.memoryKb}K/3075K bytes of memory.`,
    `Processor board ID ${id.serial}`,
    'Router operating mode: Autonomous',
    '4 Gigabit Ethernet interfaces',
    '32768K bytes of non-volatile configuration memory.',
    `${p.memoryKb * 2}K bytes of physical memory.`,
    '11526144K bytes of virtual hard disk at bootflash:.',
    '',
    'Configuration register is 0x2102',
  ]);
}

/** `show inventory`: the chassis, then a power supply. */
export function renderShowInventory(id: DeviceIdentity): string {
  const block = (name: string, descr: string, pid: string, vid: string, sn: string): string[] => [
    `NAME: "${name}", DESCR: "${descr}"`,
    `PID: ${pid.padEnd(18)}, VID: ${vid.padEnd(4)}, SN: ${sn}`,
    '',
  ];
  return lines([
    ...block('Chassis', id.series, id.model, id.hardwareVersion, id.serial),
    ...block('Power Supply Module 0', 'Cisco 250W AC Power Supply', 'PWR-4430-AC', 'V03', `PS${id.serial.slice(-8)}`),
  ]);
}

/** `show clock`. */
export function renderShowClock(now: Date): string {
  return lines([clockText(now)]);
}

/** `show logging`: the header, then the buffer. */
export function renderShowLogging(logLines: readonly string[]): string {
  return lines([
    'Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)',
    '',
    'No Active Message Discriminator.',
    '',
    '',
    'No Inactive Message Discriminator.',
    '',
    '',
    '    Console logging: level debugging, 0 messages logged, xml disabled,',
    '                     filtering disabled',
    '    Monitor logging: level debugging, 0 messages logged, xml disabled,',
    '                     filtering disabled',
    `    Buffer logging:  level debugging, ${logLines.length} messages logged, xml disabled,`,
    '                    filtering disabled',
    '    Exception Logging: size (4096 bytes)',
    '    Count and timestamp logging messages: disabled',
    '    Persistent logging: disabled',
    '',
    'No active filter modules.',
    '',
    '    Trap logging: level informational, 0 message lines logged',
    '',
    `Log Buffer (8192 bytes):`,
    '',
    ...logLines,
  ]);
}

/** `show privilege`. */
export function renderShowPrivilege(level: number): string {
  return lines([`Current privilege level is ${level}`]);
}
