/**
 * `--shard i/n`: splits the selected hosts of a run across n machines. A host's shard depends only on
 * its inventory name (a hash, not its position), so every machine computes the same split whatever the
 * order of its inventory file, and adding a host moves no other host.
 */
import { createHash } from 'node:crypto';

/** Shard `index` (1-based) of `count`. */
export type Shard = { readonly index: number; readonly count: number };

/** Reads `i/n`; null with the reason when it is not one. */
export function parseShard(text: string): Shard | string {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return `--shard "${text}" is not i/n (for example --shard 2/4: the second of four shards).`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return `--shard ${index}/${count}: i must be from 1 to n.`;
  return { index, count };
}

/** The 1-based shard of a host name among `count`. Names are compared without regard to case, as --limit does. */
export function shardOf(name: string, count: number): number {
  const digest = createHash('sha256').update(name.toLowerCase()).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The hosts of one shard, in their given order. */
export function selectShard<H extends { readonly name: string }>(hosts: readonly H[], shard: Shard | undefined): H[] {
  if (shard === undefined || shard.count === 1) return [...hosts];
  return hosts.filter((h) => shardOf(h.name, shard.count) === shard.index);
}
