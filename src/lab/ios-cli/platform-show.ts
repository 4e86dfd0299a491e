/**
 * Canned output for the platform show commands Call Home attaches (spec §4.2 Table 2) that the
 * show renderers do not cover: plausible CSR1000V/ASR1000 text built from the device identity.
 * Real automation rarely parses these; they exist so attachments hold output, not `% Invalid`.
 */
import type { DeviceIdentity } from '../types.js';

const lines = (rows: readonly string[]): string => rows.join('\n') + '\n';

/** The device's one MAC address, derived from the serial so it is stable. */
function macOf(id: DeviceIdentity): string {
  let h = 0;
  for (const ch of id.serial) h = (h * 33 + ch.charCodeAt(0)) >>> 0;
  const hex = h.toString(16).padStart(8, '0');
  return `0050.56${hex.slice(0, 2)}.${hex.slice(2, 6)}`;
}

/** `show platform`. */
export function showPlatform(id: DeviceIdentity): string {
  return lines([
    `Chassis type: ${id.model}`,
    '',
    'Slot      Type                State                 Insert time (ago)',
    '--------- ------------------- --------------------- -----------------',
    ` R0       ${id.model.padEnd(19)} ok, active            01:00:00`,
    ` F0       ${id.model.padEnd(19)} ok, active            01:00:00`,
    '',
    'Slot      CPLD Version        Firmware Version',
    '--------- ------------------- ---------------------------------------',
    'R0        N/A                 N/A',
  ]);
}

/** `show environment`. */
export function showEnvironment(): string {
  return lines([
    'Number of Critical alarms:  0',
    'Number of Major alarms:     0',
    'Number of Minor alarms:     0',
    '',
    ' Slot    Sensor          Current State       Reading',
    ' ----    ------          -------------       -------',
    ' R0      Temp: Inlet     Normal              28 Celsius',
    ' R0      Temp: CPU       Normal              41 Celsius',
    ' P0      Vin             Normal              12000 mV',
  ]);
}

/** `show license all`. */
export function showLicenseAll(id: DeviceIdentity): string {
  return lines([
    'Smart Licensing Status',
    '======================',
    '',
    'Smart Licensing is ENABLED',
    '',
    'Registration:',
    '  Status: UNREGISTERED',
    '',
    'License Authorization:',
    '  Status: EVAL MODE',
    '',
    'Product Information',
    '===================',
    `UDI: PID:${id.model},SN:${id.serial}`,
  ]);
}

/** `show diag all eeprom detail`. */
export function showDiagEeprom(id: DeviceIdentity): string {
  return lines([
    'MIDPLANE EEPROM data:',
    '',
    `        Product Identifier (PID) : ${id.model}`,
    `        Version Identifier (VID) : V00`,
    `        PCB Serial Number        : ${id.serial}`,
    `        Hardware Revision        : ${id.hardwareVersion}`,
    `        Chassis MAC Address      : ${macOf(id)}`,
    '        MAC Address block size   : 1',
    `        Top Assy. Part Number    : ${id.partNumber}`,
  ]);
}

/** `show region`. */
export function showRegion(): string {
  return lines([
    'Region Manager:',
    '',
    '      Start         End     Size(b)  Class  Media  Name',
    ' 0x7F0000000  0x7FFFFFFFF  67108864  Local  R/W    main',
  ]);
}

/** `show stack`. */
export function showStack(): string {
  return lines(['Minimum process stacks:', ' Free/Size   Name', ' 5288/6000   Init', '', 'Interrupt level stacks:', 'Level    Called Unused/Size  Name']);
}

/** `show diagnostic result all`. */
export function showDiagnosticResult(): string {
  return lines(['Current bootup diagnostic level: minimal', '', 'module 1: SerialNo : N/A', '', '  Overall Diagnostic Result for module 1 : PASS']);
}

/** `show platform hardware qfp active infrastructure chipset 0 capabilities`. */
export function showQfpCapabilities(): string {
  return lines(['Type: Software Forwarding', 'Number of QFP: 1', 'Crypto Device: NO', 'Throughput: 1000 Mbps']);
}

/** `show platform software vnic-if interface-mapping`. */
export function showVnicMapping(id: DeviceIdentity): string {
  return lines([
    '-------------------------------------------------------------',
    ' Interface Name        Driver Name         Mac Addr',
    '-------------------------------------------------------------',
    ` GigabitEthernet1       vmxnet3            ${macOf(id)}`,
    '-------------------------------------------------------------',
  ]);
}
