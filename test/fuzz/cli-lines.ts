/**
 * Command lines for fuzzing the lab CLI, built by walking the real command tree of the session's
 * current mode: keywords (sometimes abbreviated or in odd case) and argument values around each
 * type's limits (ranges, addresses, times, long and quoted words). A step is mode-independent data
 * (numbers that pick the path) so fast-check can shrink it; it becomes a line against a mode only
 * when it runs.
 */
import fc from 'fast-check';
import { childrenOf, type CommandNode } from '../../src/lab/ios-cli/grammar.js';
import { treeFor } from '../../src/lab/ios-cli/index.js';
import type { CliMode } from '../../src/lab/types.js';
import { hostileText } from './support.js';

const WORDS = ['a', 'CiscoTAC-1', 'noc', 'R2', 'x'.repeat(300), '"two words"', '"', '""', 'a@b.com', 'user@', '@', 'https://h.example/p', 'http://[::1]:80/x', '+1-408-555-1234', '!', '?', '|', 'é', '\t', '%', '-', '0', 'all', 'default', 'no'];
const LINES = ['some text', '"quoted line"', '"unterminated', '', 'x'.repeat(600), '\u0000', '\r'];
const IPV4 = ['10.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5', '01.02.03.04', '-1.0.0.0'];
const IPV6 = ['::1', '2001:db8::1', ':::', 'fe80::1%eth0', '::ffff:1.2.3.4', 'g::1'];
const TIMES = ['0:00', '23:59', '24:00', '9:60', '12:5', '-1:00', '00:00:00', ':'];
const NUMBERS = ['99999999999999999999', '-1', '0x10', '1e3', '1.5', '', '٣', 'NaN', 'Infinity'];

/** A value for an argument of the given help label; `pick` chooses one deterministically. */
function argValue(label: string, pick: number): string {
  const range = /^<(-?\d+)-(-?\d+)>$/.exec(label);
  if (range) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    const pool = [String(min), String(max), String(min - 1), String(max + 1), String(Math.floor((min + max) / 2)), ...NUMBERS];
    return pool[pick % pool.length] ?? '0';
  }
  const pool = label === 'A.B.C.D' ? IPV4 : label === 'X:X:X:X::X' ? IPV6 : label === 'hh:mm' ? TIMES : label === 'LINE' ? [...LINES, ...WORDS] : WORDS;
  return pool[pick % pool.length] ?? 'x';
}

/** How a keyword is typed: in full, abbreviated to a prefix, or in upper case. */
function typedKeyword(word: string, pick: number): string {
  switch (pick % 5) {
    case 3:
      return word.slice(0, 1 + ((pick >> 3) % word.length));
    case 4:
      return word.toUpperCase();
    default:
      return word;
  }
}

/** The words of a line: a walk from the roots where each number picks the next node (or stops). */
export function walkLine(roots: readonly CommandNode[], picks: readonly number[]): string[] {
  const words: string[] = [];
  let candidates = roots;
  for (const pick of picks) {
    if (candidates.length === 0) break;
    const node = candidates[pick % candidates.length];
    if (!node) break;
    words.push(node.kind === 'keyword' ? typedKeyword(node.word, pick >> 4) : argValue(node.type.label, pick >> 4));
    // Sometimes stop where a command can end, so complete commands run as often as long ones.
    if ((node.run || node.runNo) && (pick >> 8) % 4 === 0) break;
    candidates = childrenOf(node);
  }
  return words;
}

/** A pipe suffix: a filter (maybe abbreviated or wrong) and a regular expression, some hostile. */
const pipe = fc.tuple(
  fc.constantFrom('include', 'inc', 'exclude', 'begin', 'section', 'count', 'i', 'x', ''),
  fc.constantFrom('call-home', '^ ', '.*', '(a+)+$', '(a|aa)*b', '(.*)*', '[', '(', '\\', '_', 'a{1,}{1,}', `${'.*'.repeat(40)}Z`, `${'\\s*'.repeat(30)}!`, '(?=a)', '(?<n>x)\\k<n>', '[^]', 'ok', ''),
).map(([filter, regex]) => ` | ${filter} ${regex}`);

/** One fuzz step: how to build the line, and what to do with it. */
export type CliStep = {
  readonly kind: 'run' | 'help' | 'ctrl-z';
  readonly picks: readonly number[];
  /** Text that replaces the walked line, or is spliced into it. */
  readonly junk: { readonly how: 'replace' | 'append' | 'prepend' | 'none'; readonly text: string };
  readonly pipe: string;
  /** Answers for `enable` / confirmation / paste prompts the line may open. */
  readonly answers: readonly string[];
};

/** Steps: mostly lines walked from the grammar, some junk, some help requests and Ctrl-Z. */
export const cliStep: fc.Arbitrary<CliStep> = fc.record({
  kind: fc.constantFrom('run', 'run', 'run', 'help', 'ctrl-z'),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
  junk: fc.oneof(
    { weight: 5, arbitrary: fc.constant({ how: 'none' as const, text: '' }) },
    { weight: 1, arbitrary: fc.record({ how: fc.constantFrom('replace' as const, 'append' as const, 'prepend' as const), text: hostileText(60) }) },
  ),
  pipe: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: pipe }),
  answers: fc.array(fc.oneof(fc.constantFrom('cisco', '', 'y', 'n', 'yes', '\u0003'), hostileText(20)), { maxLength: 3 }),
});

/** The line a step types in the given mode. */
export function stepLine(step: CliStep, mode: CliMode): string {
  const walked = walkLine(treeFor(mode), step.picks).join(' ');
  const base = step.junk.how === 'replace' ? step.junk.text : step.junk.how === 'append' ? `${walked} ${step.junk.text}` : step.junk.how === 'prepend' ? `${step.junk.text} ${walked}` : walked;
  return base + step.pipe;
}

/** Lines that take a fresh session from user EXEC to each mode (enable's password is answered). */
export const MODE_ENTRY: Readonly<Record<CliMode['kind'], readonly string[]>> = {
  user: [],
  privileged: ['enable'],
  config: ['enable', 'configure terminal'],
  'call-home': ['enable', 'configure terminal', 'call-home'],
  profile: ['enable', 'configure terminal', 'call-home', 'profile CiscoTAC-1'],
  snapshot: ['enable', 'configure terminal', 'call-home', 'alert-group-config snapshot'],
  trustpoint: ['enable', 'configure terminal', 'crypto pki trustpoint TP1'],
  'diagnostic-signature': ['enable', 'configure terminal', 'call-home', 'diagnostic-signature'],
};
