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
  families: z.array(z.string().min(1)).default([]),
  models: z.array(z.string().min(1)).default([]),
  software: z.array(z.string().min(1)).default([]),
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

const patterns = new Map<string, RegExp>();

/** `*` any text, `?` one character, the rest literal; case ignored. */
function wildcard(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 'i');
    patterns.set(pattern, re);
  }
  return re;
}

/** What a device offers for matching: its family (series), chassis PID, every other PID in its inventory, software version. */
export type ProductFacts = { readonly series: string; readonly model: string; readonly pids: readonly string[]; readonly softwareVersion: string };

/** One advisory that applies to a device, and on what it matched (for the report's "matched on" column). */
export type AdvisoryMatch = { readonly advisory: Advisory; readonly matchedOn: string };

/**
 * The advisories that apply to a device: it matches a family or a product ID (or the entry names
 * neither), and its software version (or the entry names none).
 */
export function advisoriesFor(device: ProductFacts, table: readonly Advisory[] = loadAdvisories()): AdvisoryMatch[] {
  const matches: AdvisoryMatch[] = [];
  const pids = [...new Set([device.model, ...device.pids].filter((p) => p !== ''))];
  for (const a of table) {
    const on: string[] = [];
    if (a.families.length > 0 || a.models.length > 0) {
      const pid = pids.find((p) => a.models.some((m) => wildcard(m).test(p)));
      if (pid !== undefined) on.push(`PID ${pid}`);
      else if (device.series !== '' && a.families.some((f) => wildcard(f).test(device.series))) on.push(`family ${device.series}`);
      else continue;
    }
    if (a.software.length > 0) {
      if (device.softwareVersion === '' || !a.software.some((s) => wildcard(s).test(device.softwareVersion))) continue;
      on.push(`software ${device.softwareVersion}`);
    }
    matches.push({ advisory: a, matchedOn: on.join('; ') || 'every product' });
  }
  return matches;
}
