/** The IOS parser's error texts, exactly as IOS prints them (each followed by a blank line). */

/** `% Invalid input detected at '^' marker.` with the caret under `column` (prompt included). */
export function invalidInput(column: number): string {
  return `${' '.repeat(column)}^\n% Invalid input detected at '^' marker.\n\n`;
}

/** `% Incomplete command.` */
export const INCOMPLETE = '% Incomplete command.\n\n';

/** `% Ambiguous command:  "LINE"` (IOS puts two spaces after the colon). */
export function ambiguous(line: string): string {
  return `% Ambiguous command:  "${line.trim()}"\n`;
}

/** `?` after an unknown first word. */
export const UNRECOGNIZED = '% Unrecognized command\n';

/** An unknown single word in EXEC mode, which IOS tries as a host name to telnet to. */
export function unknownExecWord(word: string): string {
  return `Translating "${word}"\n% Unknown command or computer name, or unable to find computer address\n`;
}
