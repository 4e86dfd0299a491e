/**
 * The gateway's communication and retrieval logs (S87). The communication log records what passed
 * between the gateway and the service (forwarded, refused, unreachable, password rotated, held,
 * purged, released or dropped by an operator); the retrieval log what the gateway took in (posts,
 * mail, mailbox polls and their failures). One CSV file per kind and ISO week (UTC) in DIR/logs —
 * `communication-2026-W49.csv` — with the columns time, subject, block id (the queue entry), message
 * id, serial, status, detail. Files whose week ended more than three months ago are deleted; `callhome
 * gateway logs --export FILE.zip` packs the rest.
 */
import { closeSync, createWriteStream, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ZipFile } from 'yazl';
import type { EntryRef, GatewayEvent } from './events.js';

export type LogKind = 'communication' | 'retrieval';
export const LOG_KINDS: readonly LogKind[] = ['communication', 'retrieval'];

export type LogRecord = {
  readonly subject?: string;
  /** The queue entry's ID ('' when the record is not about one entry). */
  readonly blockId?: string;
  readonly messageId?: string;
  readonly serial?: string;
  readonly status: string;
  readonly detail?: string;
};

export const LOG_COLUMNS = ['time', 'subject', 'block id', 'message id', 'serial', 'status', 'detail'] as const;

/** Three months: a file goes when the last day of its week is this much in the past. */
export const LOG_RETENTION_MS = 92 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;
const WEEK_MS = 7 * DAY_MS;

/** Monday 00:00 UTC of ISO week 1 of `year`. */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
}

/** The ISO week of `d` in UTC, as `2026-W49`. */
export function isoWeek(d: Date): string {
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  // The ISO year is the year of the week's Thursday.
  const thursday = day - ((d.getUTCDay() + 6) % 7) * DAY_MS + 3 * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - week1Monday(year)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** When the week `2026-W49` ends (the next Monday 00:00 UTC), in ms. */
export function weekEnd(week: string): number {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return Number.NaN;
  return week1Monday(Number(m[1])) + Number(m[2]) * WEEK_MS;
}

export function logDir(queueDir: string): string {
  return join(queueDir, 'logs');
}

const FILE_NAME = /^(communication|retrieval)-(\d{4}-W\d{2})\.csv$/;

export type LogFile = { readonly name: string; readonly kind: LogKind; readonly week: string; readonly bytes: number; readonly path: string };

/** The log files in `dir`, oldest week first. */
export function listLogFiles(dir: string): LogFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files: LogFile[] = [];
  for (const name of names) {
    const m = FILE_NAME.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    files.push({ name, kind: m[1] as LogKind, week: m[2] ?? '', bytes: statSync(path).size, path });
  }
  return files.sort((a, b) => a.week.localeCompare(b.week) || a.kind.localeCompare(b.kind));
}

/** Deletes the files whose week ended more than three months before `now`; returns their names. */
export function pruneLogs(dir: string, now = new Date()): string[] {
  const gone: string[] = [];
  for (const f of listLogFiles(dir)) {
    if (weekEnd(f.week) + LOG_RETENTION_MS < now.getTime()) {
      rmSync(f.path, { force: true });
      gone.push(f.name);
    }
  }
  return gone;
}

const entry = (e: EntryRef): Pick<LogRecord, 'subject' | 'blockId' | 'messageId' | 'serial'> => ({ subject: e.subject, blockId: String(e.id), messageId: e.messageId, serial: e.serial });

/** The log lines one gateway event makes. */
export function eventRecords(e: GatewayEvent): { kind: LogKind; record: LogRecord }[] {
  const comm = (record: LogRecord): { kind: LogKind; record: LogRecord } => ({ kind: 'communication', record });
  const retr = (record: LogRecord): { kind: LogKind; record: LogRecord } => ({ kind: 'retrieval', record });
  switch (e.type) {
    case 'queued':
      return [retr({ ...entry(e), status: `queued (${e.source})` })];
    case 'intake.refused':
      return [retr({ status: e.storeFull ? `refused: store full (${e.source})` : `refused (${e.source})`, detail: e.reason })];
    case 'mailbox':
      return [retr({ status: `mailbox ${e.state}`, detail: e.detail })];
    case 'forwarded':
      return [comm({ ...entry(e), status: e.duplicate ? 'forwarded (the service had it already)' : 'forwarded' })];
    case 'refused':
      return [comm({ ...entry(e), status: 'refused by the service', detail: e.reason })];
    case 'held':
      return e.entries.map((x) => comm({ ...entry(x), status: 'held', detail: e.reason }));
    case 'purged':
      return e.entries.map((x) => comm({ ...entry(x), status: 'purged (older than 2 days)' }));
    case 'backend.unreachable':
      return [comm({ status: 'service unreachable', detail: `${e.reason}; next attempt in ${Math.round(e.retryInMs / 1000)} s` })];
    case 'backend.reachable':
      return [comm({ status: 'service reachable again' })];
    case 'password.rotated':
      return [comm({ status: 'password rotated by the service' })];
    case 'store-full.mail':
      return [comm({ status: e.sent ? 'store-full mail sent' : 'store-full mail failed', detail: `to ${e.to.join(', ')}: ${e.detail}` })];
  }
}

export type GatewayLogs = {
  /** Appends one record to this week's file of `kind`. */
  write(kind: LogKind, record: LogRecord, at?: Date): void;
  /** Appends what an event says. */
  event(e: GatewayEvent, at?: Date): void;
  close(): void;
};

/**
 * Appends to the week's files, opening a new one when the week turns. Each line is written with one
 * write(2) in append mode, so the running gateway and an operator's `gateway send|drop` can share a file.
 */
export function openGatewayLogs(dir: string): GatewayLogs {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const open = new Map<string, number>();
  const fd = (kind: LogKind, week: string): number => {
    const name = `${kind}-${week}.csv`;
    let f = open.get(name);
    if (f !== undefined) return f;
    for (const [other, old] of open) {
      if (other.startsWith(`${kind}-`)) {
        closeSync(old);
        open.delete(other);
      }
    }
    f = openSync(join(dir, name), 'a', 0o600);
    if (statSync(join(dir, name)).size === 0) writeSync(f, stringify([LOG_COLUMNS as unknown as string[]]));
    open.set(name, f);
    return f;
  };
  const write = (kind: LogKind, r: LogRecord, at = new Date()): void => {
    writeSync(fd(kind, isoWeek(at)), stringify([[at.toISOString(), r.subject ?? '', r.blockId ?? '', r.messageId ?? '', r.serial ?? '', r.status, r.detail ?? '']]));
  };
  return {
    write,
    event: (e, at) => {
      for (const { kind, record } of eventRecords(e)) write(kind, record, at);
    },
    close: () => {
      for (const f of open.values()) closeSync(f);
      open.clear();
    },
  };
}

/**
 * Writes every log file of `dir` into the zip `target` (each read whole first: a running gateway may be
 * appending, and a zip entry's size is fixed when it is added). Written to a temporary name, then renamed.
 */
export async function exportLogs(dir: string, target: string): Promise<LogFile[]> {
  const files = listLogFiles(dir);
  const zip = new ZipFile();
  for (const f of files) zip.addBuffer(readFileSync(f.path), f.name, { mtime: statSync(f.path).mtime, mode: 0o100600 });
  zip.end();
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp, { mode: 0o600 });
      out.once('error', reject);
      out.once('close', resolve);
      zip.outputStream.once('error', reject);
      zip.outputStream.pipe(out);
    });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return files;
}
