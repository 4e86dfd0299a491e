/** `?` context help as IOS prints it: the next words with help text, or completions of a partial word. */
import type { CommandForm, CommandNode } from './grammar.js';

/** `show ?`: one line per visible choice, arguments first, keywords sorted, then `|` and `<cr>`. */
export function listChoices(candidates: readonly CommandNode[], canEnd: boolean, pipe: boolean): string {
  const rows: [string, string][] = [];
  const seen = new Set<string>();
  for (const n of candidates) {
    if (n.hidden || n.kind !== 'arg') continue;
    if (seen.has(n.type.label)) continue;
    seen.add(n.type.label);
    rows.push([n.type.label, n.help]);
  }
  const keywords = candidates
    .filter((n) => !n.hidden && n.kind === 'keyword')
    .map((n) => [n.kind === 'keyword' ? n.word : '', n.help] as [string, string])
    .sort((a, b) => a[0].localeCompare(b[0]));
  rows.push(...keywords);
  if (pipe && canEnd) rows.push(['|', 'Output modifiers']);
  if (canEnd) rows.push(['<cr>', '<cr>']);
  const width = Math.max(...rows.map((r) => r[0].length), 0);
  return rows.map(([label, help]) => `  ${label.padEnd(width)}  ${help}`.trimEnd() + '\n').join('') + '\n';
}

/** `sh?`: the keywords that complete the partial word, on one line, wrapped at the terminal width. */
export function listCompletions(candidates: readonly CommandNode[], partial: string, width: number): string | null {
  const lower = partial.toLowerCase();
  const words = candidates
    .filter((n) => !n.hidden && n.kind === 'keyword' && n.word.toLowerCase().startsWith(lower))
    .map((n) => (n.kind === 'keyword' ? n.word : ''))
    .sort();
  for (const n of candidates) {
    if (n.hidden || n.kind !== 'arg') continue;
    if (n.type.check({ text: partial, start: 0, quoted: false }).ok && !words.includes(n.type.label)) words.unshift(n.type.label);
  }
  if (words.length === 0) return null;
  const limit = width > 0 ? width : 80;
  const lines: string[] = [];
  let current = '';
  for (const w of words) {
    const cell = `${w}  `;
    if (current.length > 0 && current.length + cell.length > limit) {
      lines.push(current.trimEnd());
      current = '';
    }
    current += cell;
  }
  lines.push(current.trimEnd());
  return lines.join('\n') + '\n\n';
}

/** True when the node ends a command in the given form. */
export function canEnd(node: CommandNode | undefined, form: CommandForm): boolean {
  if (!node) return false;
  return form === 'set' ? node.run !== undefined : node.runNo !== undefined;
}
