/**
 * `show version`, `show inventory`, `show clock`, `show logging` and `show privilege` in the
 * layouts of the device's train (IOS XE or classic IOS) that netmiko/NAPALM/textfsm templates parse.
 */
import { platformOf, trainOf } from '../identity.js';
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

/** The release name IOS XE prints in brackets (`17.9.4a` → `Cupertino`). */
function releaseName(version: string): string {
  const [major = 17, minor = 0] = version.split('.').map((x) => Number.parseInt(x, 10));
  if (major === 16) return minor <= 6 ? 'Everest' : minor <= 9 ? 'Fuji' : 'Gibraltar';
  if (minor <= 3) return 'Amsterdam';
  if (minor <= 6) return 'Bengaluru';
  if (minor <= 9) return 'Cupertino';
  return 'Dublin';
}

/** `17.9.4a` → `17.09.04a`, as the first line of IOS XE `show version` and image names write it. */
function paddedXeVersion(version: string): string {
  return version
    .split('.')
    .map((part, i) => (i === 0 ? part : part.replace(/^(\d+)/, (d) => d.padStart(2, '0'))))
    .join('.');
}

/** `15.2(4)M11` → `152-4.M11`, as classic image names write it. */
function classicImageVersion(version: string): string {
  const m = /^(\d+)\.(\d+)\((\d+)\)(\w*)$/.exec(version);
  return m ? `${m[1]}${m[2]}-${m[3]}.${m[4]}` : version;
}

/** `show version`: the IOS XE layout on IOS XE, the classic IOS layout on 15.x, for the device's model. */
export function renderShowVersion(id: DeviceIdentity, hostname: string, uptimeSeconds: number, bootTime: Date): string {
  return trainOf(id) === 'xe' ? xeVersion(id, hostname, uptimeSeconds, bootTime) : classicVersion(id, hostname, uptimeSeconds, bootTime);
}

function xeVersion(id: DeviceIdentity, hostname: string, uptimeSeconds: number, bootTime: Date): string {
  const p = platformOf(id.model);
  const v = id.softwareVersion;
  const padded = paddedXeVersion(v);
  const switchModel = id.model.startsWith('C9');
  const image = switchModel ? 'flash:packages.conf' : `bootflash:${p.image}-universalk9.${padded}.SPA.bin`;
  return lines([
    `Cisco IOS XE Software, Version ${padded}`,
    `Cisco IOS Software [${releaseName(v)}], ${p.software}, Version ${v}, RELEASE SOFTWARE (fc3)`,
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2026 by Cisco Systems, Inc.',
    'Compiled Thu 05-Mar-26 10:05 by mcpre',
    '',
    '',
    'Cisco IOS-XE software, Copyright (c) 2005-2026 by cisco Systems, Inc.',
    'All rights reserved.  Certain components of Cisco IOS-XE software are',
    'licensed under the GNU General Public License ("GPL") Version 2.0.',
    '',
    switchModel ? `ROM: IOS-XE ROMMON\nBOOTLDR: System Bootstrap, Version ${padded}, RELEASE SOFTWARE (P)` : 'ROM: IOS-XE ROMMON',
    '',
    `${hostname} uptime is ${uptimeText(uptimeSeconds)}`,
    `Uptime for this control processor is ${uptimeText(uptimeSeconds)}`,
    'System returned to ROM by reload',
    `System restarted at ${clockText(bootTime).slice(1)}`,
    `System image file is "${image}"`,
    'Last reload reason: reload',
    '',
    '',
    `cisco ${id.model} (${p.processor}) processor${p.model === 'CSR1000V' ? ` (revision ${p.processor})` : ''} with ${p.memoryKb}K/3075K bytes of memory.`,
    `Processor board ID ${id.serial}`,
    ...(switchModel ? [] : ['Router operating mode: Autonomous']),
    '4 Gigabit Ethernet interfaces',
    '32768K bytes of non-volatile configuration memory.',
    `${p.memoryKb * 2}K bytes of physical memory.`,
    '11526144K bytes of virtual hard disk at bootflash:.',
    '',
    'Configuration register is 0x2102',
  ]);
}

function classicVersion(id: DeviceIdentity, hostname: string, uptimeSeconds: number, bootTime: Date): string {
  const p = platformOf(id.model);
  const v = id.softwareVersion;
  return lines([
    `Cisco IOS Software, ${p.software}, Version ${v}, RELEASE SOFTWARE (fc2)`,
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2018 by Cisco Systems, Inc.',
    'Compiled Thu 29-Mar-18 02:32 by prod_rel_team',
    '',
    'ROM: System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)',
    '',
    `${hostname} uptime is ${uptimeText(uptimeSeconds)}`,
    'System returned to ROM by power-on',
    `System restarted at ${clockText(bootTime).slice(1)}`,
    `System image file is "flash0:${p.image}-universalk9-mz.SPA.${classicImageVersion(v)}.bin"`,
    'Last reload type: Normal Reload',
    'Last reload reason: power-on',
    '',
    '',
    `Cisco ${id.model} (${p.processor}) with ${p.memoryKb}K/36864K bytes of memory.`,
    `Processor board ID ${id.serial}`,
    '3 Gigabit Ethernet interfaces',
    'DRAM configuration is 64 bits wide with parity enabled.',
    '255K bytes of non-volatile configuration memory.',
    '250880K bytes of ATA System CompactFlash 0 (Read/Write)',
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
