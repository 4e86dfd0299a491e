/**
 * Counters behind `show call-home statistics` (ios-call-home.md §8, C84): one count per
 * message × transport, moved from In-Queue to Success or Failed; rate-limit drops count only there.
 */
import type { MessageKind, TransportMethod } from '../../domain/callhome.js';
import type { CallHomeStatistics, StatsCell, StatsRow, StatsSection, StatsTable } from '../../domain/statistics.js';
import { STATS_SECTIONS } from '../../domain/statistics.js';
import { assertNever } from '../../util/assert-never.js';

/** Rows the engine fills (the sample's eight plus crash and snapshot, which the sample lacks). */
export const COUNTED_ROWS = ['config', 'crash', 'diagnostic', 'environment', 'inventory', 'snapshot', 'syslog', 'test', 'request', 'sendCli'] as const;
type CountedRow = (typeof COUNTED_ROWS)[number];

/** Statistics row of a message kind. */
export function statsRow(kind: MessageKind): CountedRow {
  switch (kind) {
    case 'configuration':
      return 'config';
    case 'crash':
    case 'diagnostic':
    case 'environment':
    case 'inventory':
    case 'snapshot':
    case 'syslog':
    case 'test':
    case 'request':
      return kind;
    case 'send-cli':
      return 'sendCli';
    default:
      return assertNever(kind, 'message kind');
  }
}

type Cell = { email: number; http: number };

/** Mutable counters of one device; reset only by a reload. */
export class StatsCounter {
  private readonly cells = new Map<string, Cell>();
  private lastSentAt: string | null = null;

  private cell(section: StatsSection, row: CountedRow): Cell {
    const key = `${section}/${row}`;
    let cell = this.cells.get(key);
    if (!cell) {
      cell = { email: 0, http: 0 };
      this.cells.set(key, cell);
    }
    return cell;
  }

  /** Adds `n` (may be negative) to one counter. */
  add(section: StatsSection, kind: MessageKind, transport: TransportMethod, n = 1): void {
    this.cell(section, statsRow(kind))[transport] += n;
  }

  /** Moves one delivery out of In-Queue into Success or Failed. */
  settle(kind: MessageKind, transport: TransportMethod, outcome: 'success' | 'failed', at: string): void {
    this.add('inQueue', kind, transport, -1);
    this.add(outcome, kind, transport);
    if (outcome === 'success') this.lastSentAt = at;
  }

  /** A snapshot as `show call-home statistics` prints it; every total is the sum of its rows. */
  snapshot(): CallHomeStatistics {
    const sections = {} as Record<StatsSection, StatsTable>;
    for (const section of STATS_SECTIONS) {
      const table: Partial<Record<StatsRow, StatsCell>> = {};
      let email = 0;
      let http = 0;
      for (const row of COUNTED_ROWS) {
        const c = this.cells.get(`${section}/${row}`) ?? { email: 0, http: 0 };
        table[row] = { total: c.email + c.http, email: c.email, http: c.http };
        email += c.email;
        http += c.http;
      }
      table.total = { total: email + http, email, http };
      sections[section] = table;
    }
    return { sections, lastSent: this.lastSentAt };
  }
}
