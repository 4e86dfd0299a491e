/**
 * `show call-home statistics` as data (ios-call-home.md §8, docs/cli.md `stats` data).
 * The lab counts into it and renders it; the fleet parser reads it back.
 */

/** Rows of the statistics table; rows a device does not print are absent when parsed. */
export const STATS_ROWS = [
  'total',
  'config',
  'crash',
  'diagnostic',
  'environment',
  'inventory',
  'snapshot',
  'syslog',
  'test',
  'request',
  'sendCli',
  'sch',
] as const;
export type StatsRow = (typeof STATS_ROWS)[number];

export const STATS_SECTIONS = ['success', 'inQueue', 'failed', 'ratelimitDropped'] as const;
export type StatsSection = (typeof STATS_SECTIONS)[number];

export type StatsCell = { readonly total: number; readonly email: number; readonly http: number };
export type StatsTable = Readonly<Partial<Record<StatsRow, StatsCell>>>;

export type CallHomeStatistics = {
  readonly sections: Readonly<Record<StatsSection, StatsTable>>;
  /** As the device prints it (`2013-06-05 03:11:36 GMT+00:00`), or null for `n/a`. */
  readonly lastSent: string | null;
};

/** Row labels as `show call-home statistics` prints them, for people reading the rows. */
export const STATS_ROW_LABELS: Readonly<Record<StatsRow, string>> = {
  total: 'Total',
  config: 'Config',
  crash: 'Crash',
  diagnostic: 'Diagnostic',
  environment: 'Environment',
  inventory: 'Inventory',
  snapshot: 'Snapshot',
  syslog: 'SysLog',
  test: 'Test',
  request: 'Request',
  sendCli: 'Send-CLI',
  sch: 'SCH',
};
