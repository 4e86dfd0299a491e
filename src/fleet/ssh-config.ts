/** `~/.ssh/config` lookups (Host, HostName, Port, User, IdentityFile, ProxyJump) via ssh-config. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';

/** What ~/.ssh/config says about one host alias. */
export type SshConfigEntry = {
  readonly hostName?: string;
  readonly port?: number;
  readonly user?: string;
  readonly identityFiles: readonly string[];
  readonly proxyJump?: string;
};

/** Looks up host aliases in an OpenSSH client config. */
export type SshConfigLookup = (alias: string) => SshConfigEntry;

function expandHome(path: string): string {
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads an OpenSSH client config; a missing file yields empty entries. Default path: ~/.ssh/config. */
export function loadSshConfig(path = join(homedir(), '.ssh', 'config')): SshConfigLookup {
  if (!existsSync(path)) return () => ({ identityFiles: [] });
  const config = SSHConfig.parse(readFileSync(path, 'utf8'));
  return (alias) => {
    const computed = config.compute(alias) as Record<string, string | string[] | undefined>;
    const port = first(computed['Port']);
    const hostName = first(computed['HostName']);
    const user = first(computed['User']);
    const proxyJump = first(computed['ProxyJump']);
    const identity = computed['IdentityFile'];
    return {
      ...(hostName ? { hostName: hostName.replace(/%h/g, alias) } : {}),
      ...(port && /^\d+$/.test(port) ? { port: Number(port) } : {}),
      ...(user ? { user } : {}),
      ...(proxyJump && proxyJump !== 'none' ? { proxyJump } : {}),
      identityFiles: (Array.isArray(identity) ? identity : identity ? [identity] : []).map(expandHome),
    };
  };
}
