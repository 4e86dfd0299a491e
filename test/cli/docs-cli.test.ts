/**
 * docs/cli.md is the contract, kept complete: every subcommand and every flag its yargs builder
 * declares is named there, and every error kind of a fleet result is listed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { loadAllCommands } from '../../commands/index.js';
import { DEVICE_ERROR_KINDS } from '../../src/ios/driver/errors.js';

const root = join(import.meta.dirname, '../..');
const doc = readFileSync(join(root, 'docs/cli.md'), 'utf8');

/** The flags (long names) a command module declares, without yargs' own. */
async function flagsOf(builder: unknown): Promise<string[]> {
  const y = yargs([]);
  const built = (typeof builder === 'function' ? ((await (builder as (y: Argv) => unknown)(y)) ?? y) : y.options((builder ?? {}) as Record<string, never>)) as Argv;
  const keys = (built as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> } }).getOptions();
  const aliases = new Set(Object.values(keys.alias).flat());
  return Object.keys(keys.key).filter((k) => !['help', 'version', '$0'].includes(k) && k.length > 1 && !aliases.has(k) && !/[A-Z]/.test(k));
}

describe('docs/cli.md', () => {
  it('names every subcommand and each of its flags', async () => {
    const missing: string[] = [];
    for (const module of await loadAllCommands()) {
      const usage = String(module.command);
      const name = usage.split(' ')[0] ?? '';
      const positionals = new Set([...usage.matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((m) => m[1]));
      if (!doc.includes(`\`${name}`)) missing.push(name);
      for (const flag of await flagsOf(module.builder)) if (!positionals.has(flag) && !doc.includes(`--${flag}`)) missing.push(`${name} --${flag}`);
    }
    expect(missing).toEqual([]);
  });

  it('lists every error kind of a fleet result', () => {
    const table = doc.slice(doc.indexOf('## Fleet results'));
    for (const kind of DEVICE_ERROR_KINDS) expect(table).toContain(`| \`${kind}\` |`);
  });

  it('is where the README and the error messages send users', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('(docs/cli.md)');
    expect(readme).not.toContain('../shared');
  });
});
