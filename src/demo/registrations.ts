/**
 * Registration for the demo: contracts for the lab's serials (one device is in the installed
 * base without cover, so it goes to trial), then confirmation of every pending device but the last
 * `leavePending` with the token from its Pending Registration notification — as an administrator
 * would — so cases open, while some devices stay pending for the console's Registration screen.
 */
import type { ApiClient } from '../client/api-client.js';
import type { Lab } from '../lab/devices.js';

/** The demo's contract number of the lab device at `index` (the one at `uncovered` has none: trial). */
export function demoContractNumber(index: number, uncovered: number): string {
  return index === uncovered ? '' : `DEMO-${1000 + index}`;
}

/**
 * Imports one contract per lab device, each under its company (`companyOf`, accounts-cli: the devices are
 * split between the demo's companies); the device at `uncovered` has no contract number (trial).
 */
export async function importDemoContracts(api: ApiClient, lab: Lab, uncovered: number, companyOf: (index: number) => string = () => 'examplecorp'): Promise<void> {
  const year = new Date().getUTCFullYear();
  const contracts = lab.devices.map((d, i) => ({
    serial: d.identity.serial,
    contractNumber: demoContractNumber(i, uncovered),
    contractType: 'SNTC',
    company: companyOf(i),
    expiresAt: `${year + 1}-12-31T00:00:00.000Z`,
  }));
  await api.importContracts(contracts);
}

const TOKEN_LINE = /Security token: (\S+)/;

/**
 * Confirms pending registrations with the tokens the back end mailed, leaving the last
 * `leavePending` devices (in lab order) pending. Returns the serials it confirmed.
 */
export async function confirmDemoRegistrations(api: ApiClient, lab: Lab, leavePending: number): Promise<string[]> {
  const keepPending = new Set(lab.devices.slice(Math.max(0, lab.devices.length - leavePending)).map((d) => d.identity.serial));
  const { registrations } = await api.registrations();
  const { notifications } = await api.notifications(1000);
  const confirmed: string[] = [];
  for (const reg of registrations) {
    if (reg.state !== 'pending' || keepPending.has(reg.serial)) continue;
    const mail = notifications.find((n) => n.kind === 'pending-registration' && n.serial === reg.serial);
    const token = mail === undefined ? undefined : TOKEN_LINE.exec(mail.body)?.[1];
    if (token === undefined) continue;
    await api.confirmRegistration(reg.serial, token);
    confirmed.push(reg.serial);
  }
  return confirmed;
}
