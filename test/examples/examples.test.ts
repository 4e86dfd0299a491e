/**
 * Every file in examples/ goes through the loader the product uses for it, and says what its
 * comments say. The contract's own desired-configuration example (docs/cli.md) is loaded too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackOfficeSchema } from '../../src/backend/entitlement/model.js';
import { readDirectoryFile } from '../../src/backend/accounts/directory-file.js';
import { readContractsFile } from '../../src/backend/contracts-file.js';
import { loadRules, matchRule } from '../../src/backend/processing/rules.js';
import type { CallHomeMessage } from '../../src/domain/message.js';
import { loadDesiredConfig, parseDesiredYaml } from '../../src/fleet/desired.js';
import { loadInventory, type Inventory } from '../../src/fleet/inventory.js';
import { labIdentity } from '../../src/lab/identity.js';

const root = join(import.meta.dirname, '../..');
const example = (name: string) => join(root, 'examples', name);

/** The three example inventories describe the same devices: `callhome lab --devices 3 --port 22001`. */
function expectLabOfThree(inventory: Inventory): void {
  expect(inventory.hosts.map((h) => [h.name, h.host, h.port, h.username])).toEqual([
    ['r1', '127.0.0.1', 22001, 'admin'],
    ['r2', '127.0.0.1', 22002, 'admin'],
    ['r3', '127.0.0.1', 22003, 'admin'],
  ]);
  expect([...(inventory.groups.get('core') ?? [])].sort()).toEqual(['r1', 'r2']);
  expect(inventory.groups.get('edge')).toEqual(['r3']);
  expect([...(inventory.groups.get('lab') ?? [])].sort()).toEqual(['r1', 'r2', 'r3']);
  expect(inventory.hosts.map((h) => h.vars['site'])).toEqual(['hq', 'hq', 'branch']);
  // No secret is written in an example.
  for (const h of inventory.hosts) {
    expect(h.password).toBeUndefined();
    expect(h.enableSecret).toBeUndefined();
  }
}

describe('examples/', () => {
  it('desired.yaml: the contract example pointed at the README ports, loopback only', async () => {
    const desired = await loadDesiredConfig(example('desired.yaml'));
    expect(desired.mailServers).toEqual([{ address: '127.0.0.1', priority: 1 }]);
    expect(desired.profiles?.['noc-http']?.http).toEqual(['http://127.0.0.1:8080/its/service/oddce/services/DDCEService']);
    expect(desired.profiles?.['noc-mail']).toMatchObject({ transport: ['email'], email: ['noc@example.com'], format: 'long-text' });
    // The README's first session serves HTTP on the port the profile names, and SMTP on the lab's mail port.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(/callhome serve[^\n]*--http-port 8080[^\n]*--smtp-port 2525/);
    expect(readme).toMatch(/callhome lab[^\n]*--smtp-port 2525/);
    expect(readme).toContain('examples/desired.yaml');
  });

  it("docs/cli.md's desired-configuration example is accepted as it stands", () => {
    const doc = readFileSync(join(root, 'docs/cli.md'), 'utf8');
    const block = /## Desired configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const desired = parseDesiredYaml(block ?? '', 'docs/cli.md');
    expect(Object.keys(desired.profiles ?? {})).toEqual(['noc-http', 'noc-mail']);
    expect(desired.mailServers).toHaveLength(2);
  });

  it('inventory.yaml (ours): groups, children, env secrets, legacy algorithms on r3', () => {
    const inventory = loadInventory(example('inventory.yaml'));
    expect(inventory.format).toBe('callhome');
    expectLabOfThree(inventory);
    expect(inventory.hosts.map((h) => [h.passwordEnv, h.enableSecretEnv])).toEqual(Array(3).fill(['CALLHOME_PASSWORD', 'CALLHOME_ENABLE_SECRET']));
    expect(inventory.hosts.map((h) => h.legacyAlgorithms)).toEqual([false, false, true]);
  });

  it('inventory.ansible.yaml: the same devices', () => {
    const inventory = loadInventory(example('inventory.ansible.yaml'));
    expect(inventory.format).toBe('ansible-yaml');
    expectLabOfThree(inventory);
  });

  it('inventory.ini: the same devices', () => {
    const inventory = loadInventory(example('inventory.ini'));
    expect(inventory.format).toBe('ansible-ini');
    expectLabOfThree(inventory);
  });

  it("contracts.yaml: the lab's R1-R5, R5 in the installed base without cover", () => {
    const file = readContractsFile(example('contracts.yaml'));
    if (file.kind !== 'rows') throw new Error('contracts.yaml is one row per serial');
    const contracts = file.rows;
    expect(contracts.map((c) => c.serial)).toEqual([1, 2, 3, 4, 5].map((i) => labIdentity(i).serial));
    expect(contracts.map((c) => c.contractNumber)).toEqual(['C123456', 'C123456', 'C123457', 'C123457', '']);
    expect(contracts[0]).toMatchObject({ contractType: 'SNTC', company: 'ExampleCorp', expiresAt: '2027-12-31T00:00:00.000Z' });
    expect(contracts[4]?.expiresAt).toBeNull();
  });

  it('back-office.yaml: contracts, installed base with a warranty, a CCO profile — for the lab\'s R1-R5', () => {
    const file = readContractsFile(example('back-office.yaml'));
    if (file.kind !== 'back-office') throw new Error('back-office.yaml is in the back-office form');
    const office = BackOfficeSchema.parse(file.backOffice);
    expect(office.contracts.map((c) => [c.number, c.type, c.serials.length])).toEqual([
      ['C123456', 'direct', 2],
      ['P900001', 'partner-branded', 1],
    ]);
    expect(office.installedBase.map((e) => e.serial)).toEqual([1, 2, 3, 4, 5].map((i) => labIdentity(i).serial));
    expect(office.installedBase[2]).toMatchObject({ warrantyExpiresAt: '2027-06-30T00:00:00.000Z', warrantyCompany: 'examplecorp' });
    expect(office.profiles).toEqual([{ ccoId: 'alice', company: 'examplecorp', contracts: ['C123456'], caseManagement: true, email: 'alice@example.com' }]);
  });

  it("directory.yaml: the README's users examples — alice administers examplecorp, carol holds its contract; no password", () => {
    const dir = readDirectoryFile(example('directory.yaml'));
    expect(dir.companies).toEqual([{ id: 'examplecorp', name: 'ExampleCorp' }]);
    expect(dir.users.map((u) => [u.id, u.companies, u.contracts, u.profileCompany])).toEqual([
      ['alice', { examplecorp: 'administrator' }, ['C123456'], 'examplecorp'],
      ['carol', {}, ['C123456'], 'examplecorp'],
    ]);
    for (const u of dir.users) expect([u.password, u.passwordHash]).toEqual([undefined, undefined]);
    // C123456 is examplecorp's in the back-office fixtures, so `users role carol administrator` is allowed (S28).
    const file = readContractsFile(example('back-office.yaml'));
    if (file.kind !== 'back-office') throw new Error('back-office.yaml is in the back-office form');
    expect(BackOfficeSchema.parse(file.backOffice).contracts.find((c) => c.number === 'C123456')?.company).toBe('examplecorp');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('callhome users import examples/directory.yaml');
    expect(readme).toContain('callhome users role carol administrator --company examplecorp');
  });

  it('rules.yaml: loads, and its first matching rule decides', () => {
    const rules = loadRules(example('rules.yaml'));
    expect(rules.map((r) => [r.name, r.outcome])).toEqual([
      ['temperature', 'case'],
      ['temperature-recovered', 'recover'],
      ['crash', 'case'],
      ['reload-requested', 'notify'],
      ['quiet-inventory', 'none'],
    ]);
    // Only the fields the matcher reads; the rest of a message does not take part.
    const message = (m: Pick<CallHomeMessage, 'kind' | 'eventName' | 'description' | 'severity'>) => m as CallHomeMessage;
    expect(matchRule(rules, message({ kind: 'environment', eventName: 'TEMP_HIGH', description: 'Inlet 68C', severity: 6 }))?.name).toBe('temperature');
    expect(matchRule(rules, message({ kind: 'environment', eventName: 'TEMP_HIGH', description: 'Inlet 68C', severity: 1 }))).toBeNull();
    expect(matchRule(rules, message({ kind: 'syslog', eventName: 'RELOAD', description: 'Reload Requested by admin', severity: 5 }))?.name).toBe('reload-requested');
    expect(matchRule(rules, message({ kind: 'inventory', eventName: '', description: '', severity: 0 }))?.outcome).toBe('none');
  });
});
