/** `show call-home diagnostic-signature [DS-ID] [actions|events|prerequisite|statistics|failure|switch]` (IOS XE). */
import { err, ok, type Result } from '../../util/result.js';
import { PROFILE_STATUS_LINE } from '../layout/call-home.js';
import { DIAGNOSTIC_SIGNATURE_LAYOUT, DIAGNOSTIC_SIGNATURE_VIEWS, type DiagnosticSignatureView } from '../layout/xe-commands.js';
import { enableFlag, isSeparator, keyValue, parseError, prepareLines, setValue, unparsed, words, type Line, withUnparsed, type ParseError, type Unparsed } from './text.js';

/** A downloaded signature row. */
export type DiagnosticSignatureRow = { readonly id: string; readonly cells: readonly string[] };

/** `show call-home diagnostic-signature` as data. */
export type ShowCallHomeDiagnosticSignature = {
  readonly enabled?: boolean;
  readonly profile?: string;
  readonly profileActive?: boolean;
  readonly urls: readonly string[];
  readonly environment: readonly { readonly name: string; readonly value: string }[];
  readonly signatures: readonly DiagnosticSignatureRow[];
  readonly unparsed?: readonly Unparsed[];
};

const flat = (t: string): string => t.trim().toLowerCase().replace(/\s+/g, ' ');

/** A DS table row: a numeric DS ID first, the other columns split on blanks. */
function dsRow(line: Line): DiagnosticSignatureRow | undefined {
  const [id, ...cells] = words(line.trimmed);
  return id !== undefined && /^\d+$/.test(id) ? { id, cells } : undefined;
}

/** Parses the settings and the table of downloaded signatures. */
export function parseShowCallHomeDiagnosticSignature(output: string): Result<ShowCallHomeDiagnosticSignature, ParseError> {
  const command = 'show call-home diagnostic-signature';
  const L = DIAGNOSTIC_SIGNATURE_LAYOUT;
  const prepared = prepareLines(command, output);
  if (!prepared.ok) return prepared;
  const lines = prepared.value;
  if (!lines.some((l) => flat(l.trimmed) === flat(L.title))) return err(parseError(command, lines[0], `no \`${L.title}\` title`));
  const out: { -readonly [K in keyof ShowCallHomeDiagnosticSignature]: ShowCallHomeDiagnosticSignature[K] } = { urls: [], environment: [], signatures: [] };
  const environment: { name: string; value: string }[] = [];
  const signatures: DiagnosticSignatureRow[] = [];
  const skipped: Unparsed[] = [];
  const headers = new Set(L.tableHeader.map(flat));
  let section: 'settings' | 'environment' | 'table' = 'settings';
  for (const line of lines) {
    const t = line.trimmed;
    const f = flat(t);
    if (f === flat(L.title) || isSeparator(t) || headers.has(f)) continue;
    if (f === flat(L.environment)) {
      section = 'environment';
      continue;
    }
    if (f === flat(L.downloaded)) {
      section = 'table';
      continue;
    }
    const status = PROFILE_STATUS_LINE.exec(t);
    if (status) {
      out.profile = status[1] ?? '';
      out.profileActive = status[2]?.toUpperCase() === 'ACTIVE';
      continue;
    }
    const kv = keyValue(t);
    if (section === 'table') {
      const row = dsRow(line);
      if (row) signatures.push(row);
      else skipped.push(unparsed(line));
      continue;
    }
    if (kv?.key === flat(L.state)) {
      const flag = enableFlag(kv.value);
      if (flag !== undefined) out.enabled = flag;
      else skipped.push(unparsed(line));
      continue;
    }
    if (kv?.key === flat(L.urls)) {
      out.urls = (setValue(kv.value) ?? '').split(/[\s,]+/).filter((u) => u !== '');
      continue;
    }
    if (section === 'environment') {
      // `ds_env1: value` / `Not yet set up`
      if (setValue(t) === undefined) continue;
      if (kv && /^ds_\w+$/i.test(kv.key)) environment.push({ name: t.slice(0, t.indexOf(':')).trim(), value: kv.value });
      else skipped.push(unparsed(line));
      continue;
    }
    skipped.push(unparsed(line));
  }
  return ok(withUnparsed({ ...out, environment, signatures }, skipped));
}

/** One view (`actions`, `events`, …) of the downloaded signatures. */
export type ShowCallHomeDiagnosticSignatureView = { readonly view: DiagnosticSignatureView; readonly rows: readonly DiagnosticSignatureRow[]; readonly unparsed?: readonly Unparsed[] };

/** Parses a view's table; rows start with a numeric DS ID. */
export function parseShowCallHomeDiagnosticSignatureView(view: DiagnosticSignatureView, output: string): Result<ShowCallHomeDiagnosticSignatureView, ParseError> {
  const command = `show call-home diagnostic-signature ${view}`;
  const prepared = prepareLines(command, output);
  if (!prepared.ok) return prepared;
  const headers = new Set<string>(DIAGNOSTIC_SIGNATURE_VIEWS[view].map(flat));
  const lines = prepared.value;
  if (!lines.some((l) => headers.has(flat(l.trimmed)))) return err(parseError(command, lines[0], 'no table header'));
  const rows: DiagnosticSignatureRow[] = [];
  const skipped: Unparsed[] = [];
  for (const line of lines) {
    if (headers.has(flat(line.trimmed)) || isSeparator(line.trimmed)) continue;
    const row = dsRow(line);
    if (row) rows.push(row);
    else skipped.push(unparsed(line));
  }
  return ok(withUnparsed({ view, rows }, skipped));
}
