/**
 * OpenSSH known_hosts checking for every connection, read as OpenSSH reads it (sshd(8), SSH_KNOWN_HOSTS
 * FILE FORMAT): a host is filed as `host` on port 22 and `[host]:port` otherwise; an entry's patterns are
 * comma-separated, `*` and `?` are wildcards over that whole name (so `*` covers `[10.0.0.1]:2222` too),
 * a matching `!pattern` excludes the host from the entry whatever else matches, names are compared without
 * regard to case, and `|1|salt|hash` entries are HMAC-SHA1 of the name. `@revoked` keys are refused;
 * `@cert-authority` lines pin a host to certificates signed by that CA, which callhome cannot check, so a
 * host they cover is refused. A host that matches any entry holding another key has a CHANGED key and is
 * refused, with or without --accept-new-host-keys; only a host no entry matches is unknown.
 */
import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import sshpk from 'sshpk';
import { DeviceError } from '../ios/driver/errors.js';
import { assertNever } from '../util/assert-never.js';

type Entry = {
  readonly line: number;
  readonly marker: '' | '@revoked' | '@cert-authority';
  readonly hosts: string;
  readonly keyType: string;
  readonly blob: Buffer;
};

/** The verdict on a presented host key. */
export type HostKeyVerdict =
  | { readonly kind: 'known' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'changed'; readonly line: number; readonly keyType: string }
  | { readonly kind: 'revoked'; readonly line: number }
  | { readonly kind: 'cert-authority'; readonly line: number };

/** The name OpenSSH files a host under: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('ascii');
}

/** SHA256 fingerprint as OpenSSH prints it. */
export function fingerprintOf(blob: Buffer): string {
  try {
    return sshpk.parseKey(blob, 'rfc4253').fingerprint('sha256').toString();
  } catch {
    return 'unreadable key';
  }
}

/** Compiled wildcard patterns: a fleet run checks every host against every entry. */
const wildcards = new Map<string, RegExp>();

/** An OpenSSH wildcard pattern (`*`, `?`; everything else literal) as a whole-name, case-insensitive regex. */
function wildcard(pattern: string): RegExp {
  let regex = wildcards.get(pattern);
  if (!regex) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${body}$`, 'i');
    wildcards.set(pattern, regex);
  }
  return regex;
}

/** True when one pattern (without its `!`) covers `name`; a pattern without wildcards is compared as text. */
function patternMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.length === name.length && pattern.toLowerCase() === name.toLowerCase();
  return wildcard(pattern).test(name);
}

/** True when an entry's host field covers `name` (`host` or `[host]:port`), as OpenSSH's match_hostname. */
export function hostFieldMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    if (patternMatches(negated ? pattern.slice(1) : pattern, name)) {
      // A negated match excludes the host from this entry, whatever else matched.
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** One known_hosts file, read once and appended to when new keys are accepted. */
export class KnownHosts {
  private entries: Entry[] | null = null;

  constructor(
    /** Path of the known_hosts file. */
    readonly file: string,
    /** Record keys of hosts not yet known (`--accept-new-host-keys`). */
    readonly acceptNew = false,
  ) {}

  private load(): Entry[] {
    if (this.entries) return this.entries;
    const entries: Entry[] = [];
    if (existsSync(this.file)) {
      const lines = readFileSync(this.file, 'utf8').split(/\r?\n/);
      lines.forEach((text, index) => {
        const trimmed = text.trim();
        if (trimmed === '' || trimmed.startsWith('#')) return;
        const fields = trimmed.split(/\s+/);
        const marker = fields[0] === '@revoked' || fields[0] === '@cert-authority' ? fields.shift() : '';
        const [hosts, keyType, base64] = fields;
        if (!hosts || !keyType || !base64) return;
        try {
          // sshpk validates that the entry holds a readable key of its stated type.
          sshpk.parseKey(`${keyType} ${base64}`, 'ssh');
        } catch {
          return;
        }
        entries.push({ line: index + 1, marker: (marker ?? '') as Entry['marker'], hosts, keyType, blob: Buffer.from(base64, 'base64') });
      });
    }
    this.entries = entries;
    return entries;
  }

  /** Compares a presented key with the file. */
  verdict(host: string, port: number, key: Buffer): HostKeyVerdict {
    const name = knownHostsName(host, port);
    const relevant = this.load().filter((e) => hostFieldMatches(e.hosts, name));
    // As in OpenSSH, a `@revoked` line applies to the hosts its patterns cover (`*` for every host).
    const revoked = relevant.find((e) => e.marker === '@revoked' && e.blob.equals(key));
    if (revoked) return { kind: 'revoked', line: revoked.line };
    const plain = relevant.filter((e) => e.marker === '');
    if (plain.some((e) => e.blob.equals(key))) return { kind: 'known' };
    const type = keyTypeOf(key);
    const pinned = plain.find((e) => e.keyType === type) ?? plain[0];
    if (pinned) return { kind: 'changed', line: pinned.line, keyType: pinned.keyType };
    const authority = relevant.find((e) => e.marker === '@cert-authority');
    if (authority) return { kind: 'cert-authority', line: authority.line };
    return { kind: 'unknown' };
  }

  /** Checks a key for ssh2's hostVerifier: null accepts; a DeviceError('hostkey') refuses and says what to do. */
  check(deviceName: string, host: string, port: number, key: Buffer): DeviceError | null {
    const verdict = this.verdict(host, port, key);
    const name = knownHostsName(host, port);
    switch (verdict.kind) {
      case 'known':
        return null;
      case 'unknown':
        if (this.acceptNew) {
          this.record(name, key);
          return null;
        }
        return new DeviceError(
          'hostkey',
          `${deviceName}: the host key of ${name} (${keyTypeOf(key)} ${fingerprintOf(key)}) is not in ${this.file}. ` +
            'Check the fingerprint on the device, then run again with --accept-new-host-keys to record it.',
        );
      case 'changed':
        return new DeviceError(
          'hostkey',
          `${deviceName}: the host key of ${name} has CHANGED: it is now ${keyTypeOf(key)} ${fingerprintOf(key)}, ` +
            `not the ${verdict.keyType} key at ${this.file}:${verdict.line}. This can be an attack. ` +
            `If the device was really re-keyed, check its fingerprint, then run: ssh-keygen -R "${name}" -f ${this.file}`,
        );
      case 'revoked':
        return new DeviceError('hostkey', `${deviceName}: the host key of ${name} is revoked at ${this.file}:${verdict.line}; the connection is refused.`);
      case 'cert-authority':
        return new DeviceError(
          'hostkey',
          `${deviceName}: ${name} is pinned to host certificates of the @cert-authority at ${this.file}:${verdict.line}, which callhome cannot verify; ` +
            `its plain ${keyTypeOf(key)} key ${fingerprintOf(key)} is refused. Add a known_hosts line with the device's own key to trust it.`,
        );
      default:
        return assertNever(verdict, 'host key verdict');
    }
  }

  private record(name: string, key: Buffer): void {
    mkdirSync(dirname(this.file), { recursive: true });
    // A file whose last line has no newline would otherwise glue the new entry onto it.
    const needsNewline = existsSync(this.file) && !/(^|\n)$/.test(readFileSync(this.file, 'utf8'));
    appendFileSync(this.file, `${needsNewline ? '\n' : ''}${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
    this.load().push({ line: -1, marker: '', hosts: name, keyType: keyTypeOf(key), blob: key });
  }
}
