/**
 * Shrunk counterexamples the fuzz suite found, kept as plain regression tests (one per fix).
 */
import { describe, expect, it } from 'vitest';
import { isSafeRegex } from '../../src/lab/cli/pipe.js';
import { Harness } from '../lab/cli/harness.js';

describe('fuzz regressions', () => {
  it('lab CLI: a pipe regex of many adjacent quantifiers is refused instead of stalling the lab', async () => {
    // Found by lab-cli.test.ts: `show running-config | include .*.*.*.*.*.*Z` backtracked for
    // minutes (polynomial in the line length), blocking every device of the lab.
    const h = new Harness();
    await h.enable();
    const started = performance.now();
    const out = await h.out(`show running-config | include ${'.*'.repeat(40)}Z`);
    expect(out).toMatch(/% Invalid input detected at '\^' marker/);
    expect(performance.now() - started).toBeLessThan(1_000);
    for (const bad of ['.*.*.*Z', '\\s*\\s*\\s*!', 'a?a?a?aaa', 'x+y+z+', '[a-z]*[0-9]*.{1,}']) expect(isSafeRegex(bad), bad).toBe(false);
    // Patterns engineers use every day still work.
    for (const ok of ['.*CALL_LOOP.*', '^hostname', 'LINK-3-UPDOWN', '(?:ab)+', 'a{2}b', '^ +profile']) expect(isSafeRegex(ok), ok).toBe(true);
    expect(await h.out('show running-config | include ^hostname')).toBe('hostname R1\n');
  });

  it('lab CLI: `no destination transport-method` without a method is an incomplete command, not a crash', async () => {
    // Found by lab-cli.test.ts: the handler read the missing method and printed `% Command failed`.
    const h = new Harness();
    await h.enable();
    await h.ok('configure terminal', 'call-home', 'profile noc');
    expect(await h.out('no destination TRANSPORT-METHOD')).toBe('% Incomplete command.\n\n');
    expect(await h.out('no destination transport-method email')).toMatch(/^(%.*\n)?$/);
    expect(await h.out('default destination transport-method')).toBe('');
  });
});
