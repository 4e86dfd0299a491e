/**
 * Device Details (S70, spec §4.3): the five categories — Contact, Hardware module/submodule,
 * Power supply, Software, Configuration — with the §4.3 fields, from the device's latest inventory
 * and configuration; and the empty states of S77.
 */
import type { CallHomeMessage } from '../../domain/message.js';
import type { Component, InventoryRecord } from '../../domain/device-records.js';
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

const kb = (n: number | null): string => (n === null ? '' : `${n}K`);

/**
 * Software fields: image, version and memory from the inventory record (processing/inventory.ts); the
 * lines it does not keep (processor, ROM, restart, uptime, register) read from the same `show version`.
 */
function softwareFrom(inv: InventoryRecord, showVersion: string | undefined, featureSet: string): DeviceDetails['software'] {
  const text = showVersion ?? '';
  return {
    processor: grab(text, /^cisco \S+ \(([^)]+)\)/im),
    processorRevision: grab(text, /processor \(revision ([^)]+)\)/i),
    imageName: inv.image.file,
    iosVersion: inv.image.version,
    featureSet: featureSet || grab(text, /^Cisco IOS(?: XE)? Software(?: \[[^\]]*\])?, [^(]*\(([^)]+)\)/im),
    romVersion: grab(text, /^ROM: (.+)$/im),
    mainMemory: kb(inv.memory.processorKb),
    ioMemory: kb(inv.memory.ioKb),
    installMemory: kb(inv.memory.physicalKb),
    nvramMemory: kb(inv.memory.nvramKb),
    systemFlash: inv.memory.storage.map((f) => `${f.name} ${f.kb}K`).join(', '),
    lastRestarted: grab(text, /^System restarted at (.+)$/im),
    lastResetReason: grab(text, /^Last reload reason: (.+)$/im),
    uptime: grab(text, /^\S+ uptime is (.+)$/im),
    configRegister: grab(text, /^Configuration register is (\S+)/im),
    bootVersion: grab(text, /^BOOTLDR: (.+)$/im),
  };
}

/** Every product ID and serial in a device's inventory (chassis first): what Product Alerts and the card search match. */
export function inventoryParts(d: Pick<DeviceDetail, 'model' | 'serial' | 'inventory'>): { pid: string; serial: string }[] {
  const inv = d.inventory;
  const parts = [{ pid: inv?.chassis.model || d.model, serial: d.serial }];
  for (const c of inv ? [...inv.modules, ...inv.subModules, ...inv.powerSupplies, ...inv.fans] : []) parts.push({ pid: c.model, serial: c.serialNumber });
  return parts.filter((p) => p.pid !== '' || p.serial !== '');
}

/** The details of one device, or why there are none (S77). */
export async function deviceDetails(store: StoreQueries, serial: string): Promise<DeviceDetails | NoDetails> {
  const d = await store.getDevice(serial);
  if (!d) return { kind: 'unknown', reason: `Device ${serial} does not exist.` };
  if (!REPORTED_STATES.has(d.registration)) return { kind: 'no-data', reason: `${NO_DATA} Device ${serial} is not registered (its registration is ${d.registration}).` };
  const inv = d.inventory;
  if (d.lastInventoryAt === null || inv === null) return { kind: 'no-data', reason: `${NO_DATA} Device ${serial} has sent no inventory message.` };
  // The record keeps what processing maps; the contact name and the rest of `show version` come from the message itself.
  const message = await latest(store, serial, 'inventory');
  const fields: Partial<CallHomeMessage> = message?.fields ?? {};
  const config = d.configuration;
  const base = `/api/v1/reports/device/${encodeURIComponent(serial)}/config`;
  const component = (c: Component) => ({ productId: c.model, serialNumber: c.serialNumber, partNumber: '', partRevision: '', hardwareVersion: c.hardwareVersion });
  return {
    serial,
    // §4.3: the creation time of the message on the device, else when the service received it.
    dates: { lastInventoryAt: inv.eventTime || d.lastInventoryAt, lastConfigurationAt: config?.eventTime || d.lastConfigurationAt },
    contact: { name: fields.contactName ?? '', phone: d.phoneNumber, email: d.contactEmail, contractNumber: d.contractNumber ?? '', company: d.company ?? '' },
    device: { hostname: d.hostname, serialNumber: d.serial, productId: inv.chassis.model || d.model, hardwareVersion: inv.chassis.hardwareVersion, softwareVersion: inv.image.version || d.softwareVersion, partNumber: inv.chassis.partNumber, partRevision: '' },
    modules: inv.modules.map((c) => ({ slot: c.slot, ports: '', cardType: c.description, ...component(c), firmwareVersion: '', softwareVersion: '', status: c.state })),
    submodules: inv.subModules.map((c) => ({ module: c.slot.split('/')[0] ?? '', submodule: c.name, ...component(c), operationalStatus: c.state })),
    powerSupplies: inv.powerSupplies.map((c) => ({ number: c.slot || c.name, manufacturer: '', ...component(c) })),
    software: softwareFrom(inv, attachment(message?.attachments, 'show version'), config?.featureSet ?? ''),
    configuration:
      config === null || config.running === null
        ? { available: false, message: NO_CONFIGURATION, date: null, startupConfig: null, runningConfig: null, technologies: [] }
        : {
            available: true,
            message: null,
            date: config.eventTime || d.lastConfigurationAt,
            startupConfig: config.startup === null ? null : `${base}/startup`,
            runningConfig: `${base}/running`,
            technologies: config.technologies.map((t) => (t.subTechnology ? `${t.technology}: ${t.subTechnology}` : t.technology)),
          },
  };
}

/** The running or startup configuration text behind the details links, or null (S77: not available). */
export async function configurationText(store: StoreQueries, serial: string, which: 'running' | 'startup'): Promise<string | null> {
  const d = await store.getDevice(serial);
  if (!d || !REPORTED_STATES.has(d.registration)) return null;
  return (which === 'running' ? d.configuration?.running : d.configuration?.startup) ?? null;
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
