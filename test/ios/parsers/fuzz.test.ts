/**
 * Fuzzing: random and mutated output gives each parser only `ok` or a ParseError that names a
 * real line — never a throw — and long hostile lines finish quickly (no backtracking blow-up).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParseError } from '../../../src/ios/parsers/index.js';
import type { Result } from '../../../src/util/result.js';
import { FIXTURES, PARSERS } from './fixture-parsers.js';

function samples(command: string): string[] {
  const dir = join(FIXTURES, command);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .filter((t) => t.trim() !== '');
}

/** The parser returns a well-formed Result for this input. */
function checkTotal(parse: (text: string) => Result<unknown, ParseError>, input: string): void {
  const result = parse(input);
  if (result.ok) return;
  expect(result.error.kind).toBe('parse');
  expect(result.error.message.length).toBeGreaterThan(0);
  const lines = input.split('\n');
  expect(result.error.line).toBeGreaterThanOrEqual(0);
  expect(result.error.line).toBeLessThanOrEqual(lines.length);
  if (result.error.line > 0) expect(result.error.text).toBe((lines[result.error.line - 1] ?? '').replace(/\r/g, '').trimEnd());
}

/** Mutations of a real sample: drop, duplicate, swap or corrupt lines, and insert random text. */
const mutated = (sample: string) =>
  fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 40 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), keep: fc.nat({ max: 30 }) }),
      ),
      { maxLength: 6 },
    )
    .map((ops) => {
      const lines = sample.split('\n');
      for (const op of ops) {
        const i = lines.length === 0 ? 0 : op.at % lines.length;
        if (op.kind === 'drop') lines.splice(i, 1);
        else if (op.kind === 'dup') lines.splice(i, 0, lines[i] ?? '');
        else if (op.kind === 'insert') lines.splice(i, 0, op.text);
        else lines[i] = (lines[i] ?? '').slice(0, op.keep);
      }
      return lines.join('\n');
    });

describe.each(Object.keys(PARSERS))('%s parser fuzz', (command) => {
  const parse = PARSERS[command];
  if (!parse) throw new Error(command);

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: fc.constantFrom('a', ' ', ':', '-', '\n', '[', ']', '"', '%', '1', '.', '*', 'P', '\r', '#') }), (input) => {
        checkTotal(parse, input);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated device output', () => {
    for (const sample of samples(command)) {
      fc.assert(
        fc.property(mutated(sample), (input) => {
          checkTotal(parse, input);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('finishes quickly on long hostile lines', () => {
    const hostile = [
      `${'a'.repeat(20_000)}${' '.repeat(20_000)}!`,
      `Mail-server[1]: Address: ${'x '.repeat(20_000)}`,
      `Periodic configuration info message is scheduled ${'every '.repeat(10_000)}`,
      `${'-'.repeat(30_000)} x`,
      ` subscribe-to-alert-group syslog pattern "${'.*'.repeat(10_000)}`,
    ].join('\n');
    const started = performance.now();
    checkTotal(parse, hostile);
    // Generous bound: linear parsing takes milliseconds; backtracking would take minutes.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('gives a ParseError for empty output and for an IOS error', () => {
    expect(parse('').ok).toBe(false);
    const invalid = parse("R1#show call-home\n% Invalid input detected at '^' marker.\n");
    expect(invalid).toMatchObject({ ok: false, error: { line: 2, text: "% Invalid input detected at '^' marker." } });
  });
});
