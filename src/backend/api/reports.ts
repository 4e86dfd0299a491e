/** The four portal reports (spec §4.3–§4.6) as rows with fixed columns, for JSON and CSV. */
import { assertNever } from '../../util/assert-never.js';
import type { StoreQueries } from '../store/types.js';

export const REPORT_KINDS = ['device', 'history', 'network', 'registration'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export type Report = { readonly kind: ReportKind; readonly columns: readonly string[]; readonly rows: Record<string, string | number | boolean | null>[] };

const HISTORY_DAYS = 92;

/** Builds one report from the store. */
export async function buildReport(store: StoreQueries, kind: ReportKind, now = new Date()): Promise<Report> {
  const devices = await store.listDevices();
  switch (kind) {
    case 'device':
      return {
        kind,
        columns: ['hostname', 'serial', 'model', 'softwareVersion', 'registration', 'contract', 'lastInventoryAt', 'lastConfigurationAt', 'lastMessageAt'],
        rows: devices.map((d) => ({ hostname: d.hostname, serial: d.serial, model: d.model, softwareVersion: d.softwareVersion, registration: d.registration, contract: d.contractNumber ?? (d.registration === 'trial' ? 'Trial' : ''), lastInventoryAt: d.lastInventoryAt, lastConfigurationAt: d.lastConfigurationAt, lastMessageAt: d.lastMessageAt })),
      };
    case 'history': {
      const byserial = new Map(devices.map((d) => [d.serial, d]));
      const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString();
      const rows: Report['rows'] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listMessages({ since, limit: 500, cursor });
        for (const m of page.messages) {
          const d = byserial.get(m.serial);
          const detail = await store.getMessage(m.id);
          rows.push({ serial: m.serial, model: m.model, hostname: m.hostname, receivedAt: m.receivedAt, contract: d?.contractNumber ?? '', registration: d?.registration ?? '', severity: m.severity, type: m.type, status: detail?.status ?? '', srRaised: detail?.results.caseNumber ?? 'No', notificationSent: (detail?.results.notifiedTo?.length ?? 0) > 0, id: m.id });
        }
        cursor = page.next ?? undefined;
      } while (cursor);
      return { kind, columns: ['serial', 'model', 'hostname', 'receivedAt', 'contract', 'registration', 'severity', 'type', 'status', 'srRaised', 'notificationSent', 'id'], rows };
    }
    case 'network': {
      const groups = new Map<string, { model: string; softwareVersion: string; registration: string; devices: number }>();
      for (const d of devices) {
        const key = `${d.model}\u0000${d.softwareVersion}\u0000${d.registration}`;
        const g = groups.get(key) ?? { model: d.model, softwareVersion: d.softwareVersion, registration: d.registration, devices: 0 };
        g.devices++;
        groups.set(key, g);
      }
      return { kind, columns: ['model', 'softwareVersion', 'registration', 'devices'], rows: [...groups.values()].sort((a, b) => a.model.localeCompare(b.model) || a.softwareVersion.localeCompare(b.softwareVersion)) };
    }
    case 'registration': {
      const contracts = new Map((await store.listContracts()).map((c) => [c.serial, c]));
      const groups = new Map<string, { company: string; contract: string; contractType: string; devices: number; trial: number; pending: number; expired: number; expiringSoon: number }>();
      const soon = now.getTime() + 30 * 86_400_000;
      for (const d of devices) {
        const c = contracts.get(d.serial);
        const contract = d.contractNumber ?? (d.registration === 'trial' ? 'Trial' : d.registration === 'pending' ? 'Pending' : '');
        const key = `${c?.company ?? ''}\u0000${contract}`;
        const g = groups.get(key) ?? { company: c?.company ?? '', contract, contractType: c?.contractType ?? '', devices: 0, trial: 0, pending: 0, expired: 0, expiringSoon: 0 };
        g.devices++;
        if (d.registration === 'trial') g.trial++;
        if (d.registration === 'pending') g.pending++;
        if (d.registration === 'expired') g.expired++;
        const ends = d.registration === 'trial' ? d.trialEndsAt : (c?.expiresAt ?? null);
        if (ends && d.registration !== 'expired' && Date.parse(ends) < soon) g.expiringSoon++;
        groups.set(key, g);
      }
      return { kind, columns: ['company', 'contract', 'contractType', 'devices', 'trial', 'pending', 'expired', 'expiringSoon'], rows: [...groups.values()] };
    }
    default:
      return assertNever(kind, 'report kind');
  }
}
