/** Tokenising of IOS configuration lines: words split on whitespace, `"quoted strings"` kept whole. */
import type { Periodic } from '../../domain/callhome.js';
import { assertNever } from '../../util/assert-never.js';

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

/** The words of a periodic schedule as IOS takes them: `monthly 1 09:00`, `weekly monday 10:00`, `hourly 30`. */
export function periodicWords(p: Periodic): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  switch (p.kind) {
    case 'daily':
      return `daily ${two(p.hh)}:${two(p.mm)}`;
    case 'weekly':
      return `weekly ${p.day} ${two(p.hh)}:${two(p.mm)}`;
    case 'monthly':
      return `monthly ${p.date} ${two(p.hh)}:${two(p.mm)}`;
    case 'hourly':
      return `hourly ${p.mm}`;
    case 'interval':
      return `interval ${p.minutes}`;
    default:
      return assertNever(p, 'periodic schedule');
  }
}
