/**
 * One HTTP(S) request from the gateway to the service, directly or through an HTTP proxy (S86):
 * plain HTTP goes to the proxy with the absolute URL; HTTPS is tunnelled with CONNECT, so the proxy
 * sees neither the body nor the gateway's password. Proxy credentials come from the proxy URL.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { isIP, type Socket } from 'node:net';

export type PostResult = { readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string };

export type HttpTarget = {
  /** The service's base URL (http:// or https://). */
  readonly backend: URL;
  readonly proxy?: URL | undefined;
  /** Extra CA certificates (PEM) trusted for the service (self-signed test and demo back ends). */
  readonly ca?: string | undefined;
  readonly timeoutMs?: number;
};

function proxyAuth(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return { 'proxy-authorization': `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

/** Opens a CONNECT tunnel to host:port through the proxy. */
function tunnel(proxy: URL, host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: proxy.hostname, port: Number(proxy.port || 80), method: 'CONNECT', path: `${host}:${port}`, headers: { host: `${host}:${port}`, ...proxyAuth(proxy) }, timeout: timeoutMs });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(new Error(`proxy refused CONNECT ${host}:${port}: HTTP ${res.statusCode ?? '?'}`));
      }
    });
    req.once('timeout', () => req.destroy(new Error(`proxy ${proxy.host} did not answer within ${timeoutMs} ms`)));
    req.once('error', reject);
    req.end();
  });
}

/** Sends `method path` with `body`; resolves with the answer, rejects on a network failure. */
export async function send(target: HttpTarget, method: 'GET' | 'POST' | 'DELETE', path: string, headers: OutgoingHttpHeaders, body?: Buffer): Promise<PostResult> {
  const url = new URL(path, target.backend);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const timeout = target.timeoutMs ?? 30_000;
  const allHeaders: OutgoingHttpHeaders = { ...headers, host: url.host, ...(body ? { 'content-length': body.length } : {}) };
  let socket: Socket | undefined;
  if (target.proxy && secure) socket = await tunnel(target.proxy, url.hostname, port, timeout);
  return new Promise<PostResult>((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.once('error', reject);
    };
    // Without an agent, Node uses createConnection (the TLS socket over the tunnel) for this one request.
    const req = secure
      ? httpsRequest({ host: url.hostname, port, path: url.pathname + url.search, method, headers: allHeaders, timeout, ...(target.ca ? { ca: target.ca } : {}), ...(socket ? { createConnection: () => tlsConnect({ socket: socket!, ...(isIP(url.hostname) ? {} : { servername: url.hostname }), ...(target.ca ? { ca: target.ca } : {}) }) } : {}) }, onResponse)
      : target.proxy
        ? httpRequest({ host: target.proxy.hostname, port: Number(target.proxy.port || 80), path: url.href, method, headers: { ...allHeaders, ...proxyAuth(target.proxy) }, timeout }, onResponse)
        : httpRequest({ host: url.hostname, port, path: url.pathname + url.search, method, headers: allHeaders, timeout }, onResponse);
    req.once('timeout', () => req.destroy(new Error(`no answer from ${url.host} within ${timeout} ms`)));
    req.once('error', reject);
    req.end(body);
  }).finally(() => {
    // A tunnel serves one request: close it, or every request through the proxy leaves one open there.
    socket?.destroy();
  });
}
