/**
 * Inventories: callhome YAML (what the lab writes), Ansible YAML and Ansible INI, all read into one
 * list of hosts with their connection settings merged (defaults, then group vars, then the host).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AbortError } from '../errors.js';
import { assertNever } from '../util/assert-never.js';

/** One device as the fleet reaches it. Secrets are resolved later (credentials.ts), never logged. */
export type InventoryHost = {
  /** Inventory name, e.g. `r1`. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly passwordEnv?: string | undefined;
  readonly enableSecret?: string | undefined;
  readonly enableSecretEnv?: string | undefined;
  readonly keyFile?: string | undefined;
  /** `user@host:port` or another inventory name. */
  readonly jump?: string | undefined;
  readonly legacyAlgorithms: boolean;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Groups the host belongs to, directly or through children. */
  readonly groups: readonly string[];
};

/** A loaded inventory. */
export type Inventory = {
  readonly file: string;
  readonly format: 'callhome' | 'ansible-yaml' | 'ansible-ini';
  readonly hosts: readonly InventoryHost[];
  /** Group name → member host names (children flattened). */
  readonly groups: ReadonlyMap<string, readonly string[]>;
};

const ConnectionKeys = z
  .object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535),
    username: z.string().min(1),
    password: z.coerce.string(),
    'password-env': z.string().regex(/^[A-Za-z_]\w*$/, 'must be an environment variable name'),
    'enable-secret': z.coerce.string(),
    'enable-secret-env': z.string().regex(/^[A-Za-z_]\w*$/, 'must be an environment variable name'),
    'key-file': z.string().min(1),
    jump: z.string().min(1),
    'legacy-algorithms': z.union([z.boolean(), z.enum(['true', 'false', 'yes', 'no']).transform((v) => v === 'true' || v === 'yes')]),
    vars: z.record(z.string(), z.unknown()),
  })
  .partial()
  .strict();
type ConnectionKeys = z.infer<typeof ConnectionKeys>;

const CallhomeInventory = z
  .object({
    defaults: ConnectionKeys.optional(),
    groups: z
      .record(
        z.string(),
        z.object({ hosts: z.array(z.string()).default([]), children: z.array(z.string()).default([]), vars: z.record(z.string(), z.unknown()).default({}) }).strict(),
      )
      .optional(),
    hosts: z.record(z.string(), ConnectionKeys.nullable()),
  })
  .strict();

const ANSIBLE_KEYS: Readonly<Record<string, keyof ConnectionKeys>> = {
  ansible_host: 'host',
  ansible_ssh_host: 'host',
  ansible_port: 'port',
  ansible_ssh_port: 'port',
  ansible_user: 'username',
  ansible_ssh_user: 'username',
  ansible_password: 'password',
  ansible_ssh_pass: 'password',
  ansible_become_password: 'enable-secret',
  ansible_become_pass: 'enable-secret',
  ansible_ssh_private_key_file: 'key-file',
};

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
}

function fail(file: string, where: string, problem: string): never {
  throw new AbortError(`The inventory ${file} is not valid at ${where}: ${problem}`, 'Fix the inventory; keys a host may have: host, port, username, password, password-env, enable-secret, enable-secret-env, key-file, jump, legacy-algorithms, vars.');
}

function toHost(file: string, name: string, merged: Record<string, unknown>, groups: readonly string[]): InventoryHost {
  const parsed = ConnectionKeys.safeParse(merged);
  if (!parsed.success) fail(file, `host "${name}"`, issues(parsed.error));
  const keys = parsed.data;
  return {
    name,
    host: keys.host ?? name,
    port: keys.port ?? 22,
    username: keys.username,
    password: keys.password,
    passwordEnv: keys['password-env'],
    enableSecret: keys['enable-secret'],
    enableSecretEnv: keys['enable-secret-env'],
    keyFile: keys['key-file'],
    jump: keys.jump,
    legacyAlgorithms: keys['legacy-algorithms'] ?? false,
    vars: keys.vars ?? {},
    groups,
  };
}

/** Splits a vars map into connection keys (callhome or ansible names) and plain vars. */
function splitVars(vars: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) {
    const mapped = ANSIBLE_KEYS[key] ?? (key in ConnectionKeys.shape && key !== 'vars' ? key : undefined);
    if (mapped) out[mapped] = value;
    else plain[key] = value;
  }
  if (Object.keys(plain).length > 0) out['vars'] = plain;
  return out;
}

/** A secret given inline and its `-env` form are one setting: a nearer layer's either one replaces both. */
const ALTERNATIVES: Readonly<Record<string, string>> = {
  'password': 'password-env',
  'password-env': 'password',
  'enable-secret': 'enable-secret-env',
  'enable-secret-env': 'enable-secret',
};

function mergeKeys(...layers: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (key === 'vars') out['vars'] = { ...((out['vars'] as Record<string, unknown> | undefined) ?? {}), ...(value as Record<string, unknown>) };
      else if (value !== undefined && value !== null) {
        out[key] = value;
        const alternative = ALTERNATIVES[key];
        if (alternative !== undefined && layer[alternative] == null) delete out[alternative];
      }
    }
  }
  return out;
}

/** A group tree shared by both Ansible formats: group vars, direct hosts with their vars, children. */
type GroupNode = { vars: Record<string, unknown>; hosts: Map<string, Record<string, unknown>>; children: string[] };

function resolveGroupTree(file: string, format: Inventory['format'], tree: Map<string, GroupNode>): Inventory {
  const order: string[] = [];
  const hostVars = new Map<string, Record<string, unknown>>();
  const hostLayers = new Map<string, Record<string, unknown>[]>();
  const hostGroups = new Map<string, string[]>();
  const members = new Map<string, string[]>();
  // Depth-first from `all` so parents' vars come before children's, as Ansible orders them.
  const visit = (group: string, path: readonly string[], inherited: Record<string, unknown>[]): string[] => {
    if (path.includes(group)) fail(file, `group "${group}"`, `it is its own child (${[...path, group].join(' → ')})`);
    const node = tree.get(group);
    if (!node) fail(file, `group "${path.at(-1) ?? 'all'}"`, `child group "${group}" is not defined`);
    const layers = [...inherited, splitVars(node.vars)];
    const names: string[] = [];
    for (const [host, vars] of node.hosts) {
      if (!hostVars.has(host)) order.push(host);
      hostVars.set(host, mergeKeys(hostVars.get(host) ?? {}, splitVars(vars)));
      hostLayers.set(host, [...(hostLayers.get(host) ?? []), ...layers]);
      hostGroups.set(host, [...new Set([...(hostGroups.get(host) ?? []), ...path, group])]);
      names.push(host);
    }
    for (const child of node.children) names.push(...visit(child, [...path, group], layers));
    const unique = [...new Set(names)];
    members.set(group, [...new Set([...(members.get(group) ?? []), ...unique])]);
    return unique;
  };
  if (!tree.has('all')) tree.set('all', { vars: {}, hosts: new Map(), children: [] });
  const all = tree.get('all');
  // Groups nobody lists as a child belong to `all`.
  const listed = new Set([...tree.values()].flatMap((n) => n.children));
  for (const group of tree.keys()) if (group !== 'all' && !listed.has(group)) all?.children.push(group);
  visit('all', [], []);
  const hosts = order.map((name) =>
    toHost(file, name, mergeKeys(...(hostLayers.get(name) ?? []), hostVars.get(name) ?? {}), (hostGroups.get(name) ?? []).filter((g) => g !== 'all')),
  );
  return { file, format, hosts, groups: members };
}

const AnsibleGroup: z.ZodType<{ hosts?: Record<string, Record<string, unknown> | null> | null; vars?: Record<string, unknown> | null; children?: Record<string, unknown> | null }> = z.object({
  hosts: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).nullable().optional(),
  vars: z.record(z.string(), z.unknown()).nullable().optional(),
  children: z.record(z.string(), z.unknown()).nullable().optional(),
});

function fromAnsibleYaml(file: string, doc: Record<string, unknown>): Inventory {
  const tree = new Map<string, GroupNode>();
  const walk = (name: string, raw: unknown): void => {
    const parsed = AnsibleGroup.safeParse(raw ?? {});
    if (!parsed.success) fail(file, `group "${name}"`, issues(parsed.error));
    const node: GroupNode = tree.get(name) ?? { vars: {}, hosts: new Map(), children: [] };
    Object.assign(node.vars, parsed.data.vars ?? {});
    for (const [host, vars] of Object.entries(parsed.data.hosts ?? {})) node.hosts.set(host, { ...(node.hosts.get(host) ?? {}), ...(vars ?? {}) });
    tree.set(name, node);
    for (const [child, childRaw] of Object.entries(parsed.data.children ?? {})) {
      if (!node.children.includes(child)) node.children.push(child);
      walk(child, childRaw);
    }
  };
  for (const [group, raw] of Object.entries(doc)) walk(group, raw);
  return resolveGroupTree(file, 'ansible-yaml', tree);
}

function expandHostRange(pattern: string): string[] {
  // Ansible ranges: `r[1:3]` → r1 r2 r3, `r[01:03]` keeps the width.
  const match = /^(.*)\[(\d+):(\d+)\](.*)$/.exec(pattern);
  if (!match) return [pattern];
  const [, head = '', from = '0', to = '0', tail = ''] = match;
  const width = from.startsWith('0') ? from.length : 0;
  const names: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) names.push(...expandHostRange(`${head}${String(n).padStart(width, '0')}${tail}`));
  return names;
}

function parseIniValue(value: string): unknown {
  const unquoted = /^(['"])(.*)\1$/.exec(value);
  if (unquoted) return unquoted[2];
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return value;
}

function splitIniFields(line: string): string[] {
  return line.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

/** Parses an Ansible INI inventory. */
export function parseAnsibleIni(file: string, text: string): Inventory {
  const tree = new Map<string, GroupNode>();
  const node = (name: string): GroupNode => {
    const existing = tree.get(name);
    if (existing) return existing;
    const created: GroupNode = { vars: {}, hosts: new Map(), children: [] };
    tree.set(name, created);
    return created;
  };
  let section: { group: string; kind: 'hosts' | 'vars' | 'children' } = { group: 'ungrouped', kind: 'hosts' };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s[#;].*$/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header?.[1]) {
      section = { group: header[1], kind: (header[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      node(header[1]);
      return;
    }
    const where = `line ${index + 1}`;
    const target = node(section.group);
    switch (section.kind) {
      case 'hosts': {
        const [pattern, ...assignments] = splitIniFields(line);
        if (!pattern) return;
        const vars: Record<string, unknown> = {};
        for (const assignment of assignments) {
          const eq = assignment.indexOf('=');
          if (eq <= 0) fail(file, where, `"${assignment}" is not key=value`);
          vars[assignment.slice(0, eq)] = parseIniValue(assignment.slice(eq + 1));
        }
        for (const host of expandHostRange(pattern)) target.hosts.set(host, { ...(target.hosts.get(host) ?? {}), ...vars });
        return;
      }
      case 'vars': {
        const eq = line.indexOf('=');
        if (eq <= 0) fail(file, where, `"${line}" is not key=value`);
        target.vars[line.slice(0, eq).trim()] = parseIniValue(line.slice(eq + 1).trim());
        return;
      }
      case 'children':
        node(line);
        if (!target.children.includes(line)) target.children.push(line);
        return;
      default:
        assertNever(section.kind, 'INI section kind');
    }
  });
  if (tree.get('ungrouped')?.hosts.size === 0) tree.delete('ungrouped');
  return resolveGroupTree(file, 'ansible-ini', tree);
}

function fromCallhomeYaml(file: string, doc: unknown): Inventory {
  const parsed = CallhomeInventory.safeParse(doc);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path[0] === 'hosts' && first.path[1] !== undefined ? `host "${String(first.path[1])}"` : 'the top level';
    fail(file, where, issues(parsed.error));
  }
  const { defaults = {}, groups = {}, hosts } = parsed.data;
  const tree = new Map<string, GroupNode>();
  tree.set('all', { vars: {}, hosts: new Map(Object.keys(hosts).map((h) => [h, {}])), children: [] });
  for (const [group, spec] of Object.entries(groups)) {
    for (const host of spec.hosts) if (!(host in hosts)) fail(file, `group "${group}"`, `host "${host}" is not under hosts:`);
    tree.set(group, { vars: spec.vars, hosts: new Map(spec.hosts.map((h) => [h, {}])), children: [...spec.children] });
  }
  const grouped = resolveGroupTree(file, 'callhome', tree);
  const byName = new Map(grouped.hosts.map((h) => [h.name, h]));
  const result = Object.entries(hosts).map(([name, own]) => {
    const base = byName.get(name);
    // Defaults first, then group vars (already merged into `base`), then the host's own keys.
    const groupKeys = Object.fromEntries(
      [...tree.entries()].filter(([g]) => base?.groups.includes(g)).flatMap(([, n]) => Object.entries(splitVars(n.vars))),
    );
    return toHost(file, name, mergeKeys(defaults, groupKeys, own ?? {}), base?.groups ?? []);
  });
  return { file, format: 'callhome', hosts: result, groups: grouped.groups };
}

/** Reads an inventory in any of the three formats. Errors name the file and the host or line. */
export function parseInventory(file: string, text: string): Inventory {
  const looksIni = /\.(ini|cfg)$/i.test(file) || /^\s*\[[^\]]+\]\s*$/m.test(text);
  if (looksIni) return parseAnsibleIni(file, text);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new AbortError(`The inventory ${file} is not valid YAML: ${(error as Error).message}`, 'Fix the syntax, or give an Ansible INI file a .ini name.');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new AbortError(`The inventory ${file} is empty or not a mapping.`, 'Write hosts: (callhome format) or all: (Ansible format) at the top.');
  }
  const record = doc as Record<string, unknown>;
  const isCallhome = 'hosts' in record && !('all' in record) && Object.values(record['hosts'] ?? {}).every((h) => h === null || (typeof h === 'object' && !('ansible_host' in h)));
  return isCallhome ? fromCallhomeYaml(file, doc) : fromAnsibleYaml(file, record);
}

/** Reads and parses an inventory file. */
export function loadInventory(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AbortError(`Cannot read the inventory ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'Check the --inventory path.');
  }
  return parseInventory(file, text);
}
