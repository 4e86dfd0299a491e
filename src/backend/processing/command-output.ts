/**
 * Reading the command output a message carries: each attachment is a raw capture of an exec session
 * (the command echoed, its output, the device prompt; ios-call-home.md §6.5), named by the command.
 */
import type { Attachment } from '../../domain/message.js';

/** One command's output without the echo and the prompt, or why it cannot be read. */
export type CommandOutput = { readonly ok: true; readonly command: string; readonly text: string } | { readonly ok: false; readonly command: string; readonly reason: string };

/** IOS's answers when a command did not run: the output is then an error, not data. */
const IOS_ERROR = /^[ \t]*(% (?:Invalid input|Incomplete command|Ambiguous command|Unknown command|Permission denied|Command authorization failed)[^\n]*)/m;

/** The attachment whose command name matches `name` (first match), or undefined. */
export function findAttachment(attachments: readonly Attachment[], name: RegExp): Attachment | undefined {
  return attachments.find((a) => name.test(a.name.trim()));
}

/** The output of one attachment: the echoed command (first line) and the trailing prompt are dropped. */
export function outputOf(a: Attachment): CommandOutput {
  const lines = a.data.replace(/\r\n/g, '\n').split('\n');
  // The capture starts with the command, bare (the guide's sample) or after the prompt (`R1#show version`).
  const first = lines[0]?.trim() ?? '';
  const name = a.name.trim();
  if (first === name || first.endsWith(`#${name}`) || first.endsWith(`>${name}`)) lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  // The prompt a capture ends with: a host name then # or > (no spaces).
  if (/^[A-Za-z0-9._:/-]{1,63}[#>]$/.test((lines[lines.length - 1] ?? '').trim())) lines.pop();
  const text = lines.join('\n');
  const error = IOS_ERROR.exec(text);
  if (error) return { ok: false, command: a.name, reason: `the device answered "${(error[1] ?? '').trim()}"` };
  if (text.trim() === '') return { ok: false, command: a.name, reason: 'the output is empty' };
  return { ok: true, command: a.name, text };
}

/** The readable output of the first attachment matching `name`; undefined when the message has none. */
export function readCommand(attachments: readonly Attachment[], name: RegExp): CommandOutput | undefined {
  const a = findAttachment(attachments, name);
  return a ? outputOf(a) : undefined;
}
