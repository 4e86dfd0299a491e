/**
 * What the back end keeps about a device from its full inventory and configuration messages (spec §3.4,
 * S36, S37): written by the mapping rules (src/backend/processing/inventory.ts, configuration.ts), served
 * by `GET /api/v1/devices/SERIAL` and validated by the API client. Latest message wins.
 */
import { z } from 'zod';

/** One hardware component as `show inventory` lists it (NAME, DESCR, PID, VID, SN), with its slot when known. */
export const ComponentSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** Product ID (PID). */
  model: z.string(),
  /** Version ID (VID) or hardware version. */
  hardwareVersion: z.string(),
  serialNumber: z.string(),
  /** Slot or location (`0/0`, `R0`, `P0`), empty when the source gives none. */
  slot: z.string(),
  /** Operational state where the source reports one (`show platform`: `ok, active`). */
  state: z.string(),
});
export type Component = z.infer<typeof ComponentSchema>;

export const InventoryRecordSchema = z.object({
  /** The message the record was mapped from, and its device time stamp (latest wins). */
  messageId: z.string(),
  eventTime: z.string(),
  mappedAt: z.string(),
  chassis: z.object({ model: z.string(), serialNumber: z.string(), hardwareVersion: z.string(), partNumber: z.string(), description: z.string(), series: z.string() }),
  modules: z.array(ComponentSchema),
  /** Sub-slot cards and pluggable transceivers. */
  subModules: z.array(ComponentSchema),
  powerSupplies: z.array(ComponentSchema),
  fans: z.array(ComponentSchema),
  memory: z.object({
    /** Processor (main) memory and I/O memory, from `with 2071288K/3075K bytes of memory`. */
    processorKb: z.number().nullable(),
    ioKb: z.number().nullable(),
    nvramKb: z.number().nullable(),
    physicalKb: z.number().nullable(),
    /** Flash / disk file systems: `11526144K bytes of virtual hard disk at bootflash:`. */
    storage: z.array(z.object({ name: z.string(), kb: z.number() })),
  }),
  image: z.object({ version: z.string(), file: z.string(), software: z.string() }),
  /** The commands the record was read from. */
  sources: z.array(z.string()),
});
export type InventoryRecord = z.infer<typeof InventoryRecordSchema>;

/** A technology and sub-technology in use, derived from the running configuration. */
export const TechnologySchema = z.object({ technology: z.string(), subTechnology: z.string() });
export type Technology = z.infer<typeof TechnologySchema>;

export const ConfigurationRecordSchema = z.object({
  messageId: z.string(),
  eventTime: z.string(),
  mappedAt: z.string(),
  /** `show running-config [all]` without the echo, banner lines and prompt; null when the message had none. */
  running: z.string().nullable(),
  /** `show startup-config`; null when the device has none (`startup-config is not present`) or did not send it. */
  startup: z.string().nullable(),
  image: z.object({ version: z.string(), file: z.string(), software: z.string() }),
  /** The image's feature set (`UNIVERSALK9`), plus the licence level when the configuration names one. */
  featureSet: z.string(),
  technologies: z.array(TechnologySchema),
  sources: z.array(z.string()),
});
export type ConfigurationRecord = z.infer<typeof ConfigurationRecordSchema>;

/**
 * The stored inventory column: the record, or null for a row written before the mapping rules
 * (`{cards, attachments}`), so reports say "not available" until the next full inventory.
 */
export function readInventoryColumn(value: unknown): InventoryRecord | null {
  const r = InventoryRecordSchema.safeParse(value);
  return r.success ? r.data : null;
}

/**
 * The stored configuration column: the record (JSON), or, for a row written before the mapping rules
 * (the running configuration's text), a record holding that text until the next full configuration.
 */
export function readConfigurationColumn(value: string | null): ConfigurationRecord | null {
  if (value === null) return null;
  try {
    const r = ConfigurationRecordSchema.safeParse(JSON.parse(value));
    if (r.success) return r.data;
  } catch {
    // Not JSON: the running configuration as stored before the mapping rules.
  }
  return { messageId: '', eventTime: '', mappedAt: '', running: value, startup: null, image: { version: '', file: '', software: '' }, featureSet: '', technologies: [], sources: [] };
}
