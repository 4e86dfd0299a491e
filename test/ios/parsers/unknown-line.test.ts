/**
 * Issue 12: one line a parser does not understand costs that line only. For every golden fixture
 * that parses, an extra unknown line gives the same fields plus exactly one `unparsed` entry
 * naming that line. (`show version` reads a few fields out of a long text and reports nothing.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, PARSERS, fixtureTrain } from './fixture-parsers.js';

const EXTRA = 'Some Future Field: 42';

/** Inserts the extra line: inside the call-home section for running-config, else after the last output line. */
function withExtraLine(command: string, text: string): { text: string; line: number } {
  const lines = text.split('\n');
  if (command === 'show-running-config') {
    const at = lines.findIndex((l) => l.trim() === 'call-home') + 1;
    lines.splice(at, 0, ` ${EXTRA.toLowerCase().replace(/[: ]+/g, '-')}`);
    return { text: lines.join('\n'), line: at + 1 };
  }
  let at = lines.length;
  while (at > 0 && (lines[at - 1]?.trim() === '' || /^[\w.-]+[#>]$/.test(lines[at - 1]?.trim() ?? ''))) at -= 1;
  lines.splice(at, 0, EXTRA);
  return { text: lines.join('\n'), line: at + 1 };
}

type Parsed = { ok: boolean; value?: Record<string, unknown> & { unparsed?: { line: number; text: string }[] } };

describe.each(Object.keys(PARSERS).filter((c) => c !== 'show-version' && c !== 'show-running-config'))('%s with one unknown line', (command) => {
  const dir = join(FIXTURES, command);
  const cases = readdirSync(dir).filter((f) => f.endsWith('.txt'));
  it.each(cases)('%s', (file) => {
    const parse = PARSERS[command];
    if (!parse) throw new Error(`no parser for ${command}`);
    const text = readFileSync(join(dir, file), 'utf8');
    const before = JSON.parse(JSON.stringify(parse(text, fixtureTrain(file)))) as Parsed;
    if (!before.ok) return; // a fixture of the device saying no stays an error
    const extra = withExtraLine(command, text);
    const after = JSON.parse(JSON.stringify(parse(extra.text, fixtureTrain(file)))) as Parsed;
    expect(after.ok).toBe(true);
    const { unparsed: had = [], ...fields } = before.value ?? {};
    const { unparsed: has = [], ...fieldsAfter } = after.value ?? {};
    expect(fieldsAfter).toEqual(fields);
    expect(has.length).toBe(had.length + 1);
    expect(has).toContainEqual({ line: extra.line, text: EXTRA });
  });
});

describe('show running-config with one unknown call-home line', () => {
  const dir = join(FIXTURES, 'show-running-config');
  const cases = readdirSync(dir).filter((f) => f.endsWith('.txt'));
  it.each(cases)('%s', async (file) => {
    const { parseRunningConfig } = await import('../../../src/ios/parsers/index.js');
    const text = readFileSync(join(dir, file), 'utf8');
    if (!text.split('\n').some((l) => l.trim() === 'call-home')) return;
    const options = { serial: '9ABCDEF1234', train: fixtureTrain(file) };
    const before = parseRunningConfig(text, options);
    const extra = withExtraLine('show-running-config', text);
    const after = parseRunningConfig(extra.text, options);
    if (!before.ok || !after.ok) throw new Error('running-config fixture does not parse');
    expect(after.value.config).toEqual(before.value.config);
    expect(after.value.unparsed?.length ?? 0).toBe((before.value.unparsed?.length ?? 0) + 1);
    expect(after.value.unparsed).toContainEqual({ line: extra.line, text: 'some-future-field-42' });
  });
});
