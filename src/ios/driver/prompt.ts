/** IOS prompt and error-line patterns, as netmiko matches them. */

/** Any IOS prompt on its own line: `R1>`, `R1#`, `R1(config)#`, `R1(cfg-call-home-profile)#`. */
export const ANY_PROMPT = /^[\w.\-@/:]{1,63}(\(cfg[\w-]*\)|\(config[\w-]*\)|\(ca-trustpoint\))?[>#]\s*$/;

/** IOS shortens long hostnames in configuration prompts; this many characters always remain. */
const CONFIG_PROMPT_HOSTNAME_CHARS = 20;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The prompt of one device, anchored on its hostname so that output lines do not pass for a prompt. */
export function hostPrompt(hostname: string): RegExp {
  const stem = escapeRegExp(hostname.slice(0, CONFIG_PROMPT_HOSTNAME_CHARS));
  return new RegExp(`^${stem}[\\w.\\-@/:]*(\\(cfg[\\w-]*\\)|\\(config[\\w-]*\\)|\\(ca-trustpoint\\))?[>#]\\s*$`);
}

/** Where a prompt says the session is. */
export type PromptMode = 'user' | 'privileged' | 'config';

/** The hostname and mode a prompt line shows, or null when the line is no prompt. */
export function readPrompt(line: string): { readonly hostname: string; readonly mode: PromptMode } | null {
  const match = /^([\w.\-@/:]{1,63}?)(\((?:cfg|config|ca-)[\w-]*\))?([>#])\s*$/.exec(line);
  if (!match?.[1] || !match[3]) return null;
  const mode: PromptMode = match[2] ? 'config' : match[3] === '>' ? 'user' : 'privileged';
  return { hostname: match[1], mode };
}

// `% Invalid input detected at '^' marker.`, `% Incomplete command.`, `% Ambiguous command: "sh"`,
// plus the range/format refusals IOS and the lab print (`% Bad ...`, `% Error ...`, `% Unknown command`).
const ERROR_LINE = /^\s*%\s*(Invalid input|Incomplete command|Ambiguous command|Unknown command|Unrecognized|Bad |Error|Invalid)/i;

/** True for a `%` error line. */
export function isErrorLine(line: string): boolean {
  return ERROR_LINE.test(line);
}

/** The first `%` error line of a command's output, or null. */
export function findErrorLine(output: string): string | null {
  for (const line of output.split('\n')) if (ERROR_LINE.test(line)) return line.trim();
  return null;
}

/** Removes terminal escape sequences and carriage returns so patterns see plain lines. */
export function cleanTerminalText(text: string): string {
   
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r+\n/g, '\n').replace(/\r/g, '');
}
