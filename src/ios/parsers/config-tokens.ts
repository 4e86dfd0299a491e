/** Tokenising of IOS configuration lines: words split on whitespace, `"quoted strings"` kept whole. */

/** Splits a configuration line into words; a double-quoted run is one word without its quotes. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t') {
      i += 1;
      continue;
    }
    if (ch === '"') {
      const end = line.indexOf('"', i + 1);
      const stop = end === -1 ? n : end;
      tokens.push(line.slice(i + 1, stop));
      i = stop + 1;
      continue;
    }
    let j = i;
    while (j < n && line[j] !== ' ' && line[j] !== '\t') j += 1;
    tokens.push(line.slice(i, j));
    i = j;
  }
  return tokens;
}

/** Quotes an argument the way IOS running-config does when it holds whitespace (or is empty). */
export function quoteArg(value: string): string {
  return value === '' || /\s/.test(value) ? `"${value}"` : value;
}

/** Re-exported for the planner, which builds commands from the same words. */
export { periodicWords } from '../../domain/callhome.js';
