/** Matches tokens against a command tree the way the IOS parser does (unique prefixes, typed arguments). */
import { childrenOf, Values, visible, type CommandForm, type CommandNode, type Handler } from './grammar.js';
import type { Train } from '../../domain/callhome.js';
import type { Token } from '../../ios/config/tokens.js';

/** Outcome of matching one token against the candidate nodes. */
export type TokenMatch =
  | { readonly kind: 'node'; readonly node: CommandNode; readonly value?: string | number }
  | { readonly kind: 'ambiguous' }
  /** `caret` is the column IOS marks: where the token stops matching any keyword, else its start. */
  | { readonly kind: 'none'; readonly caret: number };

/** Outcome of walking a whole line. */
export type Walk =
  | { readonly kind: 'ok'; readonly last: CommandNode; readonly handler: Handler; readonly values: Values; readonly form: CommandForm; readonly pipe: boolean }
  | { readonly kind: 'empty' }
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'invalid'; readonly caret: number; readonly tokenIndex: number };

/** Matches one token; keywords (case-insensitive unique prefix) win over arguments. */
export function matchToken(candidates: readonly CommandNode[], token: Token): TokenMatch {
  const lower = token.text.toLowerCase();
  if (!token.quoted && lower.length > 0) {
    const keywords = candidates.filter((n) => n.kind === 'keyword' && n.word.toLowerCase().startsWith(lower));
    const exact = keywords.find((n) => n.kind === 'keyword' && n.word.toLowerCase() === lower);
    if (exact) return { kind: 'node', node: exact };
    const first = keywords[0];
    if (keywords.length === 1 && first) return { kind: 'node', node: first };
    if (keywords.length > 1) return { kind: 'ambiguous' };
  }
  for (const node of candidates) {
    if (node.kind !== 'arg') continue;
    const check = node.type.check(token);
    if (check.ok) return { kind: 'node', node, value: check.value };
  }
  return { kind: 'none', caret: caretColumn(candidates, token) };
}

function caretColumn(candidates: readonly CommandNode[], token: Token): number {
  if (token.quoted || candidates.some((n) => n.kind === 'arg')) return token.start;
  const lower = token.text.toLowerCase();
  let best = 0;
  for (const n of candidates) {
    if (n.kind !== 'keyword') continue;
    const w = n.word.toLowerCase();
    let i = 0;
    while (i < lower.length && i < w.length && lower[i] === w[i]) i += 1;
    best = Math.max(best, i);
  }
  return token.start + Math.min(best, Math.max(0, token.text.length - 1));
}

/** Walks the tokens from the roots; the line runs the handler of the node it ends on. */
export function walk(roots: readonly CommandNode[], tokens: readonly Token[], initialForm: CommandForm = 'set', train?: Train): Walk {
  if (tokens.length === 0) return { kind: 'empty' };
  const values = new Values();
  let candidates = visible(roots, train);
  let form = initialForm;
  let last: CommandNode | undefined;
  let pipe = false;
  for (const [index, token] of tokens.entries()) {
    const m = matchToken(candidates, token);
    if (m.kind === 'ambiguous') return { kind: 'ambiguous' };
    if (m.kind === 'none') return { kind: 'invalid', caret: m.caret, tokenIndex: index };
    const node = m.node;
    if (node.form) form = node.form;
    if (node.kind === 'arg' && m.value !== undefined) values.set(node.name, m.value);
    if (node.kind === 'keyword' && node.name) values.set(node.name, node.word);
    if (node.pipe) pipe = true;
    last = node;
    candidates = visible(childrenOf(node), train);
  }
  if (!last) return { kind: 'empty' };
  const handler = form === 'set' ? last.run : last.runNo;
  if (!handler) return { kind: 'incomplete' };
  return { kind: 'ok', last, handler, values, form, pipe };
}

/** Where `?` help stands after walking the complete tokens of a partial line. */
export type HelpWalk =
  | { readonly kind: 'at'; readonly candidates: readonly CommandNode[]; readonly last?: CommandNode; readonly form: CommandForm; readonly pipe: boolean }
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'invalid'; readonly caret: number; readonly tokenIndex: number };

/** Walks tokens for help, without requiring the line to be complete. */
export function walkForHelp(roots: readonly CommandNode[], tokens: readonly Token[], train?: Train): HelpWalk {
  let candidates = visible(roots, train);
  let form: CommandForm = 'set';
  let last: CommandNode | undefined;
  let pipe = false;
  for (const [index, token] of tokens.entries()) {
    const m = matchToken(candidates, token);
    if (m.kind === 'ambiguous') return { kind: 'ambiguous' };
    if (m.kind === 'none') return { kind: 'invalid', caret: m.caret, tokenIndex: index };
    if (m.node.form) form = m.node.form;
    if (m.node.pipe) pipe = true;
    last = m.node;
    candidates = visible(childrenOf(m.node), train);
  }
  return last ? { kind: 'at', candidates, last, form, pipe } : { kind: 'at', candidates, form, pipe };
}
