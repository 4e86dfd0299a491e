/** `show call-home mail-server status` (ios-call-home.md §3.5.4, docs/cli.md `mail-status` data). */
import { err, ok, type Result } from '../../util/result.js';
import { MAIL_SERVER_LINE } from '../layout/call-home.js';
import { parseError, prepareLines, unparsed, withUnparsed, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show call-home mail-server status';

/** One probed mail server. */
export type MailServerProbe = {
  readonly address: string;
  readonly priority: number;
  readonly available: boolean;
  /** IOS XE's `Secure: none|tls`; absent on classic IOS. */
  readonly secure?: 'none' | 'tls';
};

/** `show call-home mail-server status` as data. */
export type ShowCallHomeMailServerStatus = { readonly servers: readonly MailServerProbe[]; readonly unparsed?: readonly Unparsed[] };

/** Parses the probe results (`Mail-server[1]: Address: A Priority: 1 [Secure: none] [Available]`); the `Please wait…` line is known chatter. */
export function parseShowCallHomeMailServerStatus(output: string): Result<ShowCallHomeMailServerStatus, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  const servers: MailServerProbe[] = [];
  const skipped: Unparsed[] = [];
  for (const line of prepared.value) {
    const m = MAIL_SERVER_LINE.exec(line.trimmed);
    if (m?.[5] !== undefined) {
      const secure = m[4]?.toLowerCase();
      servers.push({
        address: m[2] ?? '',
        priority: Number(m[3]),
        available: !/^not/i.test(m[5]),
        ...(secure === 'none' || secure === 'tls' ? { secure } : {}),
      });
      continue;
    }
    if (/^please wait\b/i.test(line.trimmed) || /^no mail.?server/i.test(line.trimmed)) continue;
    skipped.push(unparsed(line));
  }
  // A device with no mail server configured prints only the wait line (or says so in newer releases).
  const noServers = prepared.value.some((l) => /no mail.?server|^please wait/i.test(l.trimmed));
  if (servers.length === 0 && !noServers) {
    return err(parseError(COMMAND, prepared.value[0], 'no `Mail-server[N]` lines'));
  }
  return ok(withUnparsed({ servers }, skipped));
}
