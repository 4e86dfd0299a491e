/**
 * Shared pieces of the fuzz suite: the per-case time budget that turns a hang (catastrophic regex
 * backtracking, an endless loop) into a failing, shrinkable case, and test timeouts that grow with
 * FUZZ_RUNS so the 10,000-run suite (`npm run test:fuzz`) is not cut off by vitest's default.
 */
import fc from 'fast-check';
import { fuzzRuns } from '../support/scale.js';

/**
 * One case may take this long. Linear parsing of the inputs here takes well under 10 ms; the
 * bound is generous because two shared cores and GC pauses make single timings noisy.
 */
export const CASE_BUDGET_MS = 1_000;

/** Runs `fn` and fails (so fast-check shrinks it) when one case exceeds the budget. */
export function withinBudget<T>(what: string, fn: () => T, budgetMs = CASE_BUDGET_MS): T {
  const started = performance.now();
  const result = fn();
  const took = performance.now() - started;
  if (took > budgetMs) throw new Error(`${what} took ${Math.round(took)} ms (budget ${budgetMs} ms): a hang or a backtracking blow-up`);
  return result;
}

/** The async form of withinBudget. */
export async function withinBudgetAsync<T>(what: string, fn: () => Promise<T>, budgetMs = CASE_BUDGET_MS): Promise<T> {
  const started = performance.now();
  const result = await fn();
  const took = performance.now() - started;
  if (took > budgetMs) throw new Error(`${what} took ${Math.round(took)} ms (budget ${budgetMs} ms): a hang or a backtracking blow-up`);
  return result;
}

/** fast-check parameters for the main properties: `fuzzRuns()` cases. */
export function runs(): { numRuns: number } {
  return { numRuns: fuzzRuns() };
}

/** Fewer runs for end-to-end properties over real sockets: a tenth of `fuzzRuns()`, at least 20. */
export function socketRuns(): { numRuns: number } {
  return { numRuns: Math.max(20, Math.round(fuzzRuns() / 10)) };
}

/** A vitest timeout for a test whose work scales with FUZZ_RUNS; `ms` is what it needs at 500 runs. */
export function scaledTimeout(ms: number): number {
  return Math.max(30_000, Math.ceil((ms * fuzzRuns()) / 500));
}

/** Text that mixes printable ASCII, control characters, CR/LF, and non-BMP / lone-surrogate units. */
export function hostileText(maxLength: number): fc.Arbitrary<string> {
  return fc.string({
    maxLength,
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' }) },
      { weight: 1, arbitrary: fc.constantFrom('\r', '\n', '\r\n', '\t', '\0', '\u001a', '\u00a0', '\u2028', '\ufeff', '\ud800', '\udfff') },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }) },
    ),
  });
}

/** Line-level mutations of a real sample: drop, duplicate, insert, cut, and corrupt lines. */
export function mutatedLines(sample: string, insert: fc.Arbitrary<string> = hostileText(40)): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: insert }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), keep: fc.nat({ max: 30 }) }),
        fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), col: fc.nat(), text: insert }),
        fc.record({ kind: fc.constant('numbers' as const), at: fc.nat(), n: fc.constantFrom('0', '-1', '99999999999999999999', '4294967296', 'NaN', '1e400', '٣') }),
        fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), times: fc.integer({ min: 2, max: 200 }) }),
      ),
      { maxLength: 6 },
    )
    .map((ops) => {
      const lines = sample.split('\n');
      for (const op of ops) {
        const i = lines.length === 0 ? 0 : op.at % lines.length;
        const line = lines[i] ?? '';
        switch (op.kind) {
          case 'drop':
            lines.splice(i, 1);
            break;
          case 'dup':
            lines.splice(i, 0, line);
            break;
          case 'insert':
            lines.splice(i, 0, op.text);
            break;
          case 'cut':
            lines[i] = line.slice(0, op.keep);
            break;
          case 'splice': {
            const col = line.length === 0 ? 0 : op.col % (line.length + 1);
            lines[i] = line.slice(0, col) + op.text + line.slice(col);
            break;
          }
          case 'numbers':
            lines[i] = line.replace(/\d+/g, op.n);
            break;
          case 'repeat':
            // Long, but bounded: the point is a long line, not a mail over the size limits.
            lines[i] = line.repeat(Math.min(op.times, Math.ceil(20_000 / Math.max(1, line.length))));
            break;
        }
      }
      return lines.join('\n');
    });
}
