/**
 * Reads a contracts file for `callhome contracts import`. Two forms:
 * - back-office YAML (S24): `contracts: [{number, type, company, expires, remoteSupport, families, serials}]`,
 *   `installedBase: [{serial, family, pid, company, warranty: {expires, company}}]`, `profiles: [{ccoId,
 *   company, contracts, caseManagement, email}]` — any of the three;
 * - one row per serial: YAML (`contracts: [{serial, contract, type, company, expires}]` or a bare list) or
 *   CSV with a header row naming those columns. Such a row puts the serial in the installed base, covered
 *   by that contract (an empty contract: not covered).
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AbortError } from '../errors.js';
import type { Contract } from './store/types.js';
import { BackOfficeSchema } from './entitlement/model.js';

const DateSchema = z.union([z.string(), z.date()]).transform((d, c) => {
  const t = d instanceof Date ? d.getTime() : Date.parse(d);
  if (Number.isNaN(t)) {
    c.addIssue({ code: 'custom', message: 'must be a date such as 2027-12-31' });
    return z.NEVER;
  }
  return new Date(t).toISOString();
});

const RowSchema = z.object({
  serial: z.coerce.string().min(1, 'serial is required'),
  contract: z.coerce.string().default(''),
  type: z.string().default('direct'),
  company: z.string().default(''),
  expires: DateSchema.nullish(),
});

/** CSV rows keyed by the lower-cased header; empty cells are left out so schema defaults apply. */
function csvRows(text: string): Record<string, string>[] {
  const rows: Record<string, string>[] = parseCsv(text, {
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    comment: '#',
    skip_empty_lines: true,
    trim: true,
  });
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')));
}

/** What a contracts file holds: back-office fixtures (sent as written, after validation) or per-serial rows. */
export type ContractsFile = { readonly kind: 'back-office'; readonly backOffice: Record<string, unknown> } | { readonly kind: 'rows'; readonly rows: Contract[] };

/** True when a YAML document is in the back-office form (an installed base, profiles, or contracts with a number). */
function isBackOffice(doc: unknown): doc is Record<string, unknown> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  const first = Array.isArray(d['contracts']) ? (d['contracts'] as unknown[])[0] : undefined;
  return 'installedBase' in d || 'profiles' in d || (typeof first === 'object' && first !== null && 'number' in first);
}

/** Parses a contracts file; an invalid row is an AbortError naming the file and the row. */
export function readContractsFile(file: string): ContractsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AbortError(`Cannot read the contracts file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let rows: unknown;
  try {
    if (/\.csv$/i.test(file)) rows = csvRows(text);
    else {
      const doc: unknown = parseYaml(text);
      if (isBackOffice(doc)) return backOfficeFile(file, doc);
      rows = z.object({ contracts: z.array(z.unknown()) }).safeParse(doc).data?.contracts ?? doc;
    }
  } catch (e) {
    // Malformed CSV or YAML: the libraries name the line.
    throw new AbortError(`The contracts file ${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`, 'Fix the file; CSV needs a header row (serial,contract,type,company,expires).');
  }
  const parsed = z.array(RowSchema).safeParse(rows);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AbortError(`The contracts file ${file} is not valid: row ${i?.path.join('.') ?? '?'}: ${i?.message ?? ''}`, 'Each row needs serial, and may have contract, type, company, expires (YYYY-MM-DD).');
  }
  return { kind: 'rows', rows: parsed.data.map((r) => ({ serial: r.serial, contractNumber: r.contract, contractType: r.type, company: r.company, expiresAt: r.expires ?? null })) };
}

/** Validates back-office fixtures here (so a bad file names its row before anything is sent); dates go as ISO text. */
function backOfficeFile(file: string, doc: Record<string, unknown>): ContractsFile {
  const parsed = BackOfficeSchema.safeParse(doc);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AbortError(
      `The contracts file ${file} is not valid: ${i?.path.join('.') ?? '?'}: ${i?.message ?? ''}`,
      'contracts need number (type direct|cbr|partner-branded|other, company, expires, remoteSupport, families, serials); installedBase entries need serial; profiles need ccoId. See docs/cli.md.',
    );
  }
  return { kind: 'back-office', backOffice: JSON.parse(JSON.stringify(doc)) as Record<string, unknown> };
}
