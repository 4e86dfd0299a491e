/**
 * Deterministic identities of lab devices: the same index always gives the same hostname,
 * serial and model, so inventories and back-end records stay stable across restarts.
 */
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
};

/** The model mix of a lab fleet, in the order devices cycle through it. */
export const PLATFORMS: readonly Platform[] = [
  { model: 'CSR1000V', series: 'CSR1000v Cloud Services Router', serialPrefix: '9', hardwareVersion: 'V00', partNumber: 'CSR1000V', systemObjectId: '1.3.6.1.4.1.9.1.1537', processor: 'VXE', memoryKb: 3_978_828 },
  { model: 'ISR4451-X/K9', series: 'Cisco 4451-X Integrated Services Router', serialPrefix: 'FOC', hardwareVersion: 'V07', partNumber: '800-39542-07', systemObjectId: '1.3.6.1.4.1.9.1.1884', processor: '1RU', memoryKb: 7_941_186 },
  { model: 'C9300-48P', series: 'Cisco Catalyst 9300 Series Switches', serialPrefix: 'FOC', hardwareVersion: 'V02', partNumber: '73-17956-06', systemObjectId: '1.3.6.1.4.1.9.1.2494', processor: 'X86', memoryKb: 1_409_891 },
  { model: 'ASR1001-X', series: 'Cisco ASR 1000 Series Aggregation Services Routers', serialPrefix: 'FXS', hardwareVersion: 'V05', partNumber: '800-41257-05', systemObjectId: '1.3.6.1.4.1.9.1.1861', processor: '1RU-X', memoryKb: 3_755_446 },
];

const VERSIONS = ['17.3.4a', '17.6.5', '17.9.4a', '17.12.2'] as const;
const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The platform record behind an identity (falls back to the first one for unknown models). */
export function platformOf(model: string): Platform {
  return PLATFORMS.find((p) => p.model === model) ?? (PLATFORMS[0] as Platform);
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

/** The identity of lab device number `index` (1-based): `r1`/`R1`, a serial, a model from the mix. */
export function labIdentity(index: number): DeviceIdentity {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`device index must be a positive integer, got ${index}`);
  const platform = PLATFORMS[(index - 1) % PLATFORMS.length] as Platform;
  return {
    name: `r${index}`,
    hostname: `R${index}`,
    serial: serialFor(index, platform.serialPrefix),
    model: platform.model,
    series: platform.series,
    softwareVersion: VERSIONS[Math.floor((index - 1) / PLATFORMS.length) % VERSIONS.length] as string,
    hardwareVersion: platform.hardwareVersion,
    partNumber: platform.partNumber,
    systemObjectId: platform.systemObjectId,
  };
}
