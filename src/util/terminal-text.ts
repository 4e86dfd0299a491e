/**
 * Text from devices and messages is data, not terminal commands: before a person's terminal shows
 * it, control characters (C0, DEL, C1, and the bidirectional overrides that reorder what is seen)
 * are written as visible escapes. Machine output (--json) keeps the text as it came.
 */

// C0 except \n (kept or escaped by the caller's choice), DEL, C1, bidi embeddings/overrides/isolates.
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\r': '\\r', '\u001B': '\\e' };

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line for a table cell: every control character escaped, newlines included. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, escapeOne).replace(/\n/g, '\\n');
}

/** Several lines (message text, attachments): newlines kept, tabs as spaces, every other control character escaped. */
export function terminalSafeLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\t/g, '    ').replace(CONTROL, escapeOne);
}
