/** Output helpers shared by the back-end twins: one JSON document, or a cli-table3 table. */
import Table from 'cli-table3';
import { resolveBackendConnection } from '../../settings.js';
import { createApiClient, type ApiClient } from '../client.js';

/** A column of a human table: header and how to read the cell. */
export type Column<T> = { readonly header: string; readonly get: (row: T) => string | number | boolean | null | undefined };

/** Renders rows as a text table (or a one-line note when empty). */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  const table = new Table({ head: columns.map((c) => c.header), style: { head: [], border: [] } });
  for (const r of rows) table.push(columns.map((c) => String(c.get(r) ?? '')));
  return `${table.toString()}\n`;
}

/** Where command output goes; tests pass their own. */
export type OutputDeps = { readonly stdout: (text: string) => void; readonly client?: ApiClient };

export const defaultOutput: OutputDeps = { stdout: (t) => process.stdout.write(t) };

/** The API client for `--backend` / `--token` / `--token-file` (flags, then environment, then settings). */
export function clientFor(flags: { backend?: string | undefined; token?: string | undefined; tokenFile?: string | undefined }, deps: OutputDeps): ApiClient {
  if (deps.client) return deps.client;
  return createApiClient(resolveBackendConnection(flags));
}

/** Prints one JSON document. */
export function printJson(deps: OutputDeps, value: unknown): void {
  deps.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
