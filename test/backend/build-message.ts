/** Builds Call Home messages for tests; bodies are rendered with the Call Home codec (src/callhome). */
import type { CallHomeMessage } from '../../src/domain/message.js';

let counter = 100;

/** A full message for a device, with overrides. */
export function buildMessage(o: Partial<CallHomeMessage> & { serialNumber: string }): CallHomeMessage {
  counter++;
  const hex = (0x51aeac68 + counter).toString(16).toUpperCase();
  return {
    messageId: `M${counter}:${o.serialNumber}:${hex}`,
    groupId: `G${counter}:${o.serialNumber}:${hex}`,
    kind: 'inventory',
    subType: 'full',
    severity: 2,
    eventName: '',
    eventTime: '2026-11-23 10:00:00 GMT+00:00',
    description: 'Inventory',
    to: 'http://127.0.0.1/its/service/oddce/services/DDCEService',
    brand: 'Cisco Systems',
    series: 'CSR1000v Cloud Services Router',
    hostname: 'R1',
    contactName: '',
    contactEmail: 'noc@example.com',
    phoneNumber: '+1-408-555-1234',
    streetAddress: '1 Main Street',
    customerId: 'ExampleCorp',
    siteId: 'SITE-1',
    contractId: 'C123456',
    deviceId: `CSR1000V@C@${o.serialNumber}`,
    ccoId: '',
    idToken: '',
    model: 'CSR1000V',
    hardwareVersion: '1.0',
    partNumber: '800-1234-01',
    softwareVersion: '17.3.1',
    systemObjectId: '1.3.6.1.4.1.9.1.1537',
    systemDescription: 'Cisco IOS XE Software, Version 17.3.1',
    builderName: 'CSR1000v',
    builderVersion: '2.0',
    profileName: 'noc-http',
    cards: [],
    attachments: [{ name: 'show version', data: 'show version\nCisco IOS XE Software, Version 17.3.1\nR1#' }],
    ...o,
  };
}
