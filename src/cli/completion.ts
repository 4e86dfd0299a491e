/**
 * `callhome completion`: the bash/zsh script comes from yargs; this adds the inventory's host and group
 * names after `--limit`/`-l` (read from the `--inventory` already typed), on top of yargs' own
 * completion of subcommands, flags and choices.
 */
import type { Arguments } from 'yargs';
import { loadInventory } from '../fleet/inventory.js';

/** Host and group names of an inventory that complete `current` (the last of a comma-separated list). */
export function completeLimit(inventoryFile: string, current: string): string[] {
  let names: string[];
  try {
    const inventory = loadInventory(inventoryFile);
    names = [...inventory.hosts.map((h) => h.name), ...inventory.groups.keys()];
  } catch {
    return [];
  }
  const cut = current.lastIndexOf(',') + 1;
  const before = current.slice(0, cut);
  const word = current.slice(cut);
  const negation = word.startsWith('!') || word.startsWith('&') ? word.slice(0, 1) : '';
  const stem = word.slice(negation.length).toLowerCase();
  return [...new Set(names)].filter((n) => n.toLowerCase().startsWith(stem)).map((n) => `${before}${negation}${n}`);
}

type Done = (completions: string[]) => void;

/** Options whose value is a path: no suggestion, so the shell completes file names. */
const PATH_OPTIONS = new Set(['--inventory', '-i', '--known-hosts', '--config', '-c', '--log-dir', '--retry-file', '--file', '-f', '--token-file', '--db', '--state-dir', '--inventory-out', '--known-hosts-out', '--rules']);

/** yargs' custom completion (its four-argument form, so the default completion stays available). */
export function completeCommandLine(current: string, argv: Arguments, defaultCompletion: () => void, done: Done): void {
  const words = process.argv.slice(process.argv.indexOf('--get-yargs-completions') + 1);
  const previous = words[words.length - 2];
  const inventory = argv['inventory'];
  if ((previous === '--limit' || previous === '-l') && typeof inventory === 'string') {
    done(completeLimit(inventory, current));
    return;
  }
  if (previous !== undefined && PATH_OPTIONS.has(previous)) {
    done([]);
    return;
  }
  defaultCompletion();
}
