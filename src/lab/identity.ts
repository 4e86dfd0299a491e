/**
 * Deterministic identities of lab devices: the same index always gives the same hostname,
 * serial and model, so inventories and back-end records stay stable across restarts.
 */
import { trainOfVersion, type Train } from '../domain/callhome.js';
import type { DeviceIdentity } from './types.js';

type Platform = {
  readonly model: string;
  readonly series: string;
  readonly serialPrefix: string;
  readonly hardwareVersion: string;
  readonly partNumber: string;
  readonly systemObjectId: string;
  /** `cisco MODEL (PROCESSOR) processor` of `show version`. */
  readonly processor: string;
  readonly memoryKb: number;
  /** The image family in `show version` and the image file name. */
  readonly image: string;
  /** `Cisco IOS Software, <software> (<feature set>)` — what the platform calls its software. */
  readonly software: string;
};

/** The model mix of a lab fleet, in the order devices cycle through it. */
export const PLATFORMS: readonly Platform[] = [
  { model: 'CSR1000V', series: 'CSR1000v Cloud Services Router', serialPrefix: '9', hardwareVersion: 'V00', partNumber: 'CSR1000V', systemObjectId: '1.3.6.1.4.1.9.1.1537', processor: 'VXE', memoryKb: 3_978_828, image: 'csr1000v', software: 'Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)' },
  { model: 'ISR4451-X/K9', series: 'Cisco 4451-X Integrated Services Router', serialPrefix: 'FOC', hardwareVersion: 'V07', partNumber: '800-39542-07', systemObjectId: '1.3.6.1.4.1.9.1.1884', processor: '1RU', memoryKb: 7_941_186, image: 'isr4400', software: 'ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)' },
  { model: 'C9300-48P', series: 'Cisco Catalyst 9300 Series Switches', serialPrefix: 'FOC', hardwareVersion: 'V02', partNumber: '73-17956-06', systemObjectId: '1.3.6.1.4.1.9.1.2494', processor: 'X86', memoryKb: 1_409_891, image: 'cat9k_iosxe', software: 'Catalyst L3 Switch Software (CAT9K_IOSXE)' },
  { model: 'ASR1001-X', series: 'Cisco ASR 1000 Series Aggregation Services Routers', serialPrefix: 'FXS', hardwareVersion: 'V05', partNumber: '800-41257-05', systemObjectId: '1.3.6.1.4.1.9.1.1861', processor: '1RU-X', memoryKb: 3_755_446, image: 'asr1001x', software: 'ASR1000 Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)' },
];

/** Classic IOS 15.x platforms (ISR G2): they never ran IOS XE. */
export const CLASSIC_PLATFORMS: readonly Platform[] = [
  { model: 'CISCO2911/K9', series: 'Cisco 2911 Integrated Services Router', serialPrefix: 'FTX', hardwareVersion: 'V07', partNumber: '800-33692-04', systemObjectId: '1.3.6.1.4.1.9.1.1045', processor: 'revision 1.0', memoryKb: 487_424, image: 'c2900', software: 'C2900 Software (C2900-UNIVERSALK9-M)' },
  { model: 'CISCO3945/K9', series: 'Cisco 3945 Integrated Services Router', serialPrefix: 'FTX', hardwareVersion: 'V05', partNumber: '800-31452-07', systemObjectId: '1.3.6.1.4.1.9.1.1047', processor: 'C3900-SPE150/K9', memoryKb: 2_027_520, image: 'c3900e', software: 'C3900e Software (C3900e-UNIVERSALK9-M)' },
  { model: 'CISCO1941/K9', series: 'Cisco 1941 Integrated Services Router', serialPrefix: 'FTX', hardwareVersion: 'V05', partNumber: '800-30390-05', systemObjectId: '1.3.6.1.4.1.9.1.1095', processor: 'revision 1.0', memoryKb: 487_424, image: 'c1900', software: 'C1900 Software (C1900-UNIVERSALK9-M)' },
];

const VERSIONS = ['17.3.4a', '17.6.5', '17.9.4a', '17.12.2'] as const;

/** Versions `callhome lab --software` offers, and `mixed`, which spreads them across the fleet. */
export const SOFTWARE_CHOICES = ['17.9.4a', '16.12.5', '15.2(4)M11', 'mixed'] as const;
export type SoftwareChoice = (typeof SOFTWARE_CHOICES)[number];
const MIXED: readonly string[] = ['17.9.4a', '15.2(4)M11', '16.12.5'];

/** True for a choice `callhome lab --software` accepts. */
export function isSoftwareChoice(value: string): value is SoftwareChoice {
  return (SOFTWARE_CHOICES as readonly string[]).includes(value);
}

/** The software train of a device. */
export function trainOf(identity: Pick<DeviceIdentity, 'softwareVersion'>): Train {
  return trainOfVersion(identity.softwareVersion);
}
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The platform record behind an identity (falls back to the first one for unknown models). */
export function platformOf(model: string): Platform {
  return [...PLATFORMS, ...CLASSIC_PLATFORMS].find((p) => p.model === model) ?? (PLATFORMS[0] as Platform);
}

/** A 32-bit mix of the index so neighbouring devices do not get similar serials. */
function mix(n: number): number {
  let x = (n + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function serialFor(index: number, prefix: string): string {
  // 11 characters like real Cisco serials: `9S1NMSF22DW`, `FOC1234ABCD`.
  const length = 11 - prefix.length;
  let out = prefix;
  let seed = mix(index);
  for (let i = 0; i < length; i++) {
    if (i % 6 === 5) seed = mix(seed + i);
    out += SERIAL_ALPHABET[seed % SERIAL_ALPHABET.length];
    seed = Math.floor(seed / SERIAL_ALPHABET.length);
  }
  return out;
}

/**
 * The identity of lab device number `index` (1-based): `r1`/`R1`, a serial, a model from the mix.
 * Without `software` the devices run IOS XE 17.x releases in turn; with a version every device runs
 * it on a model of its train; `mixed` cycles 17.9.4a, 15.2(4)M11 and 16.12.5.
 */
export function labIdentity(index: number, software?: SoftwareChoice): DeviceIdentity {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`device index must be a positive integer, got ${index}`);
  const version =
    software === undefined
      ? (VERSIONS[Math.floor((index - 1) / PLATFORMS.length) % VERSIONS.length] as string)
      : software === 'mixed'
        ? (MIXED[(index - 1) % MIXED.length] as string)
        : software;
  const platforms = trainOfVersion(version) === 'xe' ? PLATFORMS : CLASSIC_PLATFORMS;
  // Mixed fleets step through the trains first, so each train still sees every model in turn.
  const slot = software === 'mixed' ? Math.floor((index - 1) / MIXED.length) : index - 1;
  const platform = platforms[slot % platforms.length] as Platform;
  return {
    name: `r${index}`,
    hostname: `R${index}`,
    serial: serialFor(index, platform.serialPrefix),
    model: platform.model,
    series: platform.series,
    softwareVersion: version,
    hardwareVersion: platform.hardwareVersion,
    partNumber: platform.partNumber,
    systemObjectId: platform.systemObjectId,
  };
}
