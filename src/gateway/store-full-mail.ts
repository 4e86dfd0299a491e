/**
 * The store-full e-mail (S85, off by default): when the queue first refuses a message for lack of room,
 * the gateway's administrators get one mail through the site's mail server; another only after
 * something has left the store and it filled up again, and at most one an hour.
 */
import { hostname } from 'node:os';
import nodemailer from 'nodemailer';

/** After a failed attempt, the next refusal tries again no sooner than this. */
const RETRY_MS = 60_000;
/** A store on the edge (one out, one in, full again) mails no more often than this. */
const MAIL_EVERY_MS = 3600_000;

export type StoreFullMailOptions = {
  /** The gateway's administrators. */
  readonly to: readonly string[];
  /** The site's mail server (default 127.0.0.1:25); plain SMTP, STARTTLS when it offers it. */
  readonly server: { readonly host: string; readonly port: number };
  /** Default `callhome-gateway@<host name>`. */
  readonly from?: string;
};

export type StoreFullMailer = {
  /** The store refused a message: mail the administrators unless this episode was already mailed. */
  full(info: { readonly gateway: string; readonly bytes: number; readonly maxBytes: number; readonly queued: number; readonly held: number; readonly reason: string }): Promise<{ sent: boolean; detail: string } | null>;
  /** The store has room again: the next full episode is mailed. */
  drained(): void;
};

export function storeFullMailer(o: StoreFullMailOptions): StoreFullMailer {
  const transport = nodemailer.createTransport({ host: o.server.host, port: o.server.port, secure: false, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  const from = o.from ?? `callhome-gateway@${hostname()}`;
  let mailed = false;
  let failedAt = 0;
  let sentAt = 0;
  return {
    async full(info) {
      const now = Date.now();
      if (mailed || now - failedAt < RETRY_MS || now - sentAt < MAIL_EVERY_MS) return null;
      mailed = true;
      const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
      try {
        const r = await transport.sendMail({
          from,
          to: [...o.to],
          subject: `Transport Gateway ${info.gateway}: message store full`,
          text: [
            `The message store of Transport Gateway ${info.gateway} is full: ${mib(info.bytes)} of ${mib(info.maxBytes)}.`,
            `It refuses new messages (devices get HTTP 503 or SMTP 452 and retry) until there is room again.`,
            '',
            `Waiting: ${info.queued} queued for forwarding, ${info.held} held for manual action.`,
            `Last refusal: ${info.reason}`,
            '',
            'Check that the gateway reaches the service (callhome gateway test-connection), release or drop held',
            'messages (callhome gateway held | send | drop), or raise --max-store-mib.',
          ].join('\n'),
        });
        sentAt = Date.now();
        return { sent: true, detail: r.response };
      } catch (e) {
        // Not mailed: a refusal a minute later tries again.
        mailed = false;
        failedAt = Date.now();
        return { sent: false, detail: e instanceof Error ? e.message : String(e) };
      }
    },
    drained() {
      mailed = false;
    },
  };
}
