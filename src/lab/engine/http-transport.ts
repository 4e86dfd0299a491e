/**
 * HTTP(S) POST of a Call Home XML document (ios-call-home.md §7.2, C80), directly or through the
 * configured `http-proxy`: an absolute-URI request to the proxy for http, a CONNECT tunnel for https.
 * TLS is verified, except that the lab trusts any certificate from a loopback host, so a lab
 * back end with a self-signed certificate works without a trustpoint.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';

/** Content type of the SOAP 1.2 envelope; receivers also accept text/xml (§7.2). */
export const XML_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

/** Outcome of one POST: `code` is the HTTP status, or 0 when no response came (IOS `ERR 0`). */
export type HttpPostResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly code: number; readonly reason: string };

export type HttpPostOptions = {
  readonly proxy?: { readonly host: string; readonly port: number };
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly userAgent?: string;
};

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

type Target = { readonly url: URL; readonly secure: boolean; readonly host: string; readonly port: number };

function parseTarget(rawUrl: string): Target | string {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return `invalid URL ${rawUrl}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unsupported scheme ${url.protocol} in ${rawUrl}`;
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { url, secure, host, port: url.port ? Number(url.port) : secure ? 443 : 80 };
}

function openTunnel(proxy: { host: string; port: number }, target: Target, options: HttpPostOptions): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const authority = `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`;
    const req = http.request({
      host: proxy.host,
      port: proxy.port,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority },
      timeout: options.timeoutMs,
      signal: options.signal,
    });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy ${proxy.host}:${proxy.port} refused CONNECT ${authority} (${res.statusCode ?? 0})`));
      }
    });
    req.once('timeout', () => req.destroy(new Error(`proxy ${proxy.host}:${proxy.port} timed out`)));
    req.once('error', reject);
    req.end();
  });
}

/** POSTs `body` to `rawUrl`; never throws. */
export async function postXml(rawUrl: string, body: string, options: HttpPostOptions): Promise<HttpPostResult> {
  const target = parseTarget(rawUrl);
  if (typeof target === 'string') return { ok: false, code: 0, reason: target };
  // A lab device reaches loopback only: IOS XE's factory CiscoTAC-1 (tools.cisco.com) must never be contacted.
  const via = options.proxy?.host ?? target.host;
  if (!isLoopbackHost(via)) return { ok: false, code: 0, reason: `${via} is unreachable from the lab (loopback only)` };
  const payload = Buffer.from(body, 'utf8');
  const headers: http.OutgoingHttpHeaders = {
    'content-type': XML_CONTENT_TYPE,
    'content-length': payload.length,
    'user-agent': options.userAgent ?? 'Call-Home',
    host: target.url.host,
  };
  const rejectUnauthorized = !isLoopbackHost(target.host);
  let requestOptions: https.RequestOptions;
  try {
    if (options.proxy && !target.secure) {
      // Plain HTTP through a proxy: absolute-URI request line.
      requestOptions = { host: options.proxy.host, port: options.proxy.port, path: target.url.href, method: 'POST', headers };
    } else if (options.proxy) {
      const socket = await openTunnel(options.proxy, target, options);
      requestOptions = {
        method: 'POST',
        path: `${target.url.pathname}${target.url.search}`,
        headers,
        // No agent: Node uses createConnection only when the agent option is left out.
        createConnection: () => tls.connect({ socket, servername: isIP(target.host) ? undefined : target.host, rejectUnauthorized }),
      };
    } else {
      requestOptions = {
        host: target.host,
        port: target.port,
        method: 'POST',
        path: `${target.url.pathname}${target.url.search}`,
        headers,
        agent: false,
        rejectUnauthorized,
      };
    }
  } catch (error) {
    return { ok: false, code: 0, reason: error instanceof Error ? error.message : String(error) };
  }
  const transport = target.secure ? https : http;
  return new Promise((resolve) => {
    const req = transport.request({ ...requestOptions, timeout: options.timeoutMs, signal: options.signal }, (res) => {
      res.resume();
      res.once('end', () => {
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, code: status, reason: `HTTP ${status} ${res.statusMessage ?? ''}`.trim() });
      });
      res.once('error', (error) => resolve({ ok: false, code: 0, reason: error.message }));
    });
    req.once('timeout', () => req.destroy(new Error(`no response within ${options.timeoutMs} ms`)));
    req.once('error', (error) => resolve({ ok: false, code: 0, reason: error.message }));
    req.end(payload);
  });
}
