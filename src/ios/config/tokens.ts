/**
 * The one tokenizer of IOS command and configuration lines: words split on blanks, a double-quoted
 * run is one word without its quotes, and (for EXEC lines) the first unquoted `|` starts a pipe.
 */

/** One word of a command line; `start` is its column in the line (the opening quote for quoted words). */
export type Token = {
  readonly text: string;
  readonly start: number;
  readonly quoted: boolean;
};

/** A tokenized line: the command words and, after the first unquoted `|`, the raw pipe text. */
export type TokenizedLine = {
  readonly tokens: readonly Token[];
  /** Column of the `|`, when there is one. */
  readonly pipeStart?: number;
  /** True when the line ends in whitespace (so `?` lists the next words instead of completing). */
  readonly trailingSpace: boolean;
};

/** Tokenizer options. */
export type TokenizeOptions = {
  /** Stop at the first unquoted `|` (an EXEC pipe). Default true; configuration text read back uses false. */
  readonly pipe?: boolean;
};

/** Tokenizes one line. An unterminated quote runs to the end of the line, as IOS accepts it. */
export function tokenize(line: string, options: TokenizeOptions = {}): TokenizedLine {
  const pipe = options.pipe ?? true;
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (ch === ' ' || ch === '\t') {
      i += 1;
      continue;
    }
    if (ch === '|' && pipe) {
      return { tokens, pipeStart: i, trailingSpace: /\s$/.test(line) };
    }
    const start = i;
    if (ch === '"') {
      const close = line.indexOf('"', i + 1);
      const end = close === -1 ? line.length : close;
      tokens.push({ text: line.slice(i + 1, end), start, quoted: true });
      i = close === -1 ? line.length : close + 1;
      continue;
    }
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t' && !(pipe && line[i] === '|')) i += 1;
    tokens.push({ text: line.slice(start, i), start, quoted: false });
  }
  return { tokens, trailingSpace: line.length === 0 || /\s$/.test(line) };
}

/** The words of a configuration line as the interpreter takes them (no pipe: `|` is text there). */
export function configWords(line: string): string[] {
  return tokenize(line, { pipe: false }).tokens.map((t) => t.text);
}

/**
 * The one quoting rule for a value written into a command or the running configuration: quoted
 * when reading it back would split it (blanks, `|`, `!`, `?`) or lose it (empty). A value with a
 * `"` in it is left bare: IOS has no escape, so quotes around it would end early, and such a value
 * never holds a blank (it was typed as one unquoted word).
 */
export function quoteIfNeeded(value: string): string {
  return !value.includes('"') && (/[\s|!?]/.test(value) || value === '') ? `"${value}"` : value;
}
