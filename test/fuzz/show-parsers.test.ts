/**
 * Fuzzing the show-command parsers (src/ios/parsers): random text and mutations of every golden
 * fixture give each parser only `ok` or a ParseError that names a real line — never a throw — and
 * each case finishes within the budget (no catastrophic backtracking). `findShowParser` is total too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findShowParser, type ParseError } from '../../src/ios/parsers/index.js';
import type { Result } from '../../src/util/result.js';
import { FIXTURES, PARSERS } from '../ios/parsers/fixture-parsers.js';
import { hostileText, mutatedLines, runs, scaledTimeout, withinBudget } from './support.js';

function samples(command: string): string[] {
  const dir = join(FIXTURES, command);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .filter((t) => t.trim() !== '');
}

/** The parser returns a well-formed Result for this input, within the time budget. */
function checkTotal(command: string, parse: (text: string) => Result<unknown, ParseError>, input: string): void {
  const result = withinBudget(command, () => parse(input));
  if (result.ok) {
    // The data is JSON-ready (the CLI prints it with --json).
    expect(() => JSON.stringify(result.value)).not.toThrow();
    return;
  }
  expect(result.error.kind).toBe('parse');
  expect(result.error.message.length).toBeGreaterThan(0);
  const lines = input.split('\n');
  expect(result.error.line).toBeGreaterThanOrEqual(0);
  expect(result.error.line).toBeLessThanOrEqual(lines.length);
  if (result.error.line > 0) expect(result.error.text).toBe((lines[result.error.line - 1] ?? '').replace(/\r/g, '').trimEnd());
}

// Characters the parsers key on, so random text reaches deep into them rather than failing on line 1.
const SHAPED = fc.string({ maxLength: 400, unit: fc.constantFrom('a', ' ', ':', '-', '\n', '[', ']', '"', '%', '1', '.', '*', 'P', '\r', '#', '\t', '!', 'x') });

/** Words lifted from the fixtures, so random lines are made of things a device would print. */
function vocabulary(command: string): string[] {
  const words = new Set<string>();
  for (const s of samples(command)) for (const w of s.split(/\s+/)) if (w !== '') words.add(w);
  return [...words];
}

describe.each(Object.keys(PARSERS))('%s parser fuzz', (command) => {
  const parse = PARSERS[command];
  if (!parse) throw new Error(command);
  const examples = samples(command);
  const words = vocabulary(command);
  const wordLines = fc
    .array(
      fc.tuple(fc.array(fc.oneof(fc.constantFrom(...words), hostileText(8)), { maxLength: 10 }), fc.constantFrom(' ', '  ', ' : ', '\t')).map(([ws, sep]) => ws.join(sep)),
      { maxLength: 30 },
    )
    .map((ls) => ls.join('\n'));

  it('never throws on random text', { timeout: scaledTimeout(20_000) }, () => {
    fc.assert(
      fc.property(fc.oneof(SHAPED, hostileText(400), wordLines), (input) => {
        checkTotal(command, parse, input);
      }),
      runs(),
    );
  });

  it('never throws on mutated device output', { timeout: scaledTimeout(20_000) }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples).chain((s) => mutatedLines(s)),
        (input) => {
          checkTotal(command, parse, input);
        },
      ),
      runs(),
    );
  });

  it('finishes quickly on long hostile lines', () => {
    const hostile = [
      `${'a'.repeat(20_000)}${' '.repeat(20_000)}!`,
      `Mail-server[1]: Address: ${'x '.repeat(20_000)}`,
      `Periodic configuration info message is scheduled ${'every '.repeat(10_000)}`,
      `${'-'.repeat(30_000)} x`,
      ` subscribe-to-alert-group syslog pattern "${'.*'.repeat(10_000)}`,
      `${' : '.repeat(10_000)}x`,
      `Profile Name: ${'\t'.repeat(20_000)}x`,
      ` destination address email ${'a@'.repeat(10_000)}`,
    ].join('\n');
    // Generous bound: linear parsing takes milliseconds; backtracking would take minutes.
    checkTotal(command, parse, hostile);
    // Every fixture line repeated many times stays linear too.
    for (const s of examples) checkTotal(command, parse, s.split('\n').map((l) => l.repeat(500)).join('\n'));
  });

  it('gives a ParseError for empty output and for an IOS error', () => {
    expect(parse('').ok).toBe(false);
    const invalid = parse("R1#show call-home\n% Invalid input detected at '^' marker.\n");
    expect(invalid).toMatchObject({ ok: false, error: { line: 2, text: "% Invalid input detected at '^' marker." } });
  });
});

describe('findShowParser fuzz', () => {
  it('answers a parser or undefined for any typed command, never throws', () => {
    const word = fc.oneof(fc.constantFrom('show', 'sh', 'call-home', 'call', 'c', 'statistics', 'stat', 'detail', 'profile', 'all', 'alert-group', 'mail-server', 'status', 'running-config', 'run', '|', 'section'), hostileText(6));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 7 }).map((w) => w.join(' ')), (typed) => {
        const found = withinBudget('findShowParser', () => findShowParser(typed));
        if (found) expect(found.command).toMatch(/^show /);
      }),
      runs(),
    );
  });
});
