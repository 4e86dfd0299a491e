/**
 * The shipped advisory table (src/backend/data/advisories.yaml): PSIRT advisories, field notices and
 * End-of-Life / End-of-Sale bulletins, matched to a device's product IDs, family and software version.
 * The Product Alerts report (S75) and the `product-advisory` request reply (S48) both read it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AbortError } from '../../errors.js';

export const ADVISORY_TYPES = ['psirt', 'field-notice', 'eol', 'eos'] as const;
export type AdvisoryType = (typeof ADVISORY_TYPES)[number];

const AdvisorySchema = z.strictObject({
  id: z.string().min(1),
  type: z.enum(ADVISORY_TYPES),
  title: z.string().min(1),
  /** Product families and models: a prefix of the chassis model, the series or a component's PID. Empty: every product. */
  products: z.array(z.string().min(1)).default([]),
  /** Affected software versions: exact, or a prefix ending in `*`. Empty: every version. */
  versions: z.array(z.string().min(1)).default([]),
  url: z.url(),
  // YAML reads an unquoted 2023-10-16 as a date; either way it is kept as YYYY-MM-DD text.
  published: z.union([z.date().transform((d) => d.toISOString().slice(0, 10)), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')]),
});
export type Advisory = z.output<typeof AdvisorySchema>;

const AdvisoriesFileSchema = z.strictObject({ advisories: z.array(AdvisorySchema) });

/** The table shipped with callhome. */
export function defaultAdvisoriesFile(): string {
  return fileURLToPath(new URL('../data/advisories.yaml', import.meta.url));
}

const cache = new Map<string, readonly Advisory[]>();

/** Reads and validates an advisory table (cached per file); a broken file is an AbortError naming the entry. */
export function loadAdvisories(file = defaultAdvisoriesFile()): readonly Advisory[] {
  const cached = cache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AbortError(`Cannot read the advisory table ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = AdvisoriesFileSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AbortError(`The advisory table ${file} is not valid: ${where}`, 'Fix the entry named in the path (the file header describes the fields).');
  }
  const ids = new Set<string>();
  for (const a of parsed.data.advisories) {
    if (ids.has(a.id)) throw new AbortError(`The advisory table ${file} names ${a.id} twice.`);
    ids.add(a.id);
  }
  cache.set(file, parsed.data.advisories);
  return parsed.data.advisories;
}

/** IOS XE writes 17.3.4a as 17.03.04a in places: both read the same. */
function normalVersion(version: string): string {
  return version.trim().toLowerCase().replace(/\.0+(?=\d)/g, '.');
}

/** True when `version` is one of `patterns`: exact, or a prefix ending in `*` (case ignored). */
export function versionMatches(version: string, patterns: readonly string[]): boolean {
  const v = normalVersion(version);
  return v !== '' && patterns.some((p) => (p.endsWith('*') ? v.startsWith(normalVersion(p.slice(0, -1))) : v === normalVersion(p)));
}

/** One advisory that applies to a device, and on what it matched (the report's "matched on" column). */
export type AdvisoryMatch = { readonly advisory: Advisory; readonly matchedOn: string };

/**
 * The advisories that apply to a product: one of `names` (chassis model, series, component PIDs, in that
 * order) starts with one of its products (or it names none), and its software version matches (or it
 * names none).
 */
export function matchAdvisories(names: readonly string[], version: string, table: readonly Advisory[] = loadAdvisories()): AdvisoryMatch[] {
  const known = [...new Set(names.filter((n) => n !== ''))];
  const matches: AdvisoryMatch[] = [];
  for (const a of table) {
    const on: string[] = [];
    if (a.products.length > 0) {
      const name = known.find((n) => a.products.some((p) => n.toLowerCase().startsWith(p.toLowerCase())));
      if (name === undefined) continue;
      on.push(`product ${name}`);
    }
    if (a.versions.length > 0) {
      if (!versionMatches(version, a.versions)) continue;
      on.push(`software ${version}`);
    }
    matches.push({ advisory: a, matchedOn: on.join('; ') || 'every product' });
  }
  return matches;
}
