/**
 * Inventory mapping rules (spec §3.4, S36): a full inventory message → chassis, modules, sub-modules,
 * power supplies, fans, memory and the IOS image of the device. Sources, each optional: the message's
 * chassis header and FRU cards, `show inventory` (or `show inventory fru`), `show platform`,
 * `show diag all eeprom detail`, `show version` and `show memory statistics`, as real IOS / IOS XE print them.
 */
import type { CallHomeMessage } from '../../domain/message.js';
import { InventoryRecordSchema, type Component, type InventoryRecord } from '../../domain/device-records.js';
import { err, ok, type Result } from '../../util/result.js';
import { readCommand } from './command-output.js';

/** The software image as `show version` describes it. */
export type ImageInfo = InventoryRecord['image'];

/** `show inventory` blocks: `NAME: "…", DESCR: "…"` then `PID: … , VID: … , SN: …`. */
export function parseShowInventory(text: string): Omit<Component, 'slot' | 'state'>[] {
  const out: Omit<Component, 'slot' | 'state'>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /NAME:\s*"([^"]*)"\s*,\s*DESCR:\s*"([^"]*)"/.exec(lines[i] ?? '');
    if (!head) continue;
    const ids = /PID:\s*([^,]*?)\s*,\s*VID:\s*([^,]*?)\s*,\s*SN:\s*(\S*)/.exec(lines[i + 1] ?? '');
    out.push({ name: head[1] ?? '', description: head[2] ?? '', model: ids?.[1]?.trim() ?? '', hardwareVersion: ids?.[2]?.trim() ?? '', serialNumber: ids?.[3]?.trim() ?? '' });
  }
  return out;
}

/** `show platform` slot table rows: `Slot  Type  State  Insert time (ago)`. */
export function parseShowPlatform(text: string): { slot: string; model: string; state: string }[] {
  const rows: { slot: string; model: string; state: string }[] = [];
  let inTable = false;
  for (const line of text.split('\n')) {
    if (/^Slot\s+Type\s+State/.test(line.trim())) {
      inTable = true;
      continue;
    }
    if (!inTable || /^-{3,}/.test(line.trim())) continue;
    if (line.trim() === '' || /^Slot\s/.test(line.trim())) {
      if (rows.length > 0) break;
      continue;
    }
    // Columns are aligned; the state may hold a comma and a space (`ok, active`), the insert time none.
    const m = /^\s*(\S+)\s+(\S+)\s+(.+?)\s{2,}(\S+)\s*$/.exec(line) ?? /^\s*(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (m) rows.push({ slot: m[1] ?? '', model: m[2] ?? '', state: (m[3] ?? '').trim() });
  }
  return rows;
}

/** `Cisco IOS Software [Amsterdam], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version …`: the name in brackets. */
const SOFTWARE_NAME = /Cisco IOS Software(?: \[[^\]]*\])?, [^(\n]*\(([^)\n]+)\)/;

/** Image and memory lines of `show version` (IOS XE and classic IOS layouts). */
export function parseShowVersion(text: string): { image: ImageInfo; memory: Omit<InventoryRecord['memory'], 'storage'> & { storage: { name: string; kb: number }[] }; processorBoardId: string } {
  // IOS XE prints the version twice (`Cisco IOS XE Software, Version 17.03.04a`, then `… Version 17.3.4a, RELEASE`):
  // the unpadded one is what the message header, the bug table and advisories use.
  const version = /Cisco IOS Software.*?,\s*Version ([^\s,]+)/.exec(text)?.[1] ?? /Cisco IOS XE Software, Version (\S+)/.exec(text)?.[1] ?? '';
  const software = SOFTWARE_NAME.exec(text)?.[1] ?? '';
  const file = /System image file is "([^"]+)"/.exec(text)?.[1] ?? '';
  const mem = /with (\d+)K(?:\/(\d+)K)? bytes of memory/.exec(text);
  const num = (s: string | undefined): number | null => (s === undefined ? null : Number.parseInt(s, 10));
  const storage: { name: string; kb: number }[] = [];
  for (const m of text.matchAll(/^(\d+)K bytes of (.+?)\.?\s*$/gm)) {
    const what = m[2] ?? '';
    if (/non-volatile configuration memory|physical memory/.test(what)) continue;
    const at = / at (\S+?):?$/.exec(what)?.[1];
    storage.push({ name: at ? `${at}:` : what, kb: Number.parseInt(m[1] ?? '0', 10) });
  }
  return {
    image: { version, file, software },
    memory: {
      processorKb: num(mem?.[1]),
      ioKb: num(mem?.[2]),
      nvramKb: num(/^(\d+)K bytes of non-volatile configuration memory/m.exec(text)?.[1]),
      physicalKb: num(/^(\d+)K bytes of physical memory/m.exec(text)?.[1]),
      storage,
    },
    processorBoardId: /Processor board ID (\S+)/.exec(text)?.[1] ?? '',
  };
}

/** `show diag all eeprom detail`: the midplane's PID, VID, serial, revision and part number. */
function parseDiagEeprom(text: string): { model: string; hardwareVersion: string; serialNumber: string; partNumber: string } {
  const field = (label: RegExp): string => label.exec(text)?.[1]?.trim() ?? '';
  return {
    model: field(/Product Identifier \(PID\)\s*:\s*(\S+)/),
    hardwareVersion: field(/Version Identifier \(VID\)\s*:\s*(\S+)/) || field(/Hardware Revision\s*:\s*(\S+)/),
    serialNumber: field(/(?:PCB|Chassis) Serial Number\s*:\s*(\S+)/),
    partNumber: field(/Top Assy\. Part Number\s*:\s*(\S+)/),
  };
}

type Kind = 'chassis' | 'module' | 'subModule' | 'powerSupply' | 'fan';

/** Which list an inventory entry belongs in, from its NAME and DESCR (real IOS, IOS XE and Catalyst wording). */
function classify(name: string, description: string, model: string, chassisSerial: string, serial: string): Kind {
  const text = `${name} ${description}`;
  if (/^chassis$/i.test(name) || /\bstack$/i.test(name) || (serial !== '' && serial === chassisSerial)) return 'chassis';
  if (/power supply|\bPSU\b|\bPEM\b|power entry/i.test(text) || /^PWR-/i.test(model)) return 'powerSupply';
  if (/\bfan\b/i.test(text)) return 'fan';
  if (/subslot|sub-module|transceiver|\bSFP\b|^(?:Gi|Te|Fo|Hu|Twe|Tw)\S*\d+\/\d+/i.test(name)) return 'subModule';
  return 'module';
}

/** The slot a NAME carries (`module 0`, `NIM subslot 0/1`, `Power Supply Module 0`, `Switch 1`), else empty. */
function slotOf(name: string): string {
  return /(?:subslot|module|slot|switch|bay)\s+([A-Z]?\d+(?:\/\d+)*|R\d|F\d|P\d)\b/i.exec(name)?.[1] ?? '';
}

/** The device time stamp of a message in ms (for "latest wins"), or null when it cannot be read. */
export function eventTimeMs(eventTime: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) GMT([+-])(\d\d):(\d\d)$/.exec(eventTime.trim());
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * (m[7] === '-' ? -1 : 1);
  return utc - offset * 60_000;
}

/** The image from `show version` when the message has it, else from the chassis header (SoftwareVersion, SystemDescription). */
export function imageFrom(m: CallHomeMessage, versionText: string | null): ImageInfo {
  const parsed = versionText === null ? null : parseShowVersion(versionText).image;
  const software = SOFTWARE_NAME.exec(m.systemDescription)?.[1] ?? '';
  return { version: parsed?.version || m.softwareVersion, file: parsed?.file ?? '', software: parsed?.software || software };
}

/**
 * Maps a full inventory message. Fails — with the reasons, for the customer and support (S34) — when a
 * command the mapping reads answered with an IOS error or nothing, or when nothing names the image.
 */
export function mapInventory(m: CallHomeMessage, mappedAt: string): Result<InventoryRecord, string[]> {
  const problems: string[] = [];
  const sources: string[] = [];
  const read = (name: RegExp): string | null => {
    const out = readCommand(m.attachments, name);
    if (!out) return null;
    if (!out.ok) {
      problems.push(`${out.command}: ${out.reason}`);
      return null;
    }
    sources.push(out.command);
    return out.text;
  };
  const inventoryText = read(/^show inventory(?: fru)?$/);
  const platformText = read(/^show platform$/);
  const eepromText = read(/^show diag all eeprom detail/);
  const versionText = read(/^show version$/);
  const version = versionText === null ? null : parseShowVersion(versionText);
  const memoryStats = read(/^show memory statistics$/);

  const eeprom = eepromText === null ? null : parseDiagEeprom(eepromText);
  const chassis = {
    model: m.model || eeprom?.model || '',
    serialNumber: m.serialNumber,
    hardwareVersion: m.hardwareVersion || eeprom?.hardwareVersion || '',
    partNumber: m.partNumber || eeprom?.partNumber || '',
    description: '',
    series: m.series,
  };
  const lists: Record<Exclude<Kind, 'chassis'>, Component[]> = { module: [], subModule: [], powerSupply: [], fan: [] };
  for (const e of inventoryText === null ? [] : parseShowInventory(inventoryText)) {
    const kind = classify(e.name, e.description, e.model, m.serialNumber, e.serialNumber);
    if (kind === 'chassis') {
      chassis.description ||= e.description;
      chassis.hardwareVersion ||= e.hardwareVersion;
      continue;
    }
    lists[kind].push({ ...e, slot: slotOf(e.name), state: '' });
  }
  // `show platform` adds the slots `show inventory` did not list (or all of them, without it), with their state.
  for (const row of platformText === null ? [] : parseShowPlatform(platformText)) {
    const all = [...lists.module, ...lists.subModule, ...lists.powerSupply, ...lists.fan];
    const known = all.find((c) => c.slot === row.slot && c.model === row.model);
    if (known) continue;
    const kind: Exclude<Kind, 'chassis'> = /^P\d/.test(row.slot) ? (/FAN/i.test(row.model) ? 'fan' : 'powerSupply') : row.slot.includes('/') ? 'subModule' : 'module';
    lists[kind].push({ name: `slot ${row.slot}`, description: '', model: row.model, hardwareVersion: '', serialNumber: '', slot: row.slot, state: row.state });
  }
  // FRU cards the message header carries (§6.4), unless already listed by serial.
  for (const c of m.cards) {
    const listed = [...lists.module, ...lists.subModule, ...lists.powerSupply, ...lists.fan].some((x) => c.serialNumber !== '' && x.serialNumber === c.serialNumber);
    if (!listed) lists.module.push({ name: c.model, description: '', model: c.model, hardwareVersion: c.hardwareVersion, serialNumber: c.serialNumber, slot: c.location, state: '' });
  }
  if (m.cards.length > 0) sources.push('message FRU cards');

  const memory = version?.memory ?? { processorKb: null, ioKb: null, nvramKb: null, physicalKb: null, storage: [] };
  // `show memory statistics`: the Processor pool's total (bytes) when show version gave none.
  const pool = memoryStats === null ? null : /^\s*Processor\s+\S+\s+(\d+)/m.exec(memoryStats)?.[1];
  if (memory.processorKb === null && pool) memory.processorKb = Math.round(Number.parseInt(pool, 10) / 1024);

  const image = imageFrom(m, versionText);
  if (!image.version) problems.push('no IOS image version: the message has neither show version nor a SoftwareVersion');
  if (version && versionText !== null && !version.image.version) problems.push('show version: no "Version" line could be read');
  if (problems.length > 0) return err(problems);
  return ok(
    InventoryRecordSchema.parse({
      messageId: m.messageId,
      eventTime: m.eventTime,
      mappedAt,
      chassis,
      modules: lists.module,
      subModules: lists.subModule,
      powerSupplies: lists.powerSupply,
      fans: lists.fan,
      memory,
      image,
      sources: ['message header', ...sources],
    }),
  );
}
