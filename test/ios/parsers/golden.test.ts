/**
 * Golden fixtures: every test/fixtures/ios/<command>/<case>.txt parses to the Result in
 * <case>.json beside it. Set UPDATE_FIXTURES=1 to write missing .json files (then review them).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PARSERS, fixtureTrain } from './fixture-parsers.js';

describe.each(Object.keys(PARSERS))('%s golden fixtures', (command) => {
  const dir = join(FIXTURES, command);
  const cases = readdirSync(dir).filter((f) => f.endsWith('.txt'));

  it('has at least one case', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s', (file) => {
    const parse = PARSERS[command];
    if (!parse) throw new Error(`no parser for ${command}`);
    const actual = parse(readFileSync(join(dir, file), 'utf8'), fixtureTrain(file));
    const jsonFile = join(dir, file.replace(/\.txt$/, '.json'));
    if (!existsSync(jsonFile) && process.env['UPDATE_FIXTURES'] === '1') {
      writeFileSync(jsonFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const expected: unknown = JSON.parse(readFileSync(jsonFile, 'utf8'));
    expect(JSON.parse(JSON.stringify(actual))).toEqual(expected);
  });
});
