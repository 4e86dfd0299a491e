/**
 * Turns an inventory host into an SSH target: ~/.ssh/config, credentials (agent, key files, password
 * from the environment, the inventory or a prompt), host-key check and jump host. Secrets stay in memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AbortError } from '../errors.js';
import type { SshCredentials, SshTarget } from '../ios/driver/connect.js';
import type { Inventory, InventoryHost } from './inventory.js';
import { KnownHosts } from './known-hosts.js';
import { promptSecret } from './prompt-secret.js';
import { loadSshConfig, type SshConfigLookup } from './ssh-config.js';

/** What resolving a host needs besides the host. */
export type CredentialContext = {
  readonly inventory: Inventory;
  readonly knownHosts: KnownHosts;
  readonly sshConfig?: SshConfigLookup;
  readonly env?: NodeJS.ProcessEnv;
  /** Asks for a missing password; default: a no-echo prompt when stdin is a TTY. */
  readonly askPassword?: (question: string) => Promise<string>;
};

/** A device's SSH target plus its enable secret. */
export type ResolvedDevice = { readonly target: SshTarget; readonly enableSecret: string | undefined };

// One prompt per user and run, not one per device.
const asked = new WeakMap<CredentialContext, Map<string, Promise<string>>>();

async function passwordFor(host: InventoryHost, username: string, ctx: CredentialContext, hasKey: boolean): Promise<string | undefined> {
  const env = ctx.env ?? process.env;
  if (host.passwordEnv) {
    const value = env[host.passwordEnv];
    if (value === undefined) {
      throw new AbortError(`${host.name}: password-env names ${host.passwordEnv}, which is not set.`, `Export ${host.passwordEnv} before running.`);
    }
    return value;
  }
  const fromEnv = env['CALLHOME_PASSWORD'];
  if (fromEnv !== undefined) return fromEnv;
  if (host.password !== undefined) return host.password;
  if (hasKey || !process.stdin.isTTY) return undefined;
  const cache = asked.get(ctx) ?? new Map<string, Promise<string>>();
  asked.set(ctx, cache);
  const pending = cache.get(username) ?? (ctx.askPassword ?? promptSecret)(`SSH password for ${username}: `);
  cache.set(username, pending);
  return pending;
}

function readKey(file: string, owner: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AbortError(`${owner}: cannot read the key file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, 'Fix key-file in the inventory or IdentityFile in ~/.ssh/config.');
  }
}

function parseJump(spec: string): { user?: string; host: string; port: number } {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(spec);
  if (!match?.[2]) throw new AbortError(`The jump host "${spec}" is not user@host:port or an inventory name.`);
  return { ...(match[1] ? { user: match[1] } : {}), host: match[2].replace(/^\[|\]$/g, ''), port: match[3] ? Number(match[3]) : 22 };
}

/** Resolves one inventory host into an SSH target. */
export async function resolveDevice(host: InventoryHost, ctx: CredentialContext, via: readonly string[] = []): Promise<ResolvedDevice> {
  const env = ctx.env ?? process.env;
  const fromConfig = ctx.sshConfig?.(host.host) ?? { identityFiles: [] };
  const address = host.host === host.name && fromConfig.hostName ? fromConfig.hostName : host.host;
  const port = host.port === 22 && fromConfig.port ? fromConfig.port : host.port;
  const username = host.username ?? fromConfig.user ?? env['USER'] ?? 'admin';
  const keyFile = host.keyFile ?? fromConfig.identityFiles.find((f) => existsSync(f));
  const privateKey = keyFile ? readKey(keyFile, host.name) : undefined;
  const password = await passwordFor(host, username, ctx, privateKey !== undefined || env['SSH_AUTH_SOCK'] !== undefined);
  const credentials: SshCredentials = {
    username,
    password,
    privateKey,
    passphrase: env['CALLHOME_KEY_PASSPHRASE'],
    agent: env['SSH_AUTH_SOCK'],
  };
  const jumpSpec = host.jump ?? fromConfig.proxyJump;
  let jump: SshTarget | undefined;
  if (jumpSpec) {
    if (via.includes(host.name)) throw new AbortError(`Jump hosts loop: ${[...via, host.name].join(' → ')}.`);
    const named = ctx.inventory.hosts.find((h) => h.name === jumpSpec);
    if (named) jump = (await resolveDevice(named, ctx, [...via, host.name])).target;
    else {
      const spec = parseJump(jumpSpec.split(',')[0] ?? jumpSpec);
      jump = {
        name: `${host.name} via ${spec.host}`,
        host: spec.host,
        port: spec.port,
        credentials: { ...credentials, username: spec.user ?? username },
        checkHostKey: (key) => ctx.knownHosts.check(`jump host of ${host.name}`, spec.host, spec.port, key),
      };
    }
  }
  const enableSecret = host.enableSecretEnv ? env[host.enableSecretEnv] : (env['CALLHOME_ENABLE_SECRET'] ?? host.enableSecret ?? password);
  return {
    target: {
      name: host.name,
      host: address,
      port,
      credentials,
      legacyAlgorithms: host.legacyAlgorithms,
      checkHostKey: (key) => ctx.knownHosts.check(host.name, address, port, key),
      ...(jump ? { jump } : {}),
    },
    enableSecret,
  };
}

/**
 * The credential context every fleet entry point builds (commands, verify, console, demo):
 * known_hosts from the flag, then settings, then ~/.ssh/known_hosts; ~/.ssh/config from
 * `CALLHOME_SSH_CONFIG` or the default.
 */
export function fleetCredentialContext(options: {
  readonly inventory: Inventory;
  readonly knownHostsFile: string | undefined;
  readonly settings: { readonly knownHosts?: string | undefined };
  readonly acceptNewHostKeys: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** null reads no OpenSSH client config. */
  readonly sshConfigPath?: string | null | undefined;
  readonly askPassword?: ((question: string) => Promise<string>) | undefined;
}): CredentialContext {
  const file = options.knownHostsFile ?? options.settings.knownHosts ?? join(homedir(), '.ssh', 'known_hosts');
  return {
    inventory: options.inventory,
    knownHosts: new KnownHosts(file, options.acceptNewHostKeys),
    ...(options.sshConfigPath === null ? {} : { sshConfig: loadSshConfig(options.sshConfigPath ?? options.env['CALLHOME_SSH_CONFIG']) }),
    env: options.env,
    ...(options.askPassword ? { askPassword: options.askPassword } : {}),
  };
}
