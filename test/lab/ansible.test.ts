/**
 * Lab fidelity against a real peer: Ansible's cisco.ios collection (network_cli over paramiko) logs
 * in, enables, sets up the terminal, reads `show version` and `show running-config`, pushes Call Home
 * lines with ios_config, saves with `copy running-config startup-config` and runs `show` commands.
 * If Ansible cannot drive the lab, the lab is not behaving like IOS.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configBlock, failureMessage, findAnsible, hostsNotOk, prepareAnsibleWorkspace, pushPlaybook, runPlaybook, type PlaybookRun } from '../../bench/ansible/peer.js';
import { parseDesiredYaml } from '../../src/fleet/desired.js';
import { planPush, verifyConfig } from '../../src/fleet/plan.js';
import { startLab, type Lab } from '../../src/lab/devices.js';

const desired = parseDesiredYaml(
  [
    'service: enabled',
    'contact-email: noc@example.com',
    'site-id: "SITE 7"',
    'mail-servers:',
    '  - { address: 127.0.0.1, priority: 1 }',
    'profiles:',
    '  ansible-http:',
    '    active: true',
    '    transport: [http]',
    '    http: ["http://127.0.0.1:9/its/service/oddce/services/DDCEService"]',
    '    subscriptions:',
    '      inventory: { periodic: "weekly monday 10:00" }',
    '      environment: { severity: minor }',
  ].join('\n'),
  'ansible.test.ts',
);

const install = findAnsible();
let dir: string;
let lab: Lab;
/** The planner's lines per device: factory configurations differ between software trains. */
let commands: ReadonlyMap<string, readonly string[]>;
let run: PlaybookRun | null = null;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-ansible-'));
  // `mixed`: r1 runs IOS XE 17.9.4a, r2 classic IOS 15.2(4)M11, r3 IOS XE 16.12.5.
  lab = await startLab({ devices: 3, port: 0, stateDir: path.join(dir, 'state'), software: 'mixed' });
  if (!install) return;
  const [first, , impostor] = lab.devices;
  if (!first || !impostor) throw new Error('the lab started fewer than 3 devices');
  const knownHostsFile = path.join(dir, 'known_hosts');
  await lab.writeKnownHosts(knownHostsFile);
  // r3 is listed with r1's key: what a replaced or impersonated device looks like to Ansible.
  const lines = (await readFile(knownHostsFile, 'utf8')).split('\n');
  const keyOf = (port: number): string => lines.find((l) => l.startsWith(`[127.0.0.1]:${port} `))?.replace(/^\S+ /, '') ?? '';
  const knownHosts = lines.map((l) => (l.startsWith(`[127.0.0.1]:${impostor.port} `) ? `[127.0.0.1]:${impostor.port} ${keyOf(first.port)}` : l)).join('\n');
  const workspace = prepareAnsibleWorkspace({
    dir: path.join(dir, 'ansible'),
    install,
    hosts: lab.devices.map((d) => ({ name: d.name, port: d.port })),
    credentials: { username: 'admin', password: 'admin', enableSecret: 'cisco' },
    knownHosts,
    timeout: 60,
  });
  // Every device starts from its train's factory configuration: one plan per device, in <host>.cfg.
  commands = new Map(lab.devices.map((d) => [d.name, planPush(d.device.running().callHome, desired, { prune: false }).commands]));
  for (const d of lab.devices) await writeFile(path.join(workspace.dir, `${d.name}.cfg`), configBlock(commands.get(d.name) ?? []));
  const configFile = path.join(workspace.dir, '{{ inventory_hostname }}.cfg');
  await writeFile(path.join(workspace.dir, 'push.yaml'), pushPlaybook({ configFile, again: true, show: ['show call-home profile all'] }));
  run = await runPlaybook(workspace, path.join(workspace.dir, 'push.yaml'), { forks: 3 });
}, 120_000);

afterAll(async () => {
  await lab.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Ansible (cisco.ios, network_cli over paramiko) drives the lab', () => {
  it('finds ansible-playbook (CI installs Debian ansible python3-paramiko)', () => {
    expect(install, 'ansible-playbook is not on PATH: apt-get install ansible python3-paramiko').not.toBeNull();
  });

  it('pushes the planner’s lines with ios_config, saves them, and reads the profiles back', () => {
    const done = run;
    if (!done) return;
    const good = lab.devices.slice(0, 2);
    expect(hostsNotOk(done, good.map((d) => d.name)).map((h) => `${h}: ${failureMessage(done, h)}`), done.stderr).toEqual([]);
    const task = (name: string) => done.tasks.find((t) => t.name === name)?.hosts;
    for (const handle of good) {
      expect(done.recap.get(handle.name)?.changed).toBe(1);
      // Ansible diffed our lines against the lab's running-config and sent every one of them.
      expect(task('push call-home')?.get(handle.name)?.commands).toEqual((commands.get(handle.name) ?? []).filter((c) => c !== 'exit'));
      // Read back, the running-config already holds every line: the lab renders it the way ios_config parses it.
      expect(task('push call-home again')?.get(handle.name)?.changed).toBe(false);
      // Classic IOS prints the block flush left, IOS XE indents its body.
      expect(task('show')?.get(handle.name)?.stdout[0]).toMatch(/^Profile Name: ansible-http\n\s*Profile status: ACTIVE/m);
      // The device holds the configuration, running and saved (save_when: modified).
      const running = handle.device.running();
      expect(verifyConfig(running.callHome, desired)).toEqual([]);
      expect(handle.device.startup()).toEqual(running);
    }
  });

  it('refuses a device whose host key is not the one in known_hosts, and changes nothing on it', () => {
    if (!run) return;
    const impostor = lab.device('r3');
    expect(hostsNotOk(run, [impostor.name])).toEqual([impostor.name]);
    expect(failureMessage(run, impostor.name)).toMatch(/host key|BadHostKey|does not match/i);
    expect(impostor.device.startup()).toBeNull();
    expect(verifyConfig(impostor.device.running().callHome, desired)).not.toEqual([]);
  });
});

describe('configBlock', () => {
  it('indents the planner’s sub-modes the way running-config shows them and drops the exits', () => {
    const block = configBlock(['service call-home', 'call-home', 'site-id S', 'alert-group-config snapshot', 'add-command "show clock"', 'exit', 'profile "p"', 'active', 'exit']);
    expect(block).toBe('service call-home\ncall-home\n site-id S\n alert-group-config snapshot\n  add-command "show clock"\n profile "p"\n  active\n');
  });

  it('refuses an exit outside any sub-mode', () => {
    expect(() => configBlock(['exit'])).toThrow(/outside any sub-mode/);
  });
});
