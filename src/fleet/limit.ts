/** Ansible `--limit` patterns over an inventory: `group`, `host*`, `~regex`, `!exclude`, `&intersect`. */
import micromatch from 'micromatch';
import { AbortError } from '../errors.js';
import type { Inventory, InventoryHost } from './inventory.js';

function matchOne(inventory: Inventory, pattern: string): Set<string> {
  const names = inventory.hosts.map((h) => h.name);
  if (pattern === 'all' || pattern === '*') return new Set(names);
  if (pattern.startsWith('~')) {
    const regex = new RegExp(pattern.slice(1));
    const hit = new Set(names.filter((n) => regex.test(n)));
    for (const [group, members] of inventory.groups) if (regex.test(group)) members.forEach((m) => hit.add(m));
    return hit;
  }
  const hit = new Set(micromatch(names, pattern));
  for (const [group, members] of inventory.groups) if (micromatch.isMatch(group, pattern)) members.forEach((m) => hit.add(m));
  return hit;
}

/** The hosts a limit selects, in inventory order. No limit selects all; a limit matching nothing is an error. */
export function selectHosts(inventory: Inventory, limit?: string): InventoryHost[] {
  if (!limit || limit.trim() === '') return [...inventory.hosts];
  // Ansible separates patterns with `,` or `:`; `[host]:port`-like input is not a host pattern.
  const patterns = limit.split(/[,:]/).map((p) => p.trim()).filter((p) => p !== '');
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
