/**
 * The portal reports (spec §4.3–§4.7) as tables with fixed columns, each with its search criteria:
 * Device (S69), Call Home History (S71), Network Summary, Registration Summary and Product Alerts (S75).
 * Every one is written page by page by reports/export.ts in JSON, CSV, Excel or PDF (S76).
 */
import { assertNever } from '../../util/assert-never.js';
import { matchAdvisories, type AdvisoryType } from '../reports/advisories.js';
import { inventoryParts, NO_DATA, REPORTED_STATES, srContactOf } from '../reports/device-details.js';
import { breathe, workSlice } from '../reports/slices.js';
import { pagesOf, type Column, type ReportTable, type Row } from '../reports/table.js';
import type { Contract, Device, HistoryRow, StoreQueries } from '../store/types.js';

export const REPORT_KINDS = ['device', 'history', 'network', 'registration', 'alerts'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The history window (§4.4, §9.1: three months). */
export const HISTORY_DAYS = 92;
/** Rows read from the store per page while a report streams. */
const PAGE = 500;
/** The most rows one report request returns; a history answer cut there carries `next` to continue from. */
export const HISTORY_ROW_CAP = 1_000_000;

/** The search criteria, all optional; text criteria match a part of the value, ignoring case (S69, S71). */
export type ReportCriteria = {
  readonly company?: string | undefined;
  readonly hostname?: string | undefined;
  readonly serial?: string | undefined;
  /** device: chassis model (PID). */
  readonly model?: string | undefined;
  readonly cardModel?: string | undefined;
  readonly cardSerial?: string | undefined;
  /** history: message type; alerts: advisory type. */
  readonly type?: string | undefined;
  /** alerts: a part of the host name or serial. */
  readonly device?: string | undefined;
  /** history: received at or after / before; alerts: published on or after / before. */
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly cursor?: string | undefined;
};

/** The six criteria of the Device report (§4.3, S69); `GET /devices` (`callhome devices`) takes the same. */
export const DEVICE_CRITERIA = ['company', 'hostname', 'serial', 'model', 'cardModel', 'cardSerial'] as const;
export type DeviceSearch = Pick<ReportCriteria, (typeof DEVICE_CRITERIA)[number]>;

/** The criteria each report takes (a criterion another report takes is a 400 here, not silently ignored). */
export const REPORT_CRITERIA: Readonly<Record<ReportKind, readonly (keyof ReportCriteria)[]>> = {
  device: DEVICE_CRITERIA,
  history: ['company', 'hostname', 'serial', 'type', 'since', 'until', 'cursor'],
  network: ['company'],
  registration: ['company'],
  alerts: ['company', 'type', 'device', 'since', 'until'],
};

const contains = (value: string, part: string | undefined): boolean => part === undefined || value.toLowerCase().includes(part.toLowerCase());
const sameText = (value: string, wanted: string | undefined): boolean => wanted === undefined || value.toLowerCase() === wanted.toLowerCase();

/** Devices with their contract and company, read once per report. */
type Directory = { devices: Device[]; contract(serial: string): Contract | undefined; company(serial: string): string };

async function directory(store: StoreQueries): Promise<Directory> {
  const contracts = new Map((await store.listContracts()).map((c) => [c.serial, c]));
  const devices = await store.listDevices();
  const companies = new Map(devices.map((d) => [d.serial, d.company]));
  return {
    devices,
    contract: (serial) => contracts.get(serial),
    // accounts: the company the device is registered to (confirmed for, else its contract's).
    company: (serial) => companies.get(serial) ?? contracts.get(serial)?.company ?? '',
  };
}

/**
 * The one device search (S69): of `candidates`, those whose company is the one named and whose host name,
 * serial, chassis model, and some card's model and serial contain the parts given (any case). Pages of at
 * most PAGE; card criteria read each candidate's inventory, a few devices per turn of the event loop.
 */
async function* matchingDevices(store: StoreQueries, dir: Directory, candidates: readonly Device[], c: DeviceSearch): AsyncGenerator<Device[]> {
  const chassis = candidates.filter((d) => sameText(dir.company(d.serial), c.company) && contains(d.hostname, c.hostname) && contains(d.serial, c.serial) && contains(d.model, c.model));
  if (c.cardModel === undefined && c.cardSerial === undefined) {
    for (let i = 0; i < chassis.length; i += PAGE) yield chassis.slice(i, i + PAGE);
    return;
  }
  let page: Device[] = [];
  for (const [i, d] of chassis.entries()) {
    const detail = await store.getDevice(d.serial);
    const cards = (detail ? inventoryParts(detail) : []).slice(1);
    if (cards.some((p) => contains(p.pid, c.cardModel) && contains(p.serial, c.cardSerial))) page.push(d);
    if (page.length >= PAGE || i % 50 === 49) {
      if (page.length > 0) yield page;
      page = [];
      await breathe();
    }
  }
  if (page.length > 0) yield page;
}

/** Every device known to the service (any registration state) that a Device-report search selects: `GET /devices`. */
export async function searchDevices(store: StoreQueries, c: DeviceSearch): Promise<Device[]> {
  const dir = await directory(store);
  const found: Device[] = [];
  for await (const page of matchingDevices(store, dir, dir.devices, c)) found.push(...page);
  return found;
}

/**
 * The serials a search on company / part of a host name / part of a serial selects (GET /messages, the
 * History report), or undefined without such criteria. store: one query, not the whole device directory.
 */
export async function searchSerials(store: StoreQueries, c: Pick<ReportCriteria, 'company' | 'hostname' | 'serial'>): Promise<string[] | undefined> {
  return c.company === undefined && c.hostname === undefined && c.serial === undefined ? undefined : store.deviceSerials({ company: c.company, hostname: c.hostname, serial: c.serial });
}

/** The criteria given, for the report's heading. */
function given(c: ReportCriteria, kind: ReportKind): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of REPORT_CRITERIA[kind]) {
    const v = c[k];
    if (v !== undefined && k !== 'cursor') out[k] = v;
  }
  return out;
}

/** §4.4 column 4: the contract number the device is registered with, or "Under Warranty" (entitlement writes it so). */
function contractLabel(d: Device | undefined, c: Contract | undefined): string {
  return d?.contractNumber ?? c?.contractNumber ?? '';
}

/** §4.4 column 6: covered (registered under a contract or warranty), expired, on trial, or not covered. */
function entitlement(d: Device | undefined): string {
  if (d?.registration === 'registered') return 'covered';
  if (d?.registration === 'expired' || d?.registration === 'trial') return d.registration;
  return 'not covered';
}

/** §4.4 column 9: what processing did, in one line. */
function resultsText(m: HistoryRow): string {
  const r = m.results;
  const parts: string[] = [m.status];
  if (r.rules?.length) parts.push(`rules: ${r.rules.join(', ')}`);
  if (r.recommendations?.length) parts.push(`recommendation: ${r.recommendations.join(' / ')}`);
  if (r.caseNumber) parts.push(`SR ${r.caseNumber} ${r.caseAction ?? ''}`.trim());
  if (r.note) parts.push(r.note);
  return parts.join('; ');
}

const col = (key: string, header: string, width = 1): Column => ({ key, header, width });

/** The history columns: those of the first release (keys kept for scripts), then the rest of §4.4's eleven. */
export const HISTORY_COLUMNS: readonly Column[] = [
  col('serial', 'Serial number'),
  col('model', 'Product ID'),
  col('hostname', 'Host name'),
  col('receivedAt', 'Received', 1.5),
  col('contract', 'Contract'),
  col('registration', 'Registration', 0.8),
  col('severity', 'Severity', 0.5),
  col('type', 'Message type', 0.9),
  col('status', 'Status', 0.9),
  col('srRaised', 'SR raised', 0.8),
  col('notificationSent', 'Notification sent', 0.7),
  col('id', 'Message', 0.5),
  col('company', 'Company'),
  col('entitlement', 'Entitlement', 0.8),
  col('srContact', 'SR contact', 1.3),
  col('results', 'Results', 2),
  col('link', 'Link', 1.2),
];

/** Builds one report; its rows are read only as they are written. */
export async function buildReport(store: StoreQueries, kind: ReportKind, criteria: ReportCriteria = {}, now = new Date()): Promise<ReportTable> {
  const shown = given(criteria, kind);
  // store: the history reads the devices its pages name, not the whole directory.
  if (kind === 'history') return historyReport(store, criteria, shown, now);
  const dir = await directory(store);
  const fixed = (title: string, columns: readonly Column[], rows: Row[], empty = NO_DATA): ReportTable => ({ kind, title, columns, criteria: shown, empty, pages: pagesOf(rows, PAGE), next: () => null });
  switch (kind) {
    case 'device': {
      const columns = [col('hostname', 'Host name'), col('serial', 'Serial number'), col('model', 'Product ID'), col('softwareVersion', 'Software'), col('registration', 'Registration'), col('contract', 'Contract'), col('lastInventoryAt', 'Last inventory', 1.5), col('lastConfigurationAt', 'Last configuration', 1.5), col('lastMessageAt', 'Last message', 1.5), col('company', 'Company')];
      const row = (d: Device): Row => ({ hostname: d.hostname, serial: d.serial, model: d.model, softwareVersion: d.softwareVersion, registration: d.registration, contract: d.contractNumber ?? (d.registration === 'trial' ? 'Trial' : ''), company: dir.company(d.serial), lastInventoryAt: d.lastInventoryAt, lastConfigurationAt: d.lastConfigurationAt, lastMessageAt: d.lastMessageAt });
      // §4.3 / S77: a device is listed only when registered ('Complete') and once it has sent an inventory.
      const reported = dir.devices.filter((d) => REPORTED_STATES.has(d.registration) && d.lastInventoryAt !== null);
      return {
        kind,
        title: 'Device Report',
        columns,
        criteria: shown,
        empty: NO_DATA,
        next: () => null,
        async *pages() {
          for await (const page of matchingDevices(store, dir, reported, criteria)) yield page.map(row);
        },
      };
    }
    case 'network': {
      // §4.5 [PROPOSED]: device counts grouped by company, product family, chassis model, software version and registration state.
      const groups = new Map<string, { company: string; series: string; model: string; softwareVersion: string; registration: string; devices: number }>();
      for (const d of dir.devices) {
        const company = dir.company(d.serial);
        if (!sameText(company, criteria.company)) continue;
        const key = [company, d.series, d.model, d.softwareVersion, d.registration].join('\u0000');
        const g = groups.get(key) ?? { company, series: d.series, model: d.model, softwareVersion: d.softwareVersion, registration: d.registration, devices: 0 };
        g.devices++;
        groups.set(key, g);
      }
      const rows = [...groups.values()].sort((a, b) => a.company.localeCompare(b.company) || a.series.localeCompare(b.series) || a.model.localeCompare(b.model) || a.softwareVersion.localeCompare(b.softwareVersion) || a.registration.localeCompare(b.registration));
      return fixed('Network Summary Report', [col('company', 'Company'), col('series', 'Product family', 1.6), col('model', 'Product ID'), col('softwareVersion', 'Software'), col('registration', 'Registration'), col('devices', 'Devices', 0.6)], rows);
    }
    case 'registration': {
      const groups = new Map<string, { company: string; contract: string; contractType: string; devices: number; trial: number; pending: number; expired: number; expiringSoon: number }>();
      const soon = now.getTime() + 30 * 86_400_000;
      for (const d of dir.devices) {
        const c = dir.contract(d.serial);
        const company = dir.company(d.serial);
        if (!sameText(company, criteria.company)) continue;
        const contract = d.contractNumber ?? (d.registration === 'trial' ? 'Trial' : d.registration === 'pending' ? 'Pending' : '');
        const key = `${company}\u0000${contract}`;
        const g = groups.get(key) ?? { company, contract, contractType: c?.contractType ?? '', devices: 0, trial: 0, pending: 0, expired: 0, expiringSoon: 0 };
        g.devices++;
        if (d.registration === 'trial') g.trial++;
        if (d.registration === 'pending') g.pending++;
        if (d.registration === 'expired') g.expired++;
        // The end the registration rests on: the trial's, else the contract's or warranty's as entitlement recorded it.
        const ends = d.registration === 'trial' ? d.trialEndsAt : (d.coverageEndsAt ?? c?.expiresAt ?? null);
        if (ends && d.registration !== 'expired' && Date.parse(ends) < soon) g.expiringSoon++;
        groups.set(key, g);
      }
      const columns = ['company', 'contract', 'contractType', 'devices', 'trial', 'pending', 'expired', 'expiringSoon'].map((k) => col(k, k === 'expiringSoon' ? 'Expiring soon' : k === 'contractType' ? 'Contract type' : k[0]?.toUpperCase() + k.slice(1)));
      return fixed('Registration Summary Report', columns, [...groups.values()]);
    }
    case 'alerts':
      return alertsReport(store, dir, criteria, shown);
    default:
      return assertNever(kind, 'report kind');
  }
}

/** Devices read per query while the history streams (each page reads only the devices it has not met yet). */
const DEVICE_CHUNK = 50;
/**
 * pgexport (issue 14): the longest the history waits, before each slice, for the rest of the service's database
 * work in flight (an ingest transaction) to finish. Under a steady ingest it still gets a slice in every ~25 ms.
 */
const GIVE_WAY_MS = 25;

/** What a history row shows of its device, read once per device. */
type DeviceFacts = { device: Device | undefined; contract: Contract | undefined; company: string; srContact: string };

/**
 * Call Home History (§4.4, S71): the last three months of messages from registered devices (registered,
 * trial or expired), newest first, read from the store a page at a time. store (issue 14): each page reads
 * the devices it names and has not met yet, a few per turn of the event loop, instead of the whole device
 * directory up front (at 5,000 devices that read alone held the loop for 100–400 ms).
 */
function historyReport(store: StoreQueries, c: ReportCriteria, shown: Record<string, string>, now: Date): ReportTable {
  const windowStart = new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString();
  const since = c.since !== undefined && c.since > windowStart ? c.since : windowStart;
  let next: string | null = null;
  const known = new Map<string, DeviceFacts>();
  // Between slices: the event loop, then the database, go to the rest of the service first (giveWay: PostgreSQL).
  const pace = async (): Promise<void> => {
    await breathe();
    await store.giveWay?.(GIVE_WAY_MS);
  };
  const meet = async (serials: readonly string[]): Promise<void> => {
    const fresh = [...new Set(serials)].filter((x) => !known.has(x));
    for (let i = 0; i < fresh.length; i += DEVICE_CHUNK) {
      const chunk = fresh.slice(i, i + DEVICE_CHUNK);
      const devices = new Map((await store.devicesOf(chunk)).map((d) => [d.serial, d]));
      for (const serial of chunk) {
        const device = devices.get(serial);
        // The contract is read only when the registration names none (a device under a contract it was not registered with, or no device row).
        const contract = device?.contractNumber ? undefined : ((await store.getContract(serial)) ?? undefined);
        // One preferences read per device, not per message.
        known.set(serial, { device, contract, company: device?.company ?? contract?.company ?? '', srContact: device ? await srContactOf(store, device) : '' });
      }
      await pace();
    }
  };
  return {
    kind: 'history',
    title: 'Call Home History Report',
    columns: HISTORY_COLUMNS,
    criteria: shown,
    empty: NO_DATA,
    next: () => next,
    pace,
    async *pages() {
      // §4.4: messages of registered devices only (registered, trial, expired); their serials are one list.
      const serials = await store.deviceSerials({ company: c.company, hostname: c.hostname, serial: c.serial, registered: true });
      if (serials.length === 0) return;
      let cursor = c.cursor;
      let written = 0;
      do {
        const page = await store.listHistory({ since, until: c.until, type: c.type, serials, limit: Math.min(PAGE, HISTORY_ROW_CAP - written), cursor });
        await meet(page.rows.map((m) => m.serial));
        // A page's rows are built a slice at a time (slices.ts), each slice handed to the writer as it is built.
        for (let i = 0; i < page.rows.length; ) {
          const rows: Row[] = [];
          i = workSlice(page.rows, i, (part) => part.forEach((m) => rows.push(historyRow(m, known.get(m.serial)))));
          written += rows.length;
          yield rows;
          await pace();
        }
        cursor = page.next ?? undefined;
        if (written >= HISTORY_ROW_CAP) next = page.next;
      } while (cursor && written < HISTORY_ROW_CAP);
    },
  };
}

/** One row of the History report (§4.4): the message and what is known of its device. */
function historyRow(m: HistoryRow, f: DeviceFacts | undefined): Row {
  const d = f?.device;
  return {
    serial: m.serial,
    model: m.model,
    hostname: m.hostname,
    receivedAt: m.receivedAt,
    contract: contractLabel(d, f?.contract),
    registration: d?.registration ?? '',
    severity: m.severity,
    type: m.type,
    status: m.status,
    srRaised: m.results.caseNumber ?? 'No',
    notificationSent: (m.results.notifiedTo?.length ?? 0) > 0,
    id: m.id,
    company: f?.company ?? '',
    entitlement: entitlement(d),
    srContact: f?.srContact ?? '',
    results: resultsText(m),
    link: `/api/v1/messages/${m.id}`,
  };
}

/** Product Alerts (§4.7, S75): the shipped advisories that apply to each registered device with an inventory, one row per pair. */
function alertsReport(store: StoreQueries, dir: Directory, c: ReportCriteria, shown: Record<string, string>): ReportTable {
  const devices = dir.devices.filter((d) => REPORTED_STATES.has(d.registration) && d.lastInventoryAt !== null && sameText(dir.company(d.serial), c.company) && (contains(d.hostname, c.device) || contains(d.serial, c.device)));
  const since = c.since?.slice(0, 10);
  const until = c.until?.slice(0, 10);
  return {
    kind: 'alerts',
    title: 'Product Alerts Report',
    columns: [
      col('type', 'Type', 0.6),
      col('id', 'Advisory', 1.6),
      col('title', 'Title', 2.5),
      col('hostname', 'Host name'),
      col('serial', 'Serial number'),
      col('model', 'Product ID'),
      col('softwareVersion', 'Software', 0.7),
      col('company', 'Company'),
      col('matchedOn', 'Matched on', 1.4),
      col('published', 'Published', 0.7),
      col('url', 'Link', 2),
    ],
    criteria: shown,
    empty: 'No product alerts match the registered devices.',
    next: () => null,
    async *pages() {
      let page: Row[] = [];
      for (const [i, d] of devices.entries()) {
        const detail = await store.getDevice(d.serial);
        const [chassis, ...components] = detail ? inventoryParts(detail).map((p) => p.pid) : [d.model];
        const version = detail?.inventory?.image.version || d.softwareVersion;
        for (const { advisory: a, matchedOn } of matchAdvisories([chassis ?? d.model, d.series, ...components], version)) {
          if ((c.type !== undefined && a.type !== (c.type as AdvisoryType)) || (since !== undefined && a.published < since) || (until !== undefined && a.published >= until)) continue;
          page.push({ type: a.type, id: a.id, title: a.title, hostname: d.hostname, serial: d.serial, model: d.model, softwareVersion: version, company: dir.company(d.serial), matchedOn, published: a.published, url: a.url });
        }
        if (page.length >= PAGE || i % 50 === 49) {
          if (page.length > 0) yield page;
          page = [];
          await breathe();
        }
      }
      if (page.length > 0) yield page;
    },
  };
}
