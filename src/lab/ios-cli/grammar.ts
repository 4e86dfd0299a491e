/**
 * The declarative command tree: keyword and typed-argument nodes with IOS help text, and the
 * handler types that run when a line ends on a node.
 */
import { BugError } from '../../errors.js';
import type { CliContext, CliOutcome } from './types.js';
import type { Token } from '../../ios/config/tokens.js';
import type { Train } from '../../domain/callhome.js';

/** Which form a configuration line has: plain, `no ...` or `default ...`. */
export type CommandForm = 'set' | 'no' | 'default';

/** A handler runs when the line ends on its node. */
export type Handler = (ctx: CliContext) => CliOutcome | Promise<CliOutcome>;

/** Result of checking a token against an argument type. */
export type ArgCheck = { readonly ok: true; readonly value: string | number } | { readonly ok: false };

/** An argument type: how it is shown in `?` help and what it accepts. */
export type ArgType = {
  /** Help label, e.g. `WORD`, `LINE`, `<1-100>`, `A.B.C.D`, `hh:mm`. */
  readonly label: string;
  check(token: Token): ArgCheck;
};

type NodeBase = {
  readonly help: string;
  /** Children, possibly lazy so trees can refer to each other (`do`, `no`). */
  readonly children?: readonly CommandNode[] | (() => readonly CommandNode[]);
  /** Runs the plain form ending here. */
  readonly run?: Handler;
  /** Runs the `no`/`default` form ending here. */
  readonly runNo?: Handler;
  /** Output may be filtered with `| include` etc. */
  readonly pipe?: boolean;
  /** Matched but never listed by `?` (the lab-only `lab raise`). */
  readonly hidden?: boolean;
  /** Passing this node switches the form (`no`, `default`, `do`). */
  readonly form?: CommandForm;
  /** Only this software train has the command (IOS XE-only commands); absent: every train. */
  readonly train?: Train;
};

/** A keyword node; `name` stores the full keyword under that value name when matched. */
export type KeywordNode = NodeBase & { readonly kind: 'keyword'; readonly word: string; readonly name?: string };
/** An argument node; its value is stored under `name`. */
export type ArgNode = NodeBase & { readonly kind: 'arg'; readonly type: ArgType; readonly name: string };
export type CommandNode = KeywordNode | ArgNode;

type NodeOptions = Omit<NodeBase, 'help'>;

/** A keyword node. */
export function kw(word: string, help: string, options: NodeOptions & { readonly name?: string } = {}): KeywordNode {
  return { kind: 'keyword', word, help, ...options };
}

/** An argument node. */
export function arg(name: string, type: ArgType, help: string, options: NodeOptions = {}): ArgNode {
  return { kind: 'arg', name, type, help, ...options };
}

/** The children of a node, resolving lazy lists. */
export function childrenOf(node: { readonly children?: CommandNode['children'] }): readonly CommandNode[] {
  const c = node.children;
  if (c === undefined) return [];
  return typeof c === 'function' ? c() : c;
}

/** The nodes a device of `train` has (all of them when the train is not given). */
export function visible(nodes: readonly CommandNode[], train: Train | undefined): readonly CommandNode[] {
  return train === undefined ? nodes : nodes.filter((n) => n.train === undefined || n.train === train);
}

/**
 * Optional trailing parameters in a fixed order, e.g. `[profile NAME] [ccoid ID]`: each step may
 * be given or skipped; every point can end the command with `run`.
 */
export type OptionalStep = (rest: readonly CommandNode[], run: Handler) => CommandNode;

/** Builds the tail for optional steps in order. */
export function optionalTail(steps: readonly OptionalStep[], run: Handler): readonly CommandNode[] {
  const out: CommandNode[] = [];
  steps.forEach((step, i) => {
    out.push(step(optionalTail(steps.slice(i + 1), run), run));
  });
  return out;
}

/** A parsed line's values by name. */
export class Values {
  private readonly map = new Map<string, string | number>();
  set(name: string, value: string | number): void {
    this.map.set(name, value);
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  /** A string value, or undefined when not given. */
  opt(name: string): string | undefined {
    const v = this.map.get(name);
    return v === undefined ? undefined : String(v);
  }
  /** A required string value (the grammar guarantees presence where handlers call this). */
  str(name: string): string {
    const v = this.map.get(name);
    if (v === undefined) throw new BugError(`CLI grammar: value ${name} is missing`);
    return String(v);
  }
  /** A required numeric value. */
  num(name: string): number {
    const v = this.map.get(name);
    if (typeof v !== 'number') throw new BugError(`CLI grammar: number ${name} is missing`);
    return v;
  }
  /** A required keyword value that the grammar restricts to `choices`. */
  pick<T extends string>(name: string, choices: readonly T[]): T {
    const v = this.str(name);
    const found = choices.find((c) => c === v);
    if (found === undefined) throw new BugError(`CLI grammar: ${name} "${v}" is not one of ${choices.join(', ')}`);
    return found;
  }
}
