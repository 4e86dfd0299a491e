/**
 * Device and message text shown to a person never reaches the terminal as control codes: C0 and C1
 * controls (ESC, BEL, backspace, CR, the CSI introducer …) and DEL print as visible escapes. Tabs and
 * newlines stay, so multi-line output keeps its shape. Machine output (--json) is never passed here.
 */

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code === 0x1b) return '\\e';
  if (code === 0x0d) return '\\r';
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/** The text with every control character but tab and newline shown as an escape (`\e`, `\r`, `\x07`). */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, escapeOne);
}
