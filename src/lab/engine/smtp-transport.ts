/**
 * SMTP delivery and the mail-server probe (ios-call-home.md §7.1, C79, C58). Servers are tried in
 * ascending priority number; each is tried `attemptsPerServer` times, and the whole sequence is
 * repeated `rounds` times before the message counts as failed (3 × and 2 rounds, as the service
 * overview describes). STARTTLS is used only for IOS XE's `mail-server … secure tls`. The socket is
 * bound to the address `source-ip-address` or `source-interface` names, inside the `vrf`; when
 * they name something the device does not have, the mail fails as on IOS.
 */
import nodemailer from 'nodemailer';
import type { CallHomeConfig, MailServer } from '../../domain/callhome.js';

/** Interfaces a lab device has (both trains' names) and their address: every lab device lives on loopback. */
const LAB_INTERFACE = /^(?:GigabitEthernet(?:1|0\/0)|Loopback\d{1,5}|Vlan1)$/i;
/** VRFs a lab device has (the IOS XE management VRF names). */
const LAB_VRFS: readonly string[] = ['Mgmt-intf', 'Mgmt-vrf'];

/** Where Call Home's SMTP connections come from, or why they cannot be made. */
export type SmtpSource = { readonly ok: true; readonly localAddress?: string } | { readonly ok: false; readonly reason: string };

/** The source of SMTP connections from `vrf`, `source-ip-address` and `source-interface`. */
export function smtpSource(c: Pick<CallHomeConfig, 'vrf' | 'sourceIpAddress' | 'sourceInterface'>): SmtpSource {
  if (c.vrf !== undefined && !LAB_VRFS.some((v) => v.toLowerCase() === c.vrf?.toLowerCase())) {
    return { ok: false, reason: `VRF ${c.vrf} does not exist` };
  }
  // The address is used as given: binding to one the host does not have fails (EADDRNOTAVAIL), as on IOS.
  if (c.sourceIpAddress !== undefined) return { ok: true, localAddress: c.sourceIpAddress };
  if (c.sourceInterface !== undefined) {
    if (!LAB_INTERFACE.test(c.sourceInterface)) return { ok: false, reason: `source interface ${c.sourceInterface} does not exist` };
    return { ok: true, localAddress: '127.0.0.1' };
  }
  return { ok: true };
}

/** One e-mail as Call Home sends it. */
export type OutgoingMail = {
  readonly from: string;
  readonly replyTo?: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
};

export type SmtpOptions = {
  /** TCP port of every mail server (IOS always uses 25; the lab's is configurable). */
  readonly port: number;
  /** EHLO name: the device hostname. */
  readonly clientName: string;
  readonly timeoutMs: number;
  readonly attemptsPerServer: number;
  readonly rounds: number;
  /** Stops further attempts (engine shutdown). */
  readonly signal?: AbortSignal;
  /** Local address to bind (from `source-ip-address` / `source-interface`). */
  readonly localAddress?: string;
};

export type SmtpResult = { readonly ok: true; readonly server: string } | { readonly ok: false; readonly reason: string };

/** Mail servers in the order Call Home tries them. */
export function byPriority(servers: readonly MailServer[]): MailServer[] {
  return [...servers].sort((a, b) => a.priority - b.priority);
}

function transportFor(server: Pick<MailServer, 'host' | 'secure'>, options: { port: number; clientName: string; timeoutMs: number; localAddress?: string | undefined }) {
  const tls = server.secure === 'tls';
  return nodemailer.createTransport({
    host: server.host,
    port: options.port,
    secure: false,
    ignoreTLS: !tls,
    requireTLS: tls,
    ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
    name: options.clientName,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
}

/** Device configuration goes into headers: an address is one bare address, a subject one line. */
const NOT_ONE_ADDRESS = /[\s,;<>"()]|^$/;

/** Sends `mail` through the first server that takes it; never throws. */
export async function sendMail(servers: readonly MailServer[], mail: OutgoingMail, options: SmtpOptions): Promise<SmtpResult> {
  if (servers.length === 0) return { ok: false, reason: 'no mail server configured' };
  const bad = [mail.from, ...(mail.replyTo === undefined ? [] : [mail.replyTo]), ...mail.to].find((a) => NOT_ONE_ADDRESS.test(a));
  if (bad !== undefined) return { ok: false, reason: `${JSON.stringify(bad)} is not one e-mail address` };
  const subject = mail.subject.replace(/[\r\n]+/g, ' ');
  let lastReason = 'not attempted';
  for (let round = 0; round < options.rounds; round += 1) {
    for (const server of byPriority(servers)) {
      for (let attempt = 0; attempt < options.attemptsPerServer; attempt += 1) {
        if (options.signal?.aborted) return { ok: false, reason: 'Call Home stopped' };
        const transport = transportFor(server, options);
        try {
          await transport.sendMail({
            from: mail.from,
            replyTo: mail.replyTo,
            to: [...mail.to],
            subject,
            text: mail.text,
          });
          return { ok: true, server: server.host };
        } catch (error) {
          lastReason = `${server.host}: ${error instanceof Error ? error.message : String(error)}`;
        } finally {
          transport.close();
        }
      }
    }
  }
  return { ok: false, reason: lastReason };
}

/** Connects, says EHLO and QUIT; true when the server answered. */
export async function probeMailServer(
  server: Pick<MailServer, 'host' | 'secure'>,
  options: { port: number; clientName: string; timeoutMs: number; localAddress?: string | undefined },
): Promise<boolean> {
  const transport = transportFor(server, options);
  try {
    return await transport.verify();
  } catch {
    return false;
  } finally {
    transport.close();
  }
}
