/**
 * Ansible `--limit` patterns over an inventory: `group`, `host*`, `~regex`, `!exclude`, `&intersect`,
 * and `@FILE` (one pattern per line, as the retry files of a fleet run hold them). Names are matched
 * without regard to case, against inventory names, the device hostnames in the inventory (`vars.hostname`)
 * and group names: `r1` and `R1` are the same device to a user.
 */
import { readFileSync } from 'node:fs';
import micromatch from 'micromatch';
import { AbortError } from '../errors.js';
import type { Inventory, InventoryHost } from './inventory.js';

/** The names a host answers to: its inventory name and its device hostname. */
function namesOf(host: InventoryHost): string[] {
  const hostname = host.vars['hostname'];
  return typeof hostname === 'string' && hostname !== '' && hostname !== host.name ? [host.name, hostname] : [host.name];
}

function matchOne(inventory: Inventory, pattern: string): Set<string> {
  if (pattern === 'all' || pattern === '*') return new Set(inventory.hosts.map((h) => h.name));
  let test: (name: string) => boolean;
  if (pattern.startsWith('~')) {
    const regex = new RegExp(pattern.slice(1), 'i');
    test = (name) => regex.test(name);
  } else {
    const matcher = micromatch.matcher(pattern, { nocase: true });
    test = (name) => matcher(name);
  }
  const hit = new Set(inventory.hosts.filter((h) => namesOf(h).some(test)).map((h) => h.name));
  for (const [group, members] of inventory.groups) if (test(group)) members.forEach((m) => hit.add(m));
  return hit;
}

/** The patterns of a limit; `@FILE` is replaced by the file's lines (blank lines and `#` comments skipped). */
function patternsOf(limit: string): string[] {
  return limit
    .split(/[,:]/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .flatMap((p) => (p.startsWith('@') ? readLimitFile(p.slice(1)) : [p]));
}

function readLimitFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AbortError(`--limit @${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, 'Give a file with one host or group pattern per line, such as the retry file of a run.');
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new AbortError(`--limit @${file}: the file lists no host.`, 'A retry file is empty when the run it comes from had no failure.');
  return lines;
}

/** The hosts a limit selects, in inventory order. No limit selects all; a limit matching nothing is an error. */
export function selectHosts(inventory: Inventory, limit?: string): InventoryHost[] {
  if (!limit || limit.trim() === '') return [...inventory.hosts];
  // Ansible separates patterns with `,` or `:`; a `@FILE` must therefore not hold either.
  const patterns = limit.trim().startsWith('@') && !limit.includes(',') ? readLimitFile(limit.trim().slice(1)) : patternsOf(limit);
  const positive = patterns.filter((p) => !p.startsWith('!') && !p.startsWith('&'));
  let selected = positive.length === 0 ? new Set(inventory.hosts.map((h) => h.name)) : new Set<string>();
  for (const pattern of positive) matchOne(inventory, pattern).forEach((n) => selected.add(n));
  for (const pattern of patterns.filter((p) => p.startsWith('&'))) {
    const keep = matchOne(inventory, pattern.slice(1));
    selected = new Set([...selected].filter((n) => keep.has(n)));
  }
  for (const pattern of patterns.filter((p) => p.startsWith('!'))) matchOne(inventory, pattern.slice(1)).forEach((n) => selected.delete(n));
  const hosts = inventory.hosts.filter((h) => selected.has(h.name));
  if (hosts.length === 0) {
    throw new AbortError(
      `--limit "${limit}" matches no host in ${inventory.file}.`,
      `Groups there: ${[...inventory.groups.keys()].join(', ') || 'none'}; hosts: ${inventory.hosts.slice(0, 10).map((h) => h.name).join(', ')}${inventory.hosts.length > 10 ? ', …' : ''}.`,
    );
  }
  return hosts;
}
