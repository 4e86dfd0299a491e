/** A real SMTP server on loopback that keeps every mail's envelope and raw text, for header checks. */
import { SMTPServer } from 'smtp-server';

export type SunkMail = { readonly mailFrom: string; readonly rcptTo: readonly string[]; readonly raw: string; readonly headers: readonly string[] };

export type MailSink = { readonly port: number; readonly mails: SunkMail[]; close(): Promise<void> };

/** The header lines of a raw message, with folded continuation lines joined to their header. */
export function headerLines(raw: string): string[] {
  const head = raw.split(/\r\n\r\n/)[0] ?? '';
  return head.split('\r\n').reduce<string[]>((acc, line) => {
    if (/^[ \t]/.test(line) && acc.length > 0) acc[acc.length - 1] += ` ${line.trim()}`;
    else acc.push(line);
    return acc;
  }, []);
}

/** Starts the sink on a free port. */
export async function startMailSink(): Promise<MailSink> {
  const mails: SunkMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom;
        mails.push({ mailFrom: from === false ? '' : from.address, rcptTo: session.envelope.rcptTo.map((r) => r.address), raw, headers: headerLines(raw) });
        cb();
      });
    },
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)));
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
