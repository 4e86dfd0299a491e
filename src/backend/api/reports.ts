/** The four portal reports (spec §4.3–§4.6) as rows with fixed columns, for JSON and CSV. */
import { assertNever } from '../../util/assert-never.js';
import type { StoreQueries } from '../store/types.js';
import { toCsv } from './csv.js';

export const REPORT_KINDS = ['device', 'history', 'network', 'registration'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export type Report = { readonly kind: ReportKind; readonly columns: readonly string[]; readonly rows: Record<string, string | number | boolean | null>[] };

const HISTORY_DAYS = 92;
export const HISTORY_COLUMNS = ['serial', 'model', 'hostname', 'receivedAt', 'contract', 'registration', 'severity', 'type', 'status', 'srRaised', 'notificationSent', 'id'] as const;
/** Rows read from the store per page while the history report streams. */
const HISTORY_PAGE = 500;
/** The most rows one history request returns; a JSON answer cut there carries `next` to continue from. */
export const HISTORY_ROW_CAP = 1_000_000;

type Row = Report['rows'][number];
type Sink = { write(text: string): Promise<void>; readonly closed: boolean };

/**
 * Writes the history report (S-portal §4.4: the last 3 months of messages, newest first) as JSON or CSV,
 * one store page at a time; `sink.write` waits for the socket to drain, so memory stays at one page
 * whatever the size, and the event loop is free between pages.
 */
export async function streamHistory(store: StoreQueries, format: 'json' | 'csv', sink: Sink, o: { cursor?: string | undefined; cap?: number; now?: Date } = {}): Promise<number> {
  const now = o.now ?? new Date();
  const cap = o.cap ?? HISTORY_ROW_CAP;
  const byserial = new Map((await store.listDevices()).map((d) => [d.serial, d]));
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString();
  await sink.write(format === 'csv' ? toCsv(HISTORY_COLUMNS, []) : `{"kind":"history","columns":${JSON.stringify(HISTORY_COLUMNS)},"rows":[`);
  let cursor = o.cursor;
  let written = 0;
  let next: string | null = null;
  do {
    const page = await store.listHistory({ since, limit: Math.min(HISTORY_PAGE, cap - written), cursor });
    const rows = page.rows.map((m): Row => {
      const d = byserial.get(m.serial);
      return { serial: m.serial, model: m.model, hostname: m.hostname, receivedAt: m.receivedAt, contract: d?.contractNumber ?? '', registration: d?.registration ?? '', severity: m.severity, type: m.type, status: m.status, srRaised: m.results.caseNumber ?? 'No', notificationSent: (m.results.notifiedTo?.length ?? 0) > 0, id: m.id };
    });
    if (rows.length > 0) await sink.write(format === 'csv' ? toCsv(HISTORY_COLUMNS, rows, false) : `${written > 0 ? ',' : ''}${rows.map((r) => JSON.stringify(r)).join(',')}`);
    written += rows.length;
    cursor = page.next ?? undefined;
    // SQLite answers synchronously, so without this the whole export would run in one turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    if (written >= cap) next = page.next;
  } while (cursor && written < cap && !sink.closed);
  if (format === 'json') await sink.write(`]${next ? `,"next":${JSON.stringify(next)}` : ''}}`);
  return written;
}

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
    case 'history':
      // Streamed page by page instead (streamHistory): a whole history does not fit in one answer.
      throw new Error('the history report is streamed with streamHistory');
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
