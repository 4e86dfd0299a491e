/**
 * Ansible as a peer on the same lab fleet: find the installed Ansible, write a hermetic workspace
 * (ansible.cfg, a YAML inventory of network_cli hosts, a known_hosts file), turn our planner's command
 * list into the indented configuration `cisco.ios.ios_config` takes as `src`, run `ansible-playbook`
 * with the json callback and read its per-host recap. Used by bench/ansible.ts and the lab's Ansible
 * fidelity test (test/lab/ansible.test.ts).
 *
 * Host keys are checked: paramiko reads only `~/.ssh/known_hosts`, so HOME points into the workspace
 * and the lab's known_hosts is copied there; unknown keys are refused (host_key_auto_add off), none
 * are recorded.
 */
import { spawn, execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';

/** The installed Ansible: its playbook runner, the Python it runs on, and its version line. */
export type AnsibleInstall = { readonly playbook: string; readonly python: string; readonly version: string };

/** A lab device as Ansible reaches it. */
export type AnsibleHost = { readonly name: string; readonly port: number };

/** Login, enable secret for `ansible_become_method: enable`. */
export type AnsibleCredentials = { readonly username: string; readonly password: string; readonly enableSecret: string };

/** A prepared workspace: where things are and the environment every run gets. */
export type AnsibleWorkspace = {
  readonly dir: string;
  readonly inventory: string;
  readonly env: NodeJS.ProcessEnv;
  readonly install: AnsibleInstall;
};

/** One host's line of the PLAY RECAP. */
export type HostRecap = {
  readonly ok: number;
  readonly changed: number;
  readonly failures: number;
  readonly unreachable: number;
  readonly skipped: number;
};

/** One task's result on one host, as the json callback reports it. */
export type HostTaskResult = {
  readonly changed: boolean;
  readonly failed: boolean;
  readonly unreachable: boolean;
  readonly msg: string | null;
  /** ios_command: one output per command. */
  readonly stdout: readonly string[];
  /** ios_config: the lines it sent. */
  readonly commands: readonly string[];
};

/** What one `ansible-playbook` run did. */
export type PlaybookRun = {
  readonly wallMs: number;
  readonly exitCode: number;
  readonly recap: ReadonlyMap<string, HostRecap>;
  /** Task name → host → result, in play order. */
  readonly tasks: readonly { readonly name: string; readonly hosts: ReadonlyMap<string, HostTaskResult> }[];
  readonly stderr: string;
};

/** `env` without ANSIBLE_* variables, so only the settings we write apply, whatever the caller's shell has. */
function withoutAnsibleSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('ANSIBLE_')));
}

/** Finds `ansible-playbook` on PATH and the Python its shebang names; null when Ansible is not installed. */
export function findAnsible(env: NodeJS.ProcessEnv = process.env): AnsibleInstall | null {
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter((d) => d !== '')) {
    const playbook = join(dir, 'ansible-playbook');
    try {
      accessSync(playbook, constants.X_OK);
    } catch {
      continue;
    }
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(readFileSync(playbook, 'utf8').split('\n', 1)[0] ?? '');
    // `#!/usr/bin/env python3` names a command, not a path; Ansible's own discovery then finds it.
    const python = shebang?.[1]?.endsWith('/env') ? (shebang[2] ?? 'python3') : (shebang?.[1] ?? 'python3');
    const version = execFileSync(playbook, ['--version'], { encoding: 'utf8', env: withoutAnsibleSettings(env) }).split('\n', 1)[0] ?? '';
    return { playbook, python, version: version.trim() };
  }
  return null;
}

/**
 * Turns the planner's command list (as typed after `configure terminal`, each sub-mode closed by
 * `exit`) into indented running-config form, the shape ios_config compares with `show running-config`.
 */
export function configBlock(commands: readonly string[]): string {
  const lines: string[] = [];
  let depth = 0;
  for (const command of commands) {
    if (command === 'exit') {
      if (depth === 0) throw new Error('configBlock: `exit` outside any sub-mode');
      depth -= 1;
      continue;
    }
    lines.push(`${' '.repeat(depth)}${command}`);
    // The sub-modes Call Home has: call-home at the top, profiles and the snapshot group inside it.
    if ((depth === 0 && command === 'call-home') || (depth === 1 && /^(?:profile|alert-group-config) /.test(command))) depth += 1;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A play that pushes `configFile` with ios_config (saving when running differs from startup),
 * optionally pushes it a second time ('push call-home again', which should change nothing), then
 * runs `show` commands.
 */
export function pushPlaybook(options: { readonly configFile: string; readonly again?: boolean; readonly show?: readonly string[] }): string {
  const push = { src: options.configFile, save_when: 'modified' };
  const tasks: Record<string, unknown>[] = [{ name: 'push call-home', 'cisco.ios.ios_config': push }];
  if (options.again) tasks.push({ name: 'push call-home again', 'cisco.ios.ios_config': { ...push } });
  if (options.show && options.show.length > 0) tasks.push({ name: 'show', 'cisco.ios.ios_command': { commands: [...options.show] } });
  return stringify([{ name: 'call-home', hosts: 'all', gather_facts: false, tasks }]);
}

/** Writes ansible.cfg, the inventory and known_hosts under `dir` and returns the run environment. */
export function prepareAnsibleWorkspace(options: {
  readonly dir: string;
  readonly install: AnsibleInstall;
  readonly hosts: readonly AnsibleHost[];
  readonly credentials: AnsibleCredentials;
  /** OpenSSH known_hosts text with every host's key (`[127.0.0.1]:PORT type key`). */
  readonly knownHosts: string;
  /** Seconds for connecting and for each command. */
  readonly timeout?: number;
}): AnsibleWorkspace {
  const { dir } = options;
  const home = join(dir, 'home');
  for (const sub of [join(home, '.ssh'), join(dir, 'tmp'), join(dir, 'ansible-home'), join(dir, 'pc')]) mkdirSync(sub, { recursive: true });
  writeFileSync(join(home, '.ssh', 'known_hosts'), options.knownHosts, { mode: 0o600 });
  const timeout = options.timeout ?? 120;
  writeFileSync(
    join(dir, 'ansible.cfg'),
    [
      '[defaults]',
      `interpreter_python = ${options.install.python}`,
      'host_key_checking = True',
      'retry_files_enabled = False',
      'gathering = explicit',
      'nocolor = True',
      '[paramiko_connection]',
      'host_key_auto_add = False',
      'record_host_keys = False',
      'look_for_keys = False',
      '[persistent_connection]',
      `connect_timeout = ${timeout}`,
      `command_timeout = ${timeout}`,
      '',
    ].join('\n'),
  );
  const inventory = join(dir, 'inventory.yaml');
  const hosts = Object.fromEntries(options.hosts.map((h) => [h.name, { ansible_host: '127.0.0.1', ansible_port: h.port }]));
  writeFileSync(
    inventory,
    stringify({
      all: {
        vars: {
          ansible_connection: 'ansible.netcommon.network_cli',
          ansible_network_os: 'cisco.ios.ios',
          ansible_network_cli_ssh_type: 'paramiko',
          ansible_user: options.credentials.username,
          ansible_password: options.credentials.password,
          ansible_become: true,
          ansible_become_method: 'enable',
          ansible_become_password: options.credentials.enableSecret,
        },
        hosts,
      },
    }),
  );
  const env: NodeJS.ProcessEnv = {
    ...withoutAnsibleSettings(process.env),
    HOME: home,
    ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
    ANSIBLE_HOME: join(dir, 'ansible-home'),
    ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
    ANSIBLE_PERSISTENT_CONTROL_PATH_DIR: join(dir, 'pc'),
    ANSIBLE_STDOUT_CALLBACK: 'json',
  };
  return { dir, inventory, env, install: options.install };
}

const RecapSchema = z.object({
  ok: z.number(),
  changed: z.number(),
  failures: z.number(),
  unreachable: z.number(),
  skipped: z.number(),
});

const TaskHostSchema = z.looseObject({
  changed: z.boolean().optional(),
  failed: z.boolean().optional(),
  unreachable: z.boolean().optional(),
  msg: z.unknown().optional(),
  stdout: z.array(z.unknown()).optional(),
  commands: z.array(z.unknown()).optional(),
});

const JsonCallbackSchema = z.object({
  plays: z.array(
    z.object({
      tasks: z.array(z.object({ task: z.object({ name: z.string() }), hosts: z.record(z.string(), TaskHostSchema) })),
    }),
  ),
  stats: z.record(z.string(), RecapSchema),
});

/** Reads the json stdout callback's document. */
export function parseJsonCallback(stdout: string): Pick<PlaybookRun, 'recap' | 'tasks'> {
  // Anything Ansible prints before the document (rare deprecation notices) is not JSON.
  const start = stdout.search(/^\{/m);
  if (start < 0) throw new Error(`ansible-playbook printed no JSON result:\n${stdout.slice(0, 2000)}`);
  const doc = JsonCallbackSchema.parse(JSON.parse(stdout.slice(start)));
  const text = (items: readonly unknown[] | undefined): string[] => (items ?? []).map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return {
    recap: new Map(Object.entries(doc.stats)),
    tasks: doc.plays.flatMap((play) =>
      play.tasks.map((t) => ({
        name: t.task.name,
        hosts: new Map(
          Object.entries(t.hosts).map(([host, r]) => [
            host,
            {
              changed: r.changed ?? false,
              failed: r.failed ?? false,
              unreachable: r.unreachable ?? false,
              msg: r.msg === undefined ? null : typeof r.msg === 'string' ? r.msg : JSON.stringify(r.msg),
              stdout: text(r.stdout),
              commands: text(r.commands),
            },
          ]),
        ),
      })),
    ),
  };
}

/** Runs `ansible-playbook` on the workspace's inventory with `forks` and reads the result. */
export async function runPlaybook(workspace: AnsibleWorkspace, playbook: string, options: { readonly forks: number }): Promise<PlaybookRun> {
  const started = performance.now();
  const child = spawn(workspace.install.playbook, ['-i', workspace.inventory, '--forks', String(options.forks), playbook], {
    cwd: workspace.dir,
    env: workspace.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
  });
  const wallMs = performance.now() - started;
  const stderr = Buffer.concat(err).toString('utf8');
  const stdout = Buffer.concat(out).toString('utf8');
  try {
    return { wallMs, exitCode, stderr, ...parseJsonCallback(stdout) };
  } catch (error) {
    throw new Error(`ansible-playbook exited ${exitCode}; its output could not be read (${error instanceof Error ? error.message : String(error)})\nstderr:\n${stderr.slice(0, 4000)}`);
  }
}

/** Hosts whose recap shows a failure, an unreachable device or no recap at all. */
export function hostsNotOk(run: PlaybookRun, hosts: readonly string[]): string[] {
  return hosts.filter((h) => {
    const r = run.recap.get(h);
    return !r || r.failures > 0 || r.unreachable > 0 || r.ok === 0;
  });
}

/** The first failure message Ansible gave for `host`, for error reports. */
export function failureMessage(run: PlaybookRun, host: string): string {
  for (const task of run.tasks) {
    const r = task.hosts.get(host);
    if (r && (r.failed || r.unreachable)) return `${task.name}: ${r.msg ?? 'failed'}`;
  }
  return 'no result';
}
