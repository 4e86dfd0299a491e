/** Output of the query commands: one JSON document as it came, or a text table safe for a terminal. */
import { renderTable } from '../output/table.js';
import { loadSettings, resolveBackendConnection } from '../settings.js';
import { terminalSafe } from '../util/terminal-text.js';
import { createApiClient, type ApiClient } from './api-client.js';

/** A column of a human table: header and how to read the cell. */
export type TextColumn<T> = { readonly header: string; readonly cell: (row: T) => string | number | boolean | null | undefined };

/** Rows as a text table (or a one-line note when empty); device and message text has its control characters escaped. */
export function textTable<T>(columns: readonly TextColumn<T>[], rows: readonly T[], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  return `${renderTable(columns.map((c) => ({ header: c.header, get: (r: T) => terminalSafe(String(c.cell(r) ?? '')) })), rows)}\n`;
}

/** Where command output goes; tests pass their own. */
export type OutputDeps = { readonly stdout: (text: string) => void; readonly stderr?: (text: string) => void; readonly client?: ApiClient; readonly timeStyle?: 'utc' | 'local' };

/** How this user reads timestamps (the `timeZone` setting), unless the caller says. */
export function timeStyleFor(deps: OutputDeps): 'utc' | 'local' {
  return deps.timeStyle ?? loadSettings().timeZone;
}

export const defaultOutput: OutputDeps = { stdout: (t) => process.stdout.write(t) };

/** The API client for `--backend` / `--token` (flags, then environment, then settings). */
export function clientFor(flags: { backend?: string | undefined; token?: string | undefined; tokenFile?: string | undefined }, deps: OutputDeps): ApiClient {
  if (deps.client) return deps.client;
  return createApiClient(resolveBackendConnection(flags));
}

/** Prints one JSON document. */
export function printJson(deps: OutputDeps, value: unknown): void {
  deps.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** A list command's output: `{[key]: rows}` as JSON with --json, else a text table (or the note when empty). */
export function printList<T>(deps: OutputDeps, json: boolean | undefined, key: string, rows: readonly T[], columns: readonly TextColumn<T>[], empty: string): void {
  if (json) return printJson(deps, { [key]: rows });
  deps.stdout(textTable(columns, rows, empty));
}
