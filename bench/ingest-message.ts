/**
 * Realistic ~10 KB Call Home XML for the ingest benchmark, rendered with the lab's own renderer
 * (src/callhome/): a syslog alert with a `show logging` attachment, as a device posts it.
 */
import type { CallHomeMessage } from '../src/domain/message.js';
import { renderXml } from '../src/callhome/codec.js';

/** Stands in the rendered XML for the message id; replaced per request (cheap, no re-render). */
export const MESSAGE_ID_PLACEHOLDER = 'M0:BENCHPLACEHOLDER:0';
/** Devices the load is spread over (one registration each, as a real fleet). */
export const BENCH_DEVICES = 50;
const TARGET_BYTES = 10 * 1024;

function logLines(bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `*Nov 23 21:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}.${String(i % 1000).padStart(3, '0')}: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet${i % 4}/0/${i % 48}, changed state to ${i % 2 === 0 ? 'down' : 'up'}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function message(serial: string, padding: number): CallHomeMessage {
  return {
    messageId: MESSAGE_ID_PLACEHOLDER,
    groupId: `G1:${serial}:5A1B2C3D`,
    kind: 'syslog',
    subType: '',
    severity: 5,
    eventName: 'LINEPROTO-5-UPDOWN',
    eventTime: '2026-11-23 21:00:00 GMT+00:00',
    description: '%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet1, changed state to down',
    to: 'http://127.0.0.1/its/service/oddce/services/DDCEService',
    brand: 'Cisco Systems',
    series: 'CSR1000v Cloud Services Router',
    hostname: `BENCH-${serial.slice(-4)}`,
    contactName: 'NOC',
    contactEmail: 'noc@example.com',
    phoneNumber: '+1-408-555-1234',
    streetAddress: '1 Main Street, Springfield',
    customerId: 'ExampleCorp',
    siteId: 'SITE-1',
    contractId: 'C123456',
    deviceId: `CSR1000V@C@${serial}`,
    ccoId: '',
    idToken: '',
    model: 'CSR1000V',
    hardwareVersion: '1.0',
    serialNumber: serial,
    partNumber: '800-1234-01',
    softwareVersion: 'Cisco IOS XE Software, Version 17.03.01a',
    systemObjectId: '1.3.6.1.4.1.9.1.1537',
    systemDescription: 'Cisco IOS Software [Amsterdam], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.1a',
    builderName: 'CSR1000v',
    builderVersion: '2.0',
    profileName: 'CiscoTAC-1',
    cards: [],
    attachments: [{ name: 'show logging', data: `show logging\n${logLines(padding)}\nBENCH#` }],
  };
}

/** One XML template per bench device, each about 10 KB, with {@link MESSAGE_ID_PLACEHOLDER} as its id. */
export function benchTemplates(): string[] {
  return Array.from({ length: BENCH_DEVICES }, (_, i) => {
    const serial = `FBN${String(i).padStart(8, '0')}`;
    const bare = renderXml(message(serial, 0)).length;
    return renderXml(message(serial, Math.max(0, TARGET_BYTES - bare - 40)));
  });
}

/**
 * A message id that carries the time the request was sent (µs since the epoch, from a clock both
 * processes share) so the WebSocket side can measure device-to-client latency.
 */
export function benchMessageId(phase: string, n: number, template: number, sentAtUs: number): string {
  return `M${n}:${phase}${template}:${sentAtUs.toString(16).toUpperCase()}`;
}

/** The send time encoded by {@link benchMessageId}, or null for other ids. */
export function sentAtFromMessageId(messageId: string): { phase: string; sentAtUs: number } | null {
  const match = /^M\d+:([A-Z]+)\d+:([0-9A-F]+)$/.exec(messageId);
  if (!match?.[1] || !match[2]) return null;
  return { phase: match[1], sentAtUs: parseInt(match[2], 16) };
}

/** Wall-clock microseconds, comparable across processes on one machine. */
export function nowUs(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/** The p-th percentile (0–100) of a sample, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
