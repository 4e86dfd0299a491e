import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRunningConfigCallHome } from '../../../src/ios/parsers/running-config-call-home.js';
import { Harness, IDENTITY } from './harness.js';

// Commands valid in (cfg-call-home)#; profile commands are prefixed with the profile to enter.
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const severity = fc.constantFrom('catastrophic', 'disaster', 'fatal', 'critical', 'major', 'minor', 'warning', 'notification', 'normal', 'debugging');
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${h}:${String(m).padStart(2, '0')}`);
const profileName = fc.constantFrom('CiscoTAC-1', 'noc', 'ops', 'lab-1');

const callHomeCommand = fc.oneof(
  word.map((w) => `contact-email-addr ${w}@example.com`),
  fc.integer({ min: 1, max: 60 }).map((n) => `rate-limit ${n}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 100 })).map(([i, p]) => `mail-server 10.0.0.${i} priority ${p}`),
  fc.integer({ min: 1, max: 9 }).map((i) => `no mail-server 10.0.0.${i}`),
  fc.constantFrom('syslog-throttling', 'no syslog-throttling', 'data-privacy level high', 'no data-privacy level', 'data-privacy hostname', 'aaa-authorization', 'no aaa-authorization'),
  fc.constantFrom('configuration', 'crash', 'syslog', 'all').chain((g) => fc.constantFrom(`alert-group ${g}`, `no alert-group ${g}`)),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('"') && s.trim() === s && s.length > 0).map((s) => `street-address "${s}"`),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `http-proxy ${h}.example.net port ${p}`),
);

const profileCommand = fc.oneof(
  fc.constantFrom('active', 'no active', 'default active', 'destination transport-method http', 'destination transport-method email', 'no destination transport-method email', 'no destination transport-method http'),
  word.map((w) => `destination address email ${w}@example.org`),
  fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).map((w) => `destination address http https://${w}.example.org/its`),
  fc.constantFrom('long-text', 'short-text', 'xml').map((f) => `destination preferred-msg-format ${f}`),
  fc.integer({ min: 50, max: 3145728 }).map((n) => `destination message-size-limit ${n}`),
  fc.constantFrom('configuration', 'inventory', 'snapshot').chain((g) =>
    fc.oneof(
      hhmm.map((t) => `subscribe-to-alert-group ${g} periodic daily ${t}`),
      fc.tuple(fc.integer({ min: 1, max: 31 }), hhmm).map(([d, t]) => `subscribe-to-alert-group ${g} periodic monthly ${d} ${t}`),
      hhmm.map((t) => `subscribe-to-alert-group ${g} periodic weekly friday ${t}`),
      fc.constant(`subscribe-to-alert-group ${g}`),
    ),
  ),
  fc.constantFrom('environment', 'diagnostic').chain((g) => severity.map((s) => `subscribe-to-alert-group ${g} severity ${s}`)),
  fc.tuple(severity, word).map(([s, p]) => `subscribe-to-alert-group syslog severity ${s} pattern ".*${p}.*"`),
  fc.constantFrom('crash', 'syslog', 'configuration', 'all').chain((g) => fc.constantFrom(`no subscribe-to-alert-group ${g}`, `default subscribe-to-alert-group ${g}`)),
  fc.constantFrom('anonymous-reporting-only', 'no anonymous-reporting-only', 'reporting smart-licensing-data', 'no reporting smart-licensing-data'),
);

const step = fc.oneof(
  callHomeCommand.map((c) => [c]),
  fc.tuple(profileName, fc.array(profileCommand, { minLength: 1, maxLength: 4 })).map(([p, cs]) => [`profile ${p}`, ...cs, 'exit']),
);

describe('running-config round trip (property)', () => {
  it('replaying show running-config into a fresh device, or parsing it with the fleet parser, rebuilds the same Call Home configuration', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const h = new Harness();
        await h.enable();
        await h.ok('configure terminal', 'call-home');
        for (const line of steps.flat()) {
          const out = await h.out(line);
          // Only rule refusals (IOS % lines) may print; the grammar accepts every generated line.
          expect(out === '' || /^% [A-Z]/.test(out), `${line} → ${out}`).toBe(true);
        }
        await h.ok('end');
        const text = await h.out('show running-config | section call-home');
        // The fleet's parser reads the same configuration back (the contract between lab and fleet).
        const parsed = parseRunningConfigCallHome(text, { serial: IDENTITY.serial });
        expect(parsed.ok ? JSON.parse(JSON.stringify(parsed.value)) : parsed.error, text).toEqual(JSON.parse(JSON.stringify(h.device.running().callHome)));
        const replay = new Harness();
        await replay.enable();
        await replay.ok('configure terminal');
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          expect(await replay.out(line.trim()), line).toBe('');
        }
        expect(replay.device.running().callHome).toEqual(h.device.running().callHome);
      }),
      { numRuns: 150 },
    );
  });
});
