/**
 * Delivery of one rendered message over one transport, with the lab's bounded retry policy
 * (ios-call-home.md §7.4 GAP proposal): HTTP gets one attempt plus `retryDelaysMs.length`
 * retries with back-off; SMTP tries each mail server in priority order (see smtp-transport.ts).
 * Every final failure is logged as IOS does.
 */
import type { CallHomeConfig } from '../../domain/callhome.js';
import { postXml, type HttpPostResult } from './http-transport.js';
import { sendMail, smtpSource, type OutgoingMail } from './smtp-transport.js';

/** Tunables of delivery; tests shorten the delays. */
export type DeliveryPolicy = {
  readonly httpTimeoutMs: number;
  /** Pause before each HTTP retry; its length is the number of retries. */
  readonly httpRetryDelaysMs: readonly number[];
  readonly smtpTimeoutMs: number;
  readonly smtpAttemptsPerServer: number;
  readonly smtpRounds: number;
};

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  httpTimeoutMs: 10_000,
  httpRetryDelaysMs: [1_000, 4_000],
  smtpTimeoutMs: 10_000,
  smtpAttemptsPerServer: 3,
  smtpRounds: 2,
};

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** POSTs with retries; returns the last result. */
export async function deliverHttp(
  url: string,
  body: string,
  config: CallHomeConfig,
  policy: DeliveryPolicy,
  signal: AbortSignal,
): Promise<HttpPostResult> {
  let result: HttpPostResult = { ok: false, code: 0, reason: 'not attempted' };
  for (let attempt = 0; attempt <= policy.httpRetryDelaysMs.length; attempt += 1) {
    if (attempt > 0) await pause(policy.httpRetryDelaysMs[attempt - 1] ?? 0, signal);
    if (signal.aborted) return { ok: false, code: 0, reason: 'Call Home stopped' };
    result = await postXml(url, body, {
      ...(config.httpProxy ? { proxy: config.httpProxy } : {}),
      timeoutMs: policy.httpTimeoutMs,
      signal,
    });
    // A 4xx will not change on retry.
    if (result.ok || (result.code >= 400 && result.code < 500)) return result;
  }
  return result;
}

/** Sends through the configured mail servers in priority order. */
export async function deliverEmail(
  mail: OutgoingMail,
  config: CallHomeConfig,
  smtpPort: number,
  clientName: string,
  policy: DeliveryPolicy,
  signal: AbortSignal,
) {
  const source = smtpSource(config);
  if (!source.ok) return { ok: false as const, reason: source.reason };
  return sendMail(config.mailServers, mail, {
    ...(source.localAddress !== undefined ? { localAddress: source.localAddress } : {}),
    port: smtpPort,
    clientName: clientName || 'callhome',
    timeoutMs: policy.smtpTimeoutMs,
    attemptsPerServer: policy.smtpAttemptsPerServer,
    rounds: policy.smtpRounds,
    signal,
  });
}

/** `%CALL_HOME-3-HTTP_REQUEST_FAILED` as IOS logs it (seed 001, troubleshooting). */
export function httpFailureLog(code: number): string {
  return `%CALL_HOME-3-HTTP_REQUEST_FAILED: Call-Home HTTP request failed (ERR ${code})`;
}

/** `%CALL_HOME-3-SMTP_SEND_FAILED` when every mail server failed. */
export function smtpFailureLog(reason: string): string {
  return `%CALL_HOME-3-SMTP_SEND_FAILED: Unable to send notification using all SMTP servers (ERR 0, ${reason})`;
}

/** `%CALL_HOME-3-MESSAGE_SIZE_OVER_LIMIT` when a message cannot be cut to the profile's limit. */
export function sizeFailureLog(profile: string, limit: number, size: number): string {
  return `%CALL_HOME-3-MESSAGE_SIZE_OVER_LIMIT: Message for profile ${profile} is over the message-size limit: configured limit ${limit} is less than the ${size} bytes the message needs`;
}
