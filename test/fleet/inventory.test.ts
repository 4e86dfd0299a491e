import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortError } from '../../src/errors.js';
import { loadInventory, parseInventory } from '../../src/fleet/inventory.js';
import { selectHosts } from '../../src/fleet/limit.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-inventory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CALLHOME = `# callhome inventory
defaults:
  username: admin
  password: admin
  enable-secret: cisco
groups:
  lab:
    hosts: [r1, r2]
    vars: { username: ops }
  core:
    hosts: [r2]
    vars: {}
hosts:
  r1:
    host: 127.0.0.1
    port: 40001
    vars: { hostname: R1, serial: 9ABCDEF1234, model: CSR1000V }
  r2:
    host: 127.0.0.1
    port: 40002
    username: root
    legacy-algorithms: true
  r3:
    host: 10.0.0.3
`;

const ANSIBLE_YAML = `all:
  vars:
    ansible_user: admin
  children:
    routers:
      vars:
        ansible_become_password: cisco
      hosts:
        edge1: { ansible_host: 10.1.0.1, ansible_port: 2201, site: north }
        edge2: { ansible_host: 10.1.0.2, ansible_password: pw2 }
      children:
        core:
          hosts:
            core1: { ansible_host: 10.2.0.1 }
    switches:
      hosts:
        sw1:
`;

const ANSIBLE_INI = `sw9 ansible_host=10.9.0.9

[routers]
edge[1:3] ansible_user=netops
core1 ansible_host=10.2.0.1 ansible_port=2222 ansible_password="two words"

[routers:vars]
ansible_become_password=cisco

[dc:children]
routers
`;

describe('inventory formats', () => {
  it('reads the callhome YAML: defaults, then group vars, then the host', () => {
    const inventory = parseInventory('lab.yaml', CALLHOME);
    expect(inventory.format).toBe('callhome');
    const [r1, r2, r3] = inventory.hosts;
    expect(r1).toMatchObject({ name: 'r1', host: '127.0.0.1', port: 40001, username: 'ops', password: 'admin', enableSecret: 'cisco', groups: ['lab'] });
    expect(r1?.vars).toEqual({ hostname: 'R1', serial: '9ABCDEF1234', model: 'CSR1000V' });
    expect(r2).toMatchObject({ username: 'root', legacyAlgorithms: true, groups: ['lab', 'core'] });
    expect(r3).toMatchObject({ host: '10.0.0.3', port: 22, username: 'admin', groups: [] });
  });

  it('reads Ansible YAML with children and inherited vars', () => {
    const inventory = parseInventory('hosts.yml', ANSIBLE_YAML);
    expect(inventory.format).toBe('ansible-yaml');
    expect(inventory.hosts.map((h) => h.name)).toEqual(['edge1', 'edge2', 'core1', 'sw1']);
    expect(inventory.hosts[0]).toMatchObject({ host: '10.1.0.1', port: 2201, username: 'admin', enableSecret: 'cisco', vars: { site: 'north' } });
    expect(inventory.hosts[1]).toMatchObject({ password: 'pw2' });
    expect(inventory.hosts[2]).toMatchObject({ host: '10.2.0.1', enableSecret: 'cisco', groups: ['routers', 'core'] });
    expect(inventory.hosts[3]).toMatchObject({ host: 'sw1', port: 22 });
    expect(inventory.groups.get('routers')).toEqual(['edge1', 'edge2', 'core1']);
  });

  it('reads Ansible INI with ranges, quoted values, :vars and :children', () => {
    const inventory = parseInventory('hosts.ini', ANSIBLE_INI);
    expect(inventory.format).toBe('ansible-ini');
    expect(inventory.hosts.map((h) => h.name)).toEqual(['sw9', 'edge1', 'edge2', 'edge3', 'core1']);
    expect(inventory.hosts.find((h) => h.name === 'core1')).toMatchObject({ port: 2222, password: 'two words', enableSecret: 'cisco', groups: ['dc', 'routers'] });
    expect(inventory.hosts.find((h) => h.name === 'edge2')).toMatchObject({ username: 'netops', host: 'edge2' });
    expect(inventory.groups.get('dc')).toEqual(['edge1', 'edge2', 'edge3', 'core1']);
  });

  it('lets a nearer layer give a secret inline or by env var, whichever the defaults used', () => {
    const yaml = `defaults:\n  username: admin\n  password-env: LAB_PASSWORD\n  enable-secret: cisco\nhosts:\n  r1: { port: 40001 }\n  r2: { port: 40002, password: own }\n  r3: { port: 40003, enable-secret-env: R3_ENABLE }\n`;
    const [r1, r2, r3] = parseInventory('lab.yaml', yaml).hosts;
    expect(r1).toMatchObject({ passwordEnv: 'LAB_PASSWORD', enableSecret: 'cisco' });
    expect(r2).toMatchObject({ password: 'own', passwordEnv: undefined });
    expect(r3).toMatchObject({ passwordEnv: 'LAB_PASSWORD', enableSecret: undefined, enableSecretEnv: 'R3_ENABLE' });
  });

  it('names the file and the host when a host is invalid', () => {
    const bad = CALLHOME.replace('port: 40002', 'port: 99999').replace('legacy-algorithms: true', 'legacy-algorithms: true\n    colour: blue');
    expect(() => parseInventory('lab.yaml', bad)).toThrow(AbortError);
    expect(() => parseInventory('lab.yaml', bad)).toThrow(/lab\.yaml .*host "r2"/);
  });

  it('says which file cannot be read', () => {
    expect(() => loadInventory(join(dir, 'missing.yaml'))).toThrow(/Cannot read the inventory .*missing\.yaml: ENOENT/);
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'hosts: [unclosed');
    expect(() => loadInventory(file)).toThrow(/not valid YAML/);
  });
});

describe('--limit', () => {
  const inventory = parseInventory('hosts.ini', ANSIBLE_INI);
  const names = (limit: string) => selectHosts(inventory, limit).map((h) => h.name);

  it('selects groups, globs, exclusions and intersections as Ansible does', () => {
    expect(names('routers')).toEqual(['edge1', 'edge2', 'edge3', 'core1']);
    expect(names('edge*')).toEqual(['edge1', 'edge2', 'edge3']);
    expect(names('routers,!edge2')).toEqual(['edge1', 'edge3', 'core1']);
    expect(names('dc:&edge*:!edge3')).toEqual(['edge1', 'edge2']);
    expect(names('sw9,core1')).toEqual(['sw9', 'core1']);
    expect(names('~^edge[12]$')).toEqual(['edge1', 'edge2']);
    expect(names('!routers')).toEqual(['sw9']);
    expect(names('all')).toHaveLength(5);
  });

  it('refuses a limit that matches nothing and lists what exists', () => {
    expect(() => selectHosts(inventory, 'nothing*')).toThrow(/matches no host in hosts\.ini/);
  });
});
