/**
 * Golden fixtures: every test/fixtures/ios/<command>/<case>.txt parses to the Result in
 * <case>.json beside it. Set UPDATE_FIXTURES=1 to write missing .json files (then review them).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseRunningConfigCallHome,
  parseShowCallHome,
  parseShowCallHomeAlertGroup,
  parseShowCallHomeDetail,
  parseShowCallHomeMailServerStatus,
  parseShowCallHomeProfile,
  parseShowCallHomeStatistics,
  type ParseError,
} from '../../../src/ios/parsers/index.js';
import type { Result } from '../../../src/util/result.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/ios');

const PARSERS: Record<string, (text: string) => Result<unknown, ParseError>> = {
  'show-call-home': parseShowCallHome,
  'show-call-home-detail': parseShowCallHomeDetail,
  'show-call-home-alert-group': parseShowCallHomeAlertGroup,
  'show-call-home-mail-server-status': parseShowCallHomeMailServerStatus,
  'show-call-home-profile': parseShowCallHomeProfile,
  'show-call-home-statistics': parseShowCallHomeStatistics,
  // Fixtures are read as from a device whose serial is 9ABCDEF1234 (CiscoTAC-1 periodic times).
  'show-running-config': (text) => parseRunningConfigCallHome(text, { serial: '9ABCDEF1234' }),
};

describe.each(Object.keys(PARSERS))('%s golden fixtures', (command) => {
  const dir = join(FIXTURES, command);
  const cases = readdirSync(dir).filter((f) => f.endsWith('.txt'));

  it('has at least one case', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('%s', (file) => {
    const parse = PARSERS[command];
    if (!parse) throw new Error(`no parser for ${command}`);
    const actual = parse(readFileSync(join(dir, file), 'utf8'));
    const jsonFile = join(dir, file.replace(/\.txt$/, '.json'));
    if (!existsSync(jsonFile) && process.env['UPDATE_FIXTURES'] === '1') {
      writeFileSync(jsonFile, `${JSON.stringify(actual, null, 2)}\n`);
    }
    const expected: unknown = JSON.parse(readFileSync(jsonFile, 'utf8'));
    expect(JSON.parse(JSON.stringify(actual))).toEqual(expected);
  });
});
