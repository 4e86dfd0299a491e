import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/lab/help/${name}.txt`, import.meta.url), 'utf8');

// Golden `?` output per mode; each case enters the mode, then asks for help on a partial line.
const CASES: readonly { name: string; setup: readonly string[]; line: string }[] = [
  { name: 'user-root', setup: [], line: '' },
  { name: 'privileged-root', setup: ['enable'], line: '' },
  { name: 'config-root', setup: ['enable', 'configure terminal'], line: '' },
  { name: 'call-home-root', setup: ['enable', 'configure terminal', 'call-home'], line: '' },
  { name: 'profile-root', setup: ['enable', 'configure terminal', 'call-home', 'profile p1'], line: '' },
  { name: 'profile-subscribe', setup: ['enable', 'configure terminal', 'call-home', 'profile p1'], line: 'subscribe-to-alert-group ' },
  { name: 'profile-syslog-severity', setup: ['enable', 'configure terminal', 'call-home', 'profile p1'], line: 'subscribe-to-alert-group syslog severity ' },
  { name: 'call-home-exec', setup: ['enable'], line: 'call-home ' },
  { name: 'show', setup: ['enable'], line: 'show ' },
];

describe('? help golden output', () => {
  for (const c of CASES) {
    it(`${c.name}: "${c.line}?"`, async () => {
      const h = new Harness();
      for (const line of c.setup) {
        if (line === 'enable') await h.enable();
        else await h.ok(line);
      }
      expect(h.cli.help(c.line, h.session)).toBe(fixture(c.name));
    });
  }
});
