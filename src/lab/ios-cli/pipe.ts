/** Output modifiers after `|` (`include`, `exclude`, `begin`, `section`, `count`), regex as IOS. */
import v8 from 'node:v8';
import { kw, arg, type CommandNode } from './grammar.js';
import { text } from './args.js';

/** A parsed output filter. */
export type OutputFilter =
  | { readonly kind: 'include'; readonly regex: RegExp }
  | { readonly kind: 'exclude'; readonly regex: RegExp }
  | { readonly kind: 'begin'; readonly regex: RegExp }
  | { readonly kind: 'section'; readonly regex: RegExp }
  | { readonly kind: 'count'; readonly regex: RegExp };

const FILTERS = ['begin', 'count', 'exclude', 'include', 'section'] as const;
type FilterKind = (typeof FILTERS)[number];

const HELP: Record<FilterKind, string> = {
  begin: 'Begin with the line that matches',
  count: 'Count number of lines which match regular expression',
  exclude: 'Exclude lines that match',
  include: 'Include lines that match',
  section: 'Filter a section of output',
};

/** The tree after `|`, for `?` help and matching the filter keyword. */
export const PIPE_TREE: readonly CommandNode[] = FILTERS.map((f) =>
  kw(f, HELP[f], { name: 'filter', children: [arg('regex', text(256), 'Regular Expression', { run: () => undefined })] }),
);

// One runaway regex would stall every device of the lab, which runs in one event loop. V8 can run a
// regex without backreferences or lookaround in linear time: `l` checks that a pattern qualifies, and
// a pattern that starts to backtrack excessively falls back to that engine, so `.*.*.*.*Z` and
// `(a+)+$` cost microseconds instead of minutes while every pattern IOS accepts still works.
v8.setFlagsFromString('--enable-experimental-regexp-engine');
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/**
 * True for a pattern the lab accepts: valid, and runnable in linear time (IOS regular expressions have
 * no backreferences or lookaround, the only constructs that are not).
 */
export function isSafeRegex(source: string): boolean {
  try {
    new RegExp(source, 'l');
    return true;
  } catch {
    return false;
  }
}

/** Converts an IOS regular expression to a JavaScript one (`_` matches a delimiter, as IOS does). */
export function iosRegex(source: string): RegExp | null {
  if (!isSafeRegex(source)) return null;
  const converted = source.replace(/(^|[^\\])_/g, '$1(?:^|$|[\\s,{}()])');
  try {
    return new RegExp(converted);
  } catch {
    return null;
  }
}

/** Builds a filter; the regex is the rest of the line after the keyword, leading blanks removed. */
export function makeFilter(kind: FilterKind, regexSource: string): OutputFilter | null {
  const regex = iosRegex(regexSource);
  if (!regex) return null;
  return { kind, regex };
}

/** True for a filter keyword. */
export function isFilterKind(value: string): value is FilterKind {
  return (FILTERS as readonly string[]).includes(value);
}

/** Applies a filter to output text. */
export function applyFilter(output: string, filter: OutputFilter): string {
  const trailingNewline = output.endsWith('\n');
  const lines = (trailingNewline ? output.slice(0, -1) : output).split('\n');
  let kept: string[];
  switch (filter.kind) {
    case 'include':
      kept = lines.filter((l) => filter.regex.test(l));
      break;
    case 'exclude':
      kept = lines.filter((l) => !filter.regex.test(l));
      break;
    case 'begin': {
      const i = lines.findIndex((l) => filter.regex.test(l));
      kept = i === -1 ? [] : lines.slice(i);
      break;
    }
    case 'section':
      kept = sectionLines(lines, filter.regex);
      break;
    case 'count':
      return `Number of lines which match regexp = ${lines.filter((l) => filter.regex.test(l)).length}\n`;
  }
  return kept.length === 0 ? '' : kept.join('\n') + '\n';
}

/** `| section`: every line that matches, with the more-indented lines that follow it. */
function sectionLines(lines: readonly string[], regex: RegExp): string[] {
  const out: string[] = [];
  let parentIndent = -1;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (parentIndent >= 0 && indent > parentIndent && line.trim() !== '') {
      out.push(line);
      continue;
    }
    parentIndent = -1;
    if (regex.test(line)) {
      out.push(line);
      parentIndent = indent;
    }
  }
  return out;
}
