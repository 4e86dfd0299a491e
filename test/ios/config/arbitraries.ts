/**
 * Random Call Home configurations for property tests: command lines as an engineer types them,
 * applied through the one interpreter (src/ios/config), so every model is one a device can hold.
 */
import fc from 'fast-check';
import type { CallHomeConfig, Train } from '../../../src/domain/callhome.js';
import { CallHomeConfigBuilder, configWords, type ConfigContext } from '../../../src/ios/config/index.js';

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const severity = fc.constantFrom('catastrophic', 'disaster', 'fatal', 'critical', 'major', 'minor', 'warning', 'notification', 'normal', 'debugging');
const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const profileName = fc.constantFrom('CiscoTAC-1', 'noc', 'ops', 'lab-1');

/** Lines valid in `(cfg-call-home)#`. */
export const callHomeLine = fc.oneof(
  word.map((w) => `contact-email-addr ${w}@example.com`),
  fc.integer({ min: 1, max: 60 }).map((n) => `rate-limit ${n}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 100 })).map(([i, p]) => `mail-server 10.0.0.${i} priority ${p}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 100 })).map(([i, p]) => `mail-server 10.0.1.${i} priority ${p} secure tls`),
  fc.integer({ min: 1, max: 9 }).map((i) => `no mail-server 10.0.0.${i}`),
  fc.constantFrom(
    'syslog-throttling',
    'no syslog-throttling',
    'data-privacy level high',
    'no data-privacy level',
    'data-privacy hostname',
    'aaa-authorization',
    'no aaa-authorization',
    'http secure server-identity-check',
    'no http secure server-identity-check',
    'http resolve-hostname ipv4-first',
    'http resolve-hostname ipv6-first',
    'no http resolve-hostname',
  ),
  word.map((w) => `phone-number +1555${w.length}000`),
  word.map((w) => `customer-id ${w}`),
  word.map((w) => `source-interface Loopback${w.length}`),
  fc.constantFrom('no contact-email-addr', 'no service call-home', 'service call-home'),
  fc.tuple(fc.constantFrom('active', 'no active', 'profile noc', 'no profile', 'environment ds_env1 one', 'environment ds_env2 two', 'no environment ds_env1')).map(([l]) => `diagnostic-signature\n${l}\nexit`),
  fc.constantFrom('configuration', 'crash', 'syslog', 'all').chain((g) => fc.constantFrom(`alert-group ${g}`, `no alert-group ${g}`)),
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('"') && s.trim() === s && !/[\r\n]/.test(s)).map((s) => `street-address "${s}"`),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `http-proxy ${h}.example.net port ${p}`),
);

/** Lines valid in `(cfg-call-home-profile)#`. */
export const profileLine = fc.oneof(
  fc.constantFrom('active', 'no active', 'destination transport-method http', 'destination transport-method email', 'no destination transport-method email', 'no destination transport-method http'),
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
  fc.constantFrom('environment', 'diagnostic', 'crash').chain((g) => severity.map((s) => `subscribe-to-alert-group ${g} severity ${s}`)),
  severity.map((s) => `subscribe-to-alert-group syslog severity ${s}`),
  fc.tuple(severity, word).map(([s, p]) => `subscribe-to-alert-group syslog severity ${s} pattern ".*${p}.*"`),
  fc.constantFrom('crash', 'syslog', 'configuration', 'all').map((g) => `no subscribe-to-alert-group ${g}`),
  fc.constantFrom('anonymous-reporting-only', 'no anonymous-reporting-only', 'reporting smart-licensing-data', 'no reporting smart-licensing-data', 'reporting smart-call-home-data'),
);

/** One step: a call-home line, or a profile block. */
export const configStep = fc.oneof(
  callHomeLine.map((c) => [c]),
  fc.tuple(profileName, fc.array(profileLine, { minLength: 1, maxLength: 4 })).map(([p, cs]) => [`profile ${p}`, ...cs, 'exit']),
);

/** Applies typed lines (after `call-home`) to a configuration through the interpreter; refused lines are skipped. */
export function applyLines(serial: string, lines: readonly string[], train: Train = 'classic'): CallHomeConfig {
  const b = new CallHomeConfigBuilder(serial, undefined, train);
  let context: ConfigContext = { kind: 'call-home' };
  for (const line of lines.flatMap((l) => l.split('\n'))) {
    if (line === 'no service call-home' || line === 'service call-home') {
      b.apply({ kind: 'global' }, configWords(line));
      continue;
    }
    if (line === 'exit') {
      context = { kind: 'call-home' };
      continue;
    }
    const out = b.apply(context, configWords(line));
    if (out.kind === 'enter') context = out.context;
  }
  return b.result();
}

/** A random Call Home configuration a device of this train can hold. */
export function arbitraryCallHomeConfig(serial: string, train: Train = 'classic'): fc.Arbitrary<CallHomeConfig> {
  return fc.array(configStep, { minLength: 0, maxLength: 12 }).map((steps) => applyLines(serial, steps.flat(), train));
}
