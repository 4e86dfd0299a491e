/**
 * `callhome merge-results`: the outcome files of a run's shards (`--json` documents or `--ndjson`
 * streams) read back and merged into one list of results with its summary.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { summarize, type FleetResult, type FleetSummary } from '../domain/fleet.js';
import { DEVICE_ERROR_KINDS } from '../ios/driver/errors.js';
import { AbortError } from '../errors.js';

const ResultSchema = z.object({
  host: z.string().min(1),
  ok: z.boolean(),
  changed: z.boolean(),
  commands: z.array(z.string()),
  data: z.unknown(),
  error: z.object({ kind: z.enum(DEVICE_ERROR_KINDS), message: z.string() }).nullable(),
});
const SummarySchema = z.object({ total: z.number(), ok: z.number(), failed: z.number(), changed: z.number() });
const DocumentSchema = z.object({ results: z.array(ResultSchema), summary: SummarySchema });

/** The results one outcome file holds, as a `--json` document or `--ndjson` lines. */
export function readOutcomeFile(file: string): FleetResult[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AbortError(`Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const fail = (where: string, why: string): never => {
    throw new AbortError(`${file}${where} is not a fleet outcome: ${why}.`, 'Give the --json or --ndjson output of fleet runs (one file per shard).');
  };
  const toResult = (r: z.infer<typeof ResultSchema>): FleetResult => ({ ...r, durationMs: 0 });
  const trimmed = text.trim();
  if (trimmed === '') fail('', 'it is empty');
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    whole = undefined;
  }
  if (typeof whole === 'object' && whole !== null && 'results' in whole) {
    const doc = DocumentSchema.safeParse(whole);
    if (doc.success) return doc.data.results.map(toResult);
    fail('', doc.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; '));
  }
  // Not one JSON document: NDJSON, one result per line and a last `{summary}` line.
  const results: FleetResult[] = [];
  let summary = false;
  trimmed.split('\n').forEach((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return fail(` line ${i + 1}`, 'not JSON');
    }
    const result = ResultSchema.safeParse(value);
    if (result.success) return results.push(toResult(result.data));
    if (z.object({ summary: SummarySchema }).safeParse(value).success) {
      summary = true;
      return undefined;
    }
    return fail(` line ${i + 1}`, 'neither a result nor a summary');
  });
  // A stream cut short (a shard that was stopped) has no summary line: its results would pass for a whole shard.
  if (!summary) fail('', 'the NDJSON stream has no summary line (was the run interrupted?)');
  return results;
}

/** Merges shards' results; a host in two files means they were not shards of one run. */
export function mergeOutcomes(files: readonly string[]): { results: FleetResult[]; summary: FleetSummary } {
  const seen = new Map<string, string>();
  const results: FleetResult[] = [];
  for (const file of files) {
    for (const r of readOutcomeFile(file)) {
      const other = seen.get(r.host);
      if (other !== undefined) {
        throw new AbortError(`${r.host} is in both ${other} and ${file}.`, 'Merge the outcome files of the shards of one run (--shard 1/n … n/n), each once.');
      }
      seen.set(r.host, file);
      results.push(r);
    }
  }
  return { results, summary: summarize(results) };
}
