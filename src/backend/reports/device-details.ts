/**
 * Device Details (S70, spec §4.3): the five categories — Contact, Hardware module/submodule,
 * Power supply, Software, Configuration — with the §4.3 fields, from the device's latest inventory
 * and configuration; and the empty states of S77.
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { DeviceDetail, StoreQueries } from '../store/types.js';

/** "Complete" registrations (§4.3): the device report shows these devices only. */
export const REPORTED_STATES: ReadonlySet<string> = new Set(['registered', 'trial', 'expired']);

export const NO_DATA = 'No data was found.';
export const NO_CONFIGURATION = 'Configuration data is not available.';

export type ModuleRow = {
  slot: string;
  ports: string;
  cardType: string;
  productId: string;
  serialNumber: string;
  partNumber: string;
  partRevision: string;
  hardwareVersion: string;
  firmwareVersion: string;
  softwareVersion: string;
  status: string;
};
export type SubmoduleRow = { module: string; submodule: string; productId: string; serialNumber: string; partNumber: string; partRevision: string; hardwareVersion: string; operationalStatus: string };
export type PowerSupplyRow = { number: string; manufacturer: string; productId: string; serialNumber: string; partNumber: string; partRevision: string; hardwareVersion: string };

export type DeviceDetails = {
  serial: string;
  dates: { lastInventoryAt: string | null; lastConfigurationAt: string | null };
  contact: { name: string; phone: string; email: string; contractNumber: string; company: string };
  device: { hostname: string; serialNumber: string; productId: string; hardwareVersion: string; softwareVersion: string; partNumber: string; partRevision: string };
  modules: ModuleRow[];
  submodules: SubmoduleRow[];
  powerSupplies: PowerSupplyRow[];
  software: {
    processor: string;
    processorRevision: string;
    imageName: string;
    iosVersion: string;
    featureSet: string;
    romVersion: string;
    mainMemory: string;
    ioMemory: string;
    installMemory: string;
    nvramMemory: string;
    systemFlash: string;
    lastRestarted: string;
    lastResetReason: string;
    uptime: string;
    configRegister: string;
    bootVersion: string;
  };
  configuration: {
    available: boolean;
    /** S77: "Configuration data is not available." when no configuration message came. */
    message: string | null;
    date: string | null;
    /** API paths of the configuration texts (the details links of §4.3). */
    startupConfig: string | null;
    runningConfig: string | null;
    technologies: string[];
  };
};

/** Why a device has no details (S77): unknown, not registered ('Complete'), or no inventory yet. */
export type NoDetails = { kind: 'unknown' | 'no-data'; reason: string };

/** The latest stored message of a type from this device (its fields and attachments), or null. */
async function latest(store: StoreQueries, serial: string, type: string) {
  const page = await store.listMessages({ device: serial, type, limit: 5 });
  const summary = page.messages.find((m) => m.serial === serial);
  return summary ? store.getMessage(summary.id) : null;
}

/** The text of an attachment whose name is this command (IOS abbreviations are not expanded). */
function attachment(list: CallHomeMessage['attachments'] | undefined, command: string): string | undefined {
  return list?.find((a) => a.name.trim().toLowerCase() === command)?.data;
}

/** The first match of `re` in `text`, group 1, else ''. */
function grab(text: string, re: RegExp): string {
  return re.exec(text)?.[1]?.trim() ?? '';
}

/** Software fields read from `show version` (IOS and IOS XE print these lines the same way; the back end has its own few patterns, it does not use the fleet side's parsers). */
function softwareFrom(showVersion: string | undefined, fallbackVersion: string): DeviceDetails['software'] {
  const text = showVersion ?? '';
  return {
    processor: grab(text, /^cisco \S+ \(([^)]+)\)/im),
    processorRevision: grab(text, /processor \(revision ([^)]+)\)/i),
    imageName: grab(text, /^System image file is "([^"]+)"/im),
    // `Cisco IOS Software [Cupertino], … , Version 17.9.4a, RELEASE SOFTWARE` (IOS XE prints it too, unpadded).
    iosVersion: grab(text, /^Cisco IOS Software\b.*?,\s*Version\s+([^\s,]+)/im) || fallbackVersion,
    featureSet: grab(text, /^Cisco IOS(?: XE)? Software(?: \[[^\]]*\])?, [^(]*\(([^)]+)\)/im),
    romVersion: grab(text, /^ROM: (.+)$/im),
    mainMemory: grab(text, /with (\d+K)(?:\/\d+K)? bytes of memory/i),
    ioMemory: grab(text, /with \d+K\/(\d+K) bytes of memory/i),
    installMemory: grab(text, /^(\d+K) bytes of (?:physical memory|installed memory)/im),
    nvramMemory: grab(text, /^(\d+K) bytes of non-volatile configuration memory/im),
    systemFlash: grab(text, /^(\d+K bytes of .*(?:flash|disk).*?)\.?$/im),
    lastRestarted: grab(text, /^System restarted at (.+)$/im),
    lastResetReason: grab(text, /^Last reload reason: (.+)$/im),
    uptime: grab(text, /^\S+ uptime is (.+)$/im),
    configRegister: grab(text, /^Configuration register is (\S+)/im),
    bootVersion: grab(text, /^BOOTLDR: (.+)$/im),
  };
}

/** Feature names the running configuration turns on (the §4.3 technologies list): its top-level keywords. */
export function technologiesOf(config: string): string[] {
  const known: [RegExp, string][] = [
    [/^router (ospf|ospfv3)\b/m, 'OSPF'],
    [/^router bgp\b/m, 'BGP'],
    [/^router eigrp\b/m, 'EIGRP'],
    [/^router isis\b/m, 'IS-IS'],
    [/^crypto (isakmp|ikev2|ipsec)\b/m, 'IPsec VPN'],
    [/^crypto pki\b/m, 'PKI'],
    [/^ip nat\b/m, 'NAT'],
    [/^ip access-list\b|^access-list\b/m, 'Access lists'],
    [/^snmp-server\b/m, 'SNMP'],
    [/^ntp server\b/m, 'NTP'],
    [/^logging host\b/m, 'Syslog'],
    [/^aaa new-model\b/m, 'AAA'],
    [/^ip ssh\b|^line vty[\s\S]*?transport input ssh/m, 'SSH'],
    [/^ip http (secure-)?server\b/m, 'HTTP server'],
    [/^call-home\b/m, 'Call Home'],
    [/^spanning-tree\b/m, 'Spanning tree'],
    [/^vlan \d/m, 'VLANs'],
    [/^interface Tunnel/m, 'Tunnels'],
    [/^policy-map\b/m, 'QoS'],
    [/^(ip )?multicast-routing\b/m, 'Multicast'],
    [/^standby \d|^ standby \d/m, 'HSRP'],
    [/^ vrrp \d/m, 'VRRP'],
    [/^vrf definition\b|^ip vrf\b/m, 'VRF'],
    [/^mpls\b/m, 'MPLS'],
  ];
  return known.filter(([re]) => re.test(config)).map(([, name]) => name);
}

/** Every product ID and serial in a device's inventory (chassis first): what Product Alerts and the card search match. */
export function inventoryParts(d: Pick<DeviceDetail, 'model' | 'serial' | 'inventory'>): { pid: string; serial: string }[] {
  const parts = [{ pid: d.model, serial: d.serial }];
  for (const c of d.inventory?.cards ?? []) parts.push({ pid: c.model, serial: c.serialNumber });
  return parts.filter((p) => p.pid !== '' || p.serial !== '');
}

/** The details of one device, or why there are none. `company` is the device's company (S69). */
export async function deviceDetails(store: StoreQueries, serial: string, company: string): Promise<DeviceDetails | NoDetails> {
  const d = await store.getDevice(serial);
  if (!d) return { kind: 'unknown', reason: `Device ${serial} does not exist.` };
  if (!REPORTED_STATES.has(d.registration)) return { kind: 'no-data', reason: `${NO_DATA} Device ${serial} is not registered (its registration is ${d.registration}).` };
  if (d.lastInventoryAt === null || d.inventory === null) return { kind: 'no-data', reason: `${NO_DATA} Device ${serial} has sent no inventory message.` };
  const inventory = await latest(store, serial, 'inventory');
  const fields: Partial<CallHomeMessage> = inventory?.fields ?? {};
  const attachments = d.inventory.attachments.length > 0 ? d.inventory.attachments : inventory?.attachments;
  const config = d.configuration;
  const startup = config === null ? undefined : await startupConfig(store, serial);
  const base = `/api/v1/reports/device/${encodeURIComponent(serial)}/config`;
  return {
    serial,
    dates: { lastInventoryAt: d.lastInventoryAt, lastConfigurationAt: d.lastConfigurationAt },
    contact: { name: fields.contactName ?? '', phone: d.phoneNumber, email: d.contactEmail, contractNumber: d.contractNumber ?? '', company },
    device: { hostname: d.hostname, serialNumber: d.serial, productId: d.model, hardwareVersion: fields.hardwareVersion ?? '', softwareVersion: d.softwareVersion, partNumber: fields.partNumber ?? '', partRevision: '' },
    modules: d.inventory.cards.map((c) => ({ slot: c.location, ports: '', cardType: '', productId: c.model, serialNumber: c.serialNumber, partNumber: c.partNumber, partRevision: '', hardwareVersion: c.hardwareVersion, firmwareVersion: '', softwareVersion: c.softwareVersion, status: '' })),
    submodules: [],
    powerSupplies: [],
    software: softwareFrom(attachment(attachments, 'show version'), d.softwareVersion),
    configuration:
      config === null || d.lastConfigurationAt === null
        ? { available: false, message: NO_CONFIGURATION, date: null, startupConfig: null, runningConfig: null, technologies: [] }
        : { available: true, message: null, date: d.lastConfigurationAt, startupConfig: startup === undefined ? null : `${base}/startup`, runningConfig: `${base}/running`, technologies: technologiesOf(config) },
  };
}

/** The startup configuration of the latest configuration message (`show startup-config`), if it carried one. */
async function startupConfig(store: StoreQueries, serial: string): Promise<string | undefined> {
  const m = await latest(store, serial, 'configuration');
  return m?.attachments.find((a) => /startup-config/i.test(a.name))?.data;
}

/** The running or startup configuration text behind the details links, or null (S77: not available). */
export async function configurationText(store: StoreQueries, serial: string, which: 'running' | 'startup'): Promise<string | null> {
  const d = await store.getDevice(serial);
  if (!d || !REPORTED_STATES.has(d.registration) || d.configuration === null) return null;
  return which === 'running' ? d.configuration : ((await startupConfig(store, serial)) ?? null);
}

/** The details as one table (category, item, field, value) for CSV, Excel and PDF. */
export function detailRows(x: DeviceDetails): { category: string; item: string; field: string; value: string }[] {
  const rows: { category: string; item: string; field: string; value: string }[] = [];
  const add = (category: string, item: string, o: Record<string, unknown>): void => {
    for (const [field, value] of Object.entries(o)) rows.push({ category, item, field, value: Array.isArray(value) ? value.join(', ') : value === null || value === undefined ? '' : String(value) });
  };
  add('Dates', '', x.dates);
  add('Contact', 'SR contact', x.contact);
  add('Hardware', 'Device', x.device);
  x.modules.forEach((m) => add('Hardware', `Module ${m.slot}`, m));
  x.submodules.forEach((m) => add('Hardware', `Submodule ${m.module}/${m.submodule}`, m));
  x.powerSupplies.forEach((p) => add('Power supply', `PS ${p.number}`, p));
  if (x.powerSupplies.length === 0) rows.push({ category: 'Power supply', item: '', field: '', value: 'No power supply data in the inventory.' });
  add('Software', '', x.software);
  add('Configuration', '', x.configuration);
  return rows;
}
