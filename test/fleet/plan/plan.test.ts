/**
 * The push planner against the lab's real IOS CLI: each plan is applied to a lab device's CLI
 * interpreter, read back through `show running-config | section call-home`, verified, and
 * planned again (which must give nothing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCallHomeConfig, type CallHomeConfig } from '../../../src/domain/callhome.js';
import { parseDesiredYaml, type DesiredConfig } from '../../../src/fleet/desired.js';
import { planPush, planRestore, verifyConfig } from '../../../src/fleet/plan.js';
import { applyCommands, labDevice, readBack, SERIAL } from './lab-apply.js';

const EXAMPLE = parseDesiredYaml(readFileSync(join(import.meta.dirname, '../../fixtures/desired/cli-md-example.yaml'), 'utf8'), 'cli-md-example.yaml');
const yaml = (text: string): DesiredConfig => parseDesiredYaml(text, 'test.yaml');

/** Applies desired to a lab device holding `start`; returns the plan and the device's config after it. */
async function push(start: CallHomeConfig | undefined, desired: DesiredConfig, prune = false) {
  const h = await labDevice(start);
  const before = await readBack(h);
  const plan = planPush(before, desired, { prune });
  await applyCommands(h, plan.commands);
  const after = await readBack(h);
  return { h, before, plan, after };
}

describe('planPush', () => {
  it('takes a factory-default device to the CLI.md example in one minimal, ordered plan', async () => {
    // Given a factory-default lab device, When the contract example is planned and applied,
    const { plan, after } = await push(undefined, EXAMPLE);
    // Then the plan starts with the service and call-home, ends blocks with exit, has no `end`,
    expect(plan.changed).toBe(true);
    expect(plan.commands.slice(0, 3)).toEqual(['service call-home', 'call-home', 'contact-email-addr noc@example.com']);
    expect(plan.commands).toContain('street-address "1 Main Street, Springfield"');
    expect(plan.commands).not.toContain('end');
    const noc = plan.commands.indexOf('profile "noc-http"');
    expect(plan.commands.slice(noc, noc + 3)).toEqual(['profile "noc-http"', 'destination transport-method http', 'no destination transport-method email']);
    expect(plan.commands).toContain('subscribe-to-alert-group inventory periodic monthly 1 09:00');
    expect(plan.commands).toContain('subscribe-to-alert-group configuration periodic weekly monday 10:00');
    expect(plan.commands).toContain('subscribe-to-alert-group syslog severity major pattern ".*"');
    expect(plan.commands.filter((c) => c === 'exit')).toHaveLength(3);
    // and the device then is as desired and a second plan is empty.
    expect(verifyConfig(after, EXAMPLE)).toEqual([]);
    expect(planPush(after, EXAMPLE, { prune: false })).toMatchObject({ changed: false, commands: [] });
    expect(after.profiles.find((p) => p.name === 'noc-http')).toMatchObject({ transportHttp: true, transportEmail: false });
  });

  it('shows a dry-run diff with + and - running-config lines', async () => {
    const { plan } = await push(undefined, EXAMPLE);
    expect(plan.diff).toContainEqual({ op: '+', text: 'service call-home' });
    expect(plan.diff).toContainEqual({ op: ' ', text: 'call-home' });
    expect(plan.diff).toContainEqual({ op: '+', text: ' profile "noc-http"' });
    expect(plan.diff).toContainEqual({ op: '-', text: '  destination transport-method email' });
    expect(plan.changes.map((c) => c.path)).toContain('profiles.noc-mail.format');
  });

  it('plans nothing for an empty desired configuration', () => {
    const plan = planPush(defaultCallHomeConfig(SERIAL), {}, { prune: true });
    expect(plan).toEqual({ changed: false, changes: [], diff: [], commands: [] });
  });

  it('changes a value in place, removes a value set to null, and leaves unnamed keys alone', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const { plan, after } = await push(start, yaml('contact-email: ops@example.com\nsite-id: null\n'));
    expect(plan.commands).toEqual(['call-home', 'contact-email-addr ops@example.com', 'no site-id']);
    expect(plan.diff).toContainEqual({ op: '-', text: ' contact-email-addr noc@example.com' });
    expect(after.contactEmail).toBe('ops@example.com');
    expect(after.siteId).toBeUndefined();
    expect(after.customerId).toBe('ExampleCorp');
  });

  it('changes a mail-server priority by re-entering it and prunes unlisted servers only with --prune', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const desired = yaml('mail-servers:\n  - { address: mail2.example.com, priority: 5 }\n');
    const kept = await push(start, desired);
    expect(kept.plan.commands).toEqual(['call-home', 'mail-server mail2.example.com priority 5']);
    expect(kept.after.mailServers).toEqual([
      { host: '127.0.0.1', priority: 1 },
      { host: 'mail2.example.com', priority: 5 },
    ]);
    const pruned = await push(start, desired, true);
    expect(pruned.plan.commands).toEqual(['call-home', 'no mail-server 127.0.0.1', 'mail-server mail2.example.com priority 5']);
    expect(pruned.after.mailServers).toEqual([{ host: 'mail2.example.com', priority: 5 }]);
  });

  it('prunes user profiles not listed but never CiscoTAC-1', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const { plan, after } = await push(start, yaml('profiles:\n  noc-mail: {}\n'), true);
    expect(plan.commands).toEqual(['call-home', 'no profile "noc-http"']);
    expect(after.profiles.map((p) => p.name).sort()).toEqual(['CiscoTAC-1', 'noc-mail']);
  });

  it('switches transports without ever turning both off, and CiscoTAC-1 to http with a lab URL', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const desired = yaml(
      'profiles:\n  noc-http: { transport: [email], email: [a@example.com] }\n  ciscotac-1: { active: true, transport: [http], http: ["http://127.0.0.1:9/x"] }\n',
    );
    const { plan, after } = await push(start, desired);
    const noc = plan.commands.indexOf('profile "noc-http"');
    expect(plan.commands.slice(noc + 1, noc + 3)).toEqual(['destination transport-method email', 'no destination transport-method http']);
    expect(plan.commands).toContain('profile "CiscoTAC-1"');
    expect(after.profiles.find((p) => p.predefined)).toMatchObject({ active: true, transportHttp: true, transportEmail: false, httpUrls: ['http://127.0.0.1:9/x'] });
    expect(verifyConfig(after, desired)).toEqual([]);
  });

  it('replaces subscriptions: periodic to plain, unlisted groups removed, a new syslog pattern after `no`', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const desired = yaml('profiles:\n  noc-http:\n    subscriptions:\n      configuration: {}\n      syslog: { severity: minor, pattern: "LINK-3" }\n');
    const { plan, after } = await push(start, desired);
    expect(plan.commands).toEqual([
      'call-home',
      'profile "noc-http"',
      'subscribe-to-alert-group configuration',
      'no subscribe-to-alert-group crash',
      'no subscribe-to-alert-group diagnostic',
      'no subscribe-to-alert-group environment',
      'no subscribe-to-alert-group inventory',
      'no subscribe-to-alert-group syslog',
      'subscribe-to-alert-group syslog severity minor pattern "LINK-3"',
      'exit',
    ]);
    expect(after.profiles.find((p) => p.name === 'noc-http')?.syslogPatterns).toEqual([{ pattern: 'LINK-3', severity: 'minor' }]);
    expect(planPush(after, desired, { prune: false }).commands).toEqual([]);
  });

  it('keeps several syslog patterns and sends only the entries that change', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const two = yaml('profiles:\n  noc-mail:\n    subscriptions:\n      syslog: { patterns: [{ pattern: "LINK-3", severity: minor }, { pattern: "OSPF", severity: major }] }\n');
    const first = await push(start, two);
    expect(first.after.profiles.find((p) => p.name === 'noc-mail')?.syslogPatterns).toHaveLength(2);
    const changed = yaml('profiles:\n  noc-mail:\n    subscriptions:\n      syslog: { patterns: [{ pattern: "LINK-3", severity: critical }, { pattern: "OSPF", severity: major }] }\n');
    const second = await push(first.after, changed);
    expect(second.plan.commands).toEqual(['call-home', 'profile "noc-mail"', 'subscribe-to-alert-group syslog severity critical pattern "LINK-3"', 'exit']);
    expect(verifyConfig(second.after, changed)).toEqual([]);
  });

  it('keeps a `.*` pattern beside other patterns through a read-back', async () => {
    // Given the contract example, When syslog gets `.*` plus a specific pattern, Then both survive show running-config.
    const { after: start } = await push(undefined, EXAMPLE);
    const mixed = yaml('profiles:\n  noc-mail:\n    subscriptions:\n      syslog: { patterns: [{ pattern: ".*", severity: major }, { pattern: "OSPF", severity: minor }] }\n');
    const { after, plan } = await push(start, mixed);
    expect(verifyConfig(after, mixed)).toEqual([]);
    expect(planPush(after, mixed, { prune: false }).commands).toEqual([]);
    expect(plan.changed).toBe(true);
  });

  it('rewrites the snapshot list when its order changes and appends when it only grows', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const grow = await push(start, yaml('snapshot-commands: ["show version", "show clock", "show ip route"]\n'));
    expect(grow.plan.commands).toEqual(['call-home', 'alert-group-config snapshot', 'add-command "show ip route"', 'exit']);
    const reorder = await push(start, yaml('snapshot-commands: ["show clock", "show version"]\n'));
    expect(reorder.plan.commands).toEqual([
      'call-home',
      'no alert-group-config snapshot',
      'alert-group-config snapshot',
      'add-command "show clock"',
      'add-command "show version"',
      'exit',
    ]);
    expect(reorder.after.snapshotCommands).toEqual(['show clock', 'show version']);
  });

  it('turns the service off and alert groups off and on', async () => {
    const { after: start } = await push(undefined, EXAMPLE);
    const desired = yaml('service: disabled\nalert-groups: { syslog: false, crash: true }\nrate-limit: 5\nsyslog-throttling: false\n');
    const { plan, after } = await push(start, desired);
    expect(plan.commands).toEqual(['no service call-home', 'call-home', 'rate-limit 5', 'no syslog-throttling', 'no alert-group syslog']);
    expect(after).toMatchObject({ serviceEnabled: false, rateLimit: 5, syslogThrottling: false });
    expect(after.alertGroupEnabled.syslog).toBe(false);
  });
});

describe('planRestore', () => {
  it('returns a device to the configuration read before a push, including pruned profiles', async () => {
    // Given a configured device, When a pruning push changes it,
    const { after: previous } = await push(undefined, EXAMPLE);
    const desired = yaml(
      'contact-email: null\nmail-servers: [{ address: 10.0.0.9, priority: 3 }]\nsnapshot-commands: []\nprofiles:\n  new-one: { transport: [http], http: ["http://h/x"] }\n  CiscoTAC-1: { active: true, transport: [http] }\n',
    );
    const { h, after: changed } = await push(previous, desired, true);
    expect(changed.profiles.map((p) => p.name).sort()).toEqual(['CiscoTAC-1', 'new-one']);
    // Then planRestore brings it back, and nothing remains to restore.
    const restore = planRestore(changed, previous);
    await applyCommands(h, restore.commands);
    const restored = await readBack(h);
    expect(planRestore(restored, previous).commands).toEqual([]);
    expect(restored.contactEmail).toBe('noc@example.com');
    expect(restored.mailServers).toEqual(previous.mailServers);
    expect(restored.snapshotCommands).toEqual(previous.snapshotCommands);
    expect(restored.profiles.map((p) => p.name).sort()).toEqual(['CiscoTAC-1', 'noc-http', 'noc-mail']);
    expect(verifyConfig(restored, EXAMPLE)).toEqual([]);
  });

  it('restores a factory-default device after a first push', async () => {
    const { h, before, after } = await push(undefined, EXAMPLE);
    await applyCommands(h, planRestore(after, before).commands);
    const restored = await readBack(h);
    expect(restored).toEqual(before);
  });
});

describe('verifyConfig', () => {
  it('names the path, the expected and the actual value of each difference', () => {
    const current = defaultCallHomeConfig(SERIAL);
    const mismatches = verifyConfig(current, yaml('rate-limit: 30\nprofiles:\n  CiscoTAC-1: { active: true }\n'));
    expect(mismatches).toEqual([
      { path: 'rate-limit', expected: 30, actual: 20 },
      { path: 'profiles.CiscoTAC-1.active', expected: true, actual: false },
    ]);
  });
});
