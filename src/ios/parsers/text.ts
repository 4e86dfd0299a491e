/**
 * Helpers shared by the show-command parsers: line preparation, IOS error detection,
 * `key: value` splitting and the placeholders IOS prints. Every helper is linear in its input,
 * so a fuzzed or hostile line cannot make a parser hang.
 */
import { err, ok, type Result } from '../../util/result.js';

/** Why a show output could not be parsed: the command, the 1-based line (0 = the whole output) and its text. */
export type ParseError = {
  readonly kind: 'parse';
  readonly command: string;
  readonly line: number;
  readonly text: string;
  readonly message: string;
};

/** A line of output a parser did not understand: its 1-based number and its text. */
export type Unparsed = { readonly line: number; readonly text: string };

/**
 * Adds the lines not understood to a parse result, in line order. The key is present only when
 * there is something in it, so output that parses cleanly has the shape it always had.
 */
export function withUnparsed<T extends object>(value: T, skipped: readonly Unparsed[]): T & { readonly unparsed?: readonly Unparsed[] } {
  return skipped.length === 0 ? value : { ...value, unparsed: [...skipped].sort((a, b) => a.line - b.line) };
}

/** The Unparsed entry of a line. */
export function unparsed(line: Line): Unparsed {
  return { line: line.no, text: line.trimmed };
}

/** One non-blank line of output with its 1-based number in the original text. */
export type Line = { readonly no: number; readonly text: string; readonly trimmed: string };

/** Builds a ParseError for a line (or for the whole output when `line` is undefined). */
export function parseError(command: string, line: Line | undefined, message: string): ParseError {
  return { kind: 'parse', command, line: line?.no ?? 0, text: line?.text ?? '', message };
}

/** Formats a ParseError for a terminal: what failed and where. */
export function describeParseError(error: ParseError): string {
  const where = error.line > 0 ? ` at line ${error.line}: ${JSON.stringify(error.text)}` : '';
  return `Cannot parse \`${error.command}\` output${where}: ${error.message}`;
}

// `Device# show call-home` — the echoed command; `Device#` — a trailing prompt.
const PROMPT_ECHO = /^[\w.\-/:()]{1,80}[#>] ?(?:show\b.*)?$/;
// `% Invalid input detected at '^' marker.` / `% Incomplete command.` / `% Ambiguous command: "sh c"`
const IOS_ERROR = /^%\s*(?:Invalid input|Incomplete command|Ambiguous command|Unknown command|Unrecognized command)/i;

/**
 * Splits raw output into non-blank lines, drops the echoed command and trailing prompt, and
 * turns IOS error output and empty output into a ParseError.
 */
export function prepareLines(command: string, output: string): Result<Line[], ParseError> {
  const lines: Line[] = [];
  const raw = output.split('\n');
  for (let i = 0; i < raw.length; i += 1) {
    const text = (raw[i] ?? '').replace(/\r/g, '').trimEnd();
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const line = { no: i + 1, text, trimmed };
    if (IOS_ERROR.test(trimmed)) return err(parseError(command, line, 'the device rejected the command'));
    if (PROMPT_ECHO.test(trimmed)) continue;
    lines.push(line);
  }
  if (lines.length === 0) return err(parseError(command, undefined, 'the output is empty'));
  return ok(lines);
}

/** True for a separator made only of dashes (and spaces between dash runs): `-----`, `------- ------`. */
export function isSeparator(trimmed: string): boolean {
  return /^-[-\s]*$/.test(trimmed);
}

/** Splits on runs of whitespace (the guide's samples lost their column padding). */
export function words(trimmed: string): string[] {
  return trimmed.split(/\s+/).filter((w) => w !== '');
}

/** `key: value` split at the first colon; the key is lower-cased with whitespace collapsed. */
export function keyValue(trimmed: string): { key: string; value: string } | undefined {
  const colon = trimmed.indexOf(':');
  if (colon <= 0) return undefined;
  const key = trimmed.slice(0, colon).trim().replace(/\s+/g, ' ').toLowerCase();
  return { key, value: trimmed.slice(colon + 1).trim() };
}

/** Removes the ` (default)` suffix IOS prints after values left at their default. */
export function stripDefault(value: string): string {
  return value.replace(/\s*\(default\)$/i, '');
}

/** A configured value, or undefined for `Not yet set up` / empty / `n/a`. */
export function setValue(value: string): string | undefined {
  const v = stripDefault(value).trim();
  if (v === '' || /^not yet set up$/i.test(v) || /^n\/a$/i.test(v)) return undefined;
  return v;
}

/** `enable`/`disable` (any case, optional `d` suffix); undefined when neither. */
export function enableFlag(value: string): boolean | undefined {
  const v = stripDefault(value).trim().toLowerCase();
  if (v === 'enable' || v === 'enabled') return true;
  if (v === 'disable' || v === 'disabled') return false;
  return undefined;
}

/** A non-negative decimal integer, or undefined. */
export function integer(value: string): number | undefined {
  if (!/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}
