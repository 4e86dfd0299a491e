/** `show call-home mail-server status` (ios-call-home.md §3.5.4, docs/cli.md `mail-status` data). */
import { err, ok, type Result } from '../../util/result.js';
import { parseError, prepareLines, type ParseError } from './text.js';

const COMMAND = 'show call-home mail-server status';

/** One probed mail server. */
export type MailServerProbe = { readonly address: string; readonly priority: number; readonly available: boolean };

/** `show call-home mail-server status` as data. */
export type ShowCallHomeMailServerStatus = { readonly servers: readonly MailServerProbe[] };

// `Mail-server[1]: Address: 192.168.2.1 Priority: 1 [Not Available]`
const SERVER = /^mail-server\s*\[\d{1,3}\]\s*:\s*address\s*:\s*(\S+)\s+priority\s*:\s*(\d{1,3})\s*\[\s*(not\s+available|available)\s*\]$/i;

/** Parses the probe results; the `Please wait…` line and unknown lines of newer releases are skipped. */
export function parseShowCallHomeMailServerStatus(output: string): Result<ShowCallHomeMailServerStatus, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  const servers: MailServerProbe[] = [];
  for (const line of prepared.value) {
    const m = SERVER.exec(line.trimmed);
    if (m) {
      servers.push({ address: m[1] ?? '', priority: Number(m[2]), available: !/^not/i.test(m[3] ?? '') });
      continue;
    }
    // A mail-server line we cannot read is an error; anything else (`Please wait. …`) is chatter.
    if (/^mail-server\s*\[/i.test(line.trimmed)) {
      return err(parseError(COMMAND, line, 'expected `Mail-server[N]: Address: <host> Priority: <n> [Available|Not Available]`'));
    }
  }
  // A device with no mail server configured prints only the wait line (or says so in newer releases).
  const noServers = prepared.value.some((l) => /no mail.?server|^please wait/i.test(l.trimmed));
  if (servers.length === 0 && !noServers) {
    return err(parseError(COMMAND, prepared.value[0], 'no `Mail-server[N]` lines'));
  }
  return ok({ servers });
}
