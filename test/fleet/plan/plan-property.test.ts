/**
 * Property: for random valid desired configurations, applying the planned commands through
 * the lab's IOS CLI gives a device that verifyConfig accepts, a second plan is empty, and
 * planRestore returns it to where it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_GROUPS, type AlertGroup } from '../../../src/domain/callhome.js';
import { SEVERITY_KEYWORDS } from '../../../src/domain/severity.js';
import { parseDesiredConfig } from '../../../src/fleet/desired.js';
import { planPush, planRestore, verifyConfig } from '../../../src/fleet/plan.js';
import { applyCommands, labDevice, readBack } from './lab-apply.js';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const severity = fc.constantFrom(...SEVERITY_KEYWORDS);
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${h}:${String(m).padStart(2, '0')}`);
const schedule = fc.oneof(
  time.map((t) => `daily ${t}`),
  fc.tuple(fc.constantFrom('monday', 'friday', 'sunday'), time).map(([d, t]) => `weekly ${d} ${t}`),
  fc.tuple(fc.integer({ min: 1, max: 31 }), time).map(([d, t]) => `monthly ${d} ${t}`),
);

/** A valid subscription for each group (§2.3.1). */
function subscription(group: AlertGroup): fc.Arbitrary<object> {
  switch (group) {
    case 'configuration':
    case 'inventory':
      return fc.record({ periodic: schedule }, { requiredKeys: [] });
    case 'snapshot':
      return fc.record({ periodic: fc.oneof(schedule, fc.integer({ min: 0, max: 59 }).map((m) => `hourly ${m}`)) }, { requiredKeys: [] });
    case 'diagnostic':
    case 'environment':
      return fc.record({ severity }, { requiredKeys: [] });
    case 'syslog': {
      const pattern = fc.constantFrom('.*', 'LINK-3', '%SYS-5 CONFIG');
      const entry = fc.record({ severity, pattern }, { requiredKeys: [] });
      return fc.oneof(
        entry,
        // Lists avoid `.*`: the lab writes a `.*` entry without its pattern keyword, which reads back as a plain subscription.
        fc
          .uniqueArray(fc.record({ severity, pattern: fc.constantFrom('LINK-3', '%SYS-5 CONFIG', 'OSPF') }, { requiredKeys: ['pattern'] }), {
            minLength: 1,
            maxLength: 3,
            selector: (e) => e.pattern,
          })
          .map((patterns) => ({ patterns })),
      );
    }
    case 'crash':
      return fc.constant({});
  }
}

const subscriptions = fc
  .subarray([...ALERT_GROUPS])
  .chain((groups) => fc.tuple(...groups.map((g) => subscription(g).map((s) => [g, s] as const))))
  .map((entries) => Object.fromEntries(entries));

const userProfile = fc.record(
  {
    active: fc.boolean(),
    transport: fc.subarray(['email', 'http'], { minLength: 1 }),
    email: fc.uniqueArray(fc.constantFrom('a@example.com', 'b@example.com', 'noc@example.com'), { maxLength: 2 }),
    http: fc.uniqueArray(fc.constantFrom('http://127.0.0.1:8080/x', 'https://h.example.com/y'), { maxLength: 2 }),
    format: fc.constantFrom('xml', 'long-text', 'short-text'),
    'message-size': fc.integer({ min: 50, max: 3_145_728 }),
    subscriptions,
  },
  { requiredKeys: [] },
);

const tacProfile = fc.record(
  {
    active: fc.boolean(),
    transport: fc.constantFrom(['email'], ['http']),
    http: fc.constantFrom(['http://127.0.0.1:8080/tac'], ['https://tools.cisco.com/its/service/oddce/services/DDCEService']),
    subscriptions,
  },
  { requiredKeys: [] },
);

const text = (values: readonly string[]) => opt(fc.constantFrom<string | null>(...values, null));

/** A raw desired document, as YAML would give it. */
const desiredDocument = fc.record(
  {
    service: fc.constantFrom('enabled', 'disabled'),
    'contact-email': text(['noc@example.com', 'ops@example.com']),
    'street-address': text(['1 Main Street, Springfield', 'Nowhere']),
    'customer-id': text(['ExampleCorp', 'Other Corp']),
    sender: fc.record({ from: text(['r@example.com']), 'reply-to': text(['noc@example.com']) }, { requiredKeys: [] }),
    vrf: text(['Mgmt-intf']),
    'http-proxy': opt(fc.option(fc.record({ host: fc.constantFrom('10.0.0.1', 'proxy.example.com'), port: fc.integer({ min: 1, max: 65535 }) }), { nil: null })),
    'mail-servers': fc.uniqueArray(
      fc.record({ address: fc.constantFrom('10.0.0.1', '10.0.0.2', 'm1.example.com', 'm2.example.com', 'm3.example.com'), priority: fc.integer({ min: 1, max: 100 }) }),
      { selector: (m) => m.address, maxLength: 3 },
    ),
    'rate-limit': fc.integer({ min: 1, max: 60 }),
    'syslog-throttling': fc.boolean(),
    'data-privacy': fc.constantFrom('normal', 'high'),
    'snapshot-commands': fc.uniqueArray(fc.constantFrom('show version', 'show clock', 'show ip route', 'show inventory'), { maxLength: 3 }),
    'alert-groups': fc.dictionary(fc.constantFrom(...ALERT_GROUPS), fc.boolean(), { maxKeys: 3 }),
    profiles: fc.record({ p1: userProfile, p2: userProfile, 'CiscoTAC-1': tacProfile }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe('planPush property', () => {
  it('reaches any desired state from any reachable state, idempotently and reversibly', async () => {
    await fc.assert(
      fc.asyncProperty(desiredDocument, desiredDocument, fc.boolean(), async (firstDoc, secondDoc, prune) => {
        const first = parseDesiredConfig(firstDoc, 'first');
        const second = parseDesiredConfig(secondDoc, 'second');
        // Given a device brought to a first random state,
        const h = await labDevice();
        await applyCommands(h, planPush(await readBack(h), first, { prune: false }).commands);
        const before = await readBack(h);
        expect(verifyConfig(before, first)).toEqual([]);
        // When a second random state is planned and applied through the lab CLI,
        const plan = planPush(before, second, { prune });
        await applyCommands(h, plan.commands);
        const after = await readBack(h);
        // Then the device is as desired, a second plan is empty,
        expect(verifyConfig(after, second)).toEqual([]);
        expect(planPush(after, second, { prune }).commands).toEqual([]);
        expect(plan.changed).toBe(plan.commands.length > 0);
        // and planRestore brings back the state before the push.
        await applyCommands(h, planRestore(after, before).commands);
        expect(planRestore(await readBack(h), before).commands).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
