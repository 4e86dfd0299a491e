/**
 * The gateway's mailbox poller (S84, S88): devices mail a mailbox the gateway reads over IMAP (imapflow).
 * Every 3 s it fetches the folder's mails, queues each (fsynced) and only then deletes it. A mail that
 * is not Call Home is left in place, marked with a keyword so it is not read again. A failed connection
 * is logged and retried every minute. POP3 is not served: imapflow speaks IMAP only.
 */
import { wakeableSleep } from '../util/wakeable-sleep.js';
import { ImapFlow } from 'imapflow';
import type { Refusal } from '../backend/ingest/refusal.js';
import type { Result } from '../util/result.js';
import type { GatewayEvent } from './events.js';

/** Kept on mails the gateway refused, so each poll does not fetch them again. */
export const REFUSED_KEYWORD = '$CallhomeRefused';

export type MailboxAddress = { readonly secure: boolean; readonly host: string; readonly port: number; readonly user: string; readonly folder: string };

/** Reads `imap://user@host:port/FOLDER` (imaps:// for TLS). The password never goes in the URL. */
export function parseMailboxUrl(text: string): MailboxAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--mailbox "${text}" is not a URL; give imap://user@host:port/INBOX.`);
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') throw new Error(`--mailbox must be imap:// or imaps:// (got ${url.protocol}); POP3 is not supported.`);
  if (url.password) throw new Error('Put the mailbox password in $CALLHOME_MAILBOX_PASSWORD or --mailbox-password-file, not in the URL (it would show in ps and logs).');
  if (!url.username) throw new Error('--mailbox needs the account: imap://user@host:port/INBOX.');
  const secure = url.protocol === 'imaps:';
  const folder = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  return { secure, host: url.hostname, port: Number(url.port || (secure ? 993 : 143)), user: decodeURIComponent(url.username), folder };
}

export type MailboxOptions = {
  readonly address: MailboxAddress;
  readonly password: string;
  /** Queues one mail durably; resolves once it is on disk. */
  readonly accept: (body: Buffer) => Promise<Result<number, Refusal>>;
  readonly onEvent: (e: GatewayEvent) => void;
  /** Default 3 s and 60 s (S84). */
  readonly pollMs?: number;
  readonly retryMs?: number;
  /** Extra CA certificates for imaps:// to a self-signed server. */
  readonly ca?: string;
};

export type MailboxStatus = { readonly state: 'connecting' | 'connected' | 'failed' | 'stopped'; readonly lastPoll: string | null; readonly lastError: string | null; readonly queued: number };

export type MailboxPoller = { status(): MailboxStatus; stop(): Promise<void> };

export function startMailboxPoller(o: MailboxOptions): MailboxPoller {
  const pollMs = o.pollMs ?? 3_000;
  const retryMs = o.retryMs ?? 60_000;
  let status: MailboxStatus = { state: 'connecting', lastPoll: null, lastError: null, queued: 0 };
  let stopped = false;
  let client: ImapFlow | null = null;
  const { sleep, wake: wakeSleep } = wakeableSleep();

  /** One poll: every unrefused mail in the folder, queued then deleted. */
  const poll = async (c: ImapFlow): Promise<number> => {
    const lock = await c.getMailboxLock(o.address.folder);
    try {
      const uids = (await c.search({ unKeyword: REFUSED_KEYWORD }, { uid: true })) || [];
      if (uids.length === 0) return 0;
      const mails: { uid: number; source: Buffer }[] = [];
      for await (const m of c.fetch(uids, { uid: true, source: true }, { uid: true })) if (m.source) mails.push({ uid: m.uid, source: m.source });
      const done: number[] = [];
      const refused: number[] = [];
      for (const m of mails) {
        const r = await o.accept(m.source);
        (r.ok ? done : refused).push(m.uid);
      }
      if (refused.length > 0) await c.messageFlagsAdd(refused, [REFUSED_KEYWORD], { uid: true });
      // Only now, with every one of them on disk, do they leave the mailbox.
      if (done.length > 0) await c.messageDelete(done, { uid: true });
      return done.length;
    } finally {
      lock.release();
    }
  };

  const loop = (async () => {
    while (!stopped) {
      const c = new ImapFlow({ host: o.address.host, port: o.address.port, secure: o.address.secure, auth: { user: o.address.user, pass: o.password }, logger: false, ...(o.ca ? { tls: { ca: o.ca } } : {}) });
      client = c;
      // A dropped connection after login surfaces as an 'error' event; the poll then fails and we reconnect.
      c.on('error', () => undefined);
      try {
        await c.connect();
        status = { ...status, state: 'connected', lastError: null };
        o.onEvent({ type: 'mailbox', state: 'connected', detail: `${o.address.user}@${o.address.host}:${o.address.port}/${o.address.folder}` });
        while (!stopped) {
          const n = await poll(c);
          status = { ...status, lastPoll: new Date().toISOString(), queued: status.queued + n };
          if (n > 0) o.onEvent({ type: 'mailbox', state: 'polled', detail: `${n} mail(s) queued and deleted`, queued: n });
          await sleep(pollMs);
        }
      } catch (e) {
        if (stopped) break;
        const reason = e instanceof Error ? e.message : String(e);
        const detail = 'authenticationFailed' in (e as object) && (e as { authenticationFailed?: boolean }).authenticationFailed ? `authentication failed: ${reason}` : reason;
        status = { ...status, state: 'failed', lastError: detail };
        o.onEvent({ type: 'mailbox', state: 'failed', detail: `${detail}; retrying in ${Math.round(retryMs / 1000)} s` });
        c.close();
        await sleep(retryMs);
        continue;
      }
      await c.logout().catch(() => c.close());
    }
    status = { ...status, state: 'stopped' };
  })();

  return {
    status: () => status,
    stop: async () => {
      stopped = true;
      wakeSleep();
      // A poll in progress may finish (its mails are queued, then deleted); a hung one is cut.
      const cut = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
      await Promise.race([loop, cut]);
      client?.close();
      await loop;
    },
  };
}
