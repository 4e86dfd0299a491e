/**
 * DNS rebinding guard for the API and the event stream (issue 11, item 8). A web page on another
 * site can make a browser send requests to this back end under the page's own host name (the name
 * re-resolved to 127.0.0.1 or a LAN address); such a request carries that foreign name in `Host`,
 * and a cross-site browser request carries the page's `Origin`. Both are checked against the names
 * the service answers to: the listen address, `localhost`, any IP literal (a rebinding needs a
 * name) and the names given with `--server-name`.
 */
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Why a request is refused, or null when its Host and Origin are acceptable. */
export type HostCheck = (req: IncomingMessage) => string | null;

/** The host part of a Host header value (`name:port`, `[v6]:port`), lower case. */
function hostPart(value: string): string {
  const v = value.trim().toLowerCase();
  if (v.startsWith('[')) return v.slice(1, v.indexOf(']') >>> 0);
  const colon = v.indexOf(':');
  // More than one colon without brackets is a bare IPv6 address.
  return colon >= 0 && v.indexOf(':', colon + 1) < 0 ? v.slice(0, colon) : v;
}

/** Makes the check for a back end listening on `listenHost` that also answers to `serverNames`. */
export function hostChecker(listenHost: string, serverNames: readonly string[] = []): HostCheck {
  const names = new Set(['localhost', listenHost.toLowerCase(), ...serverNames.map((n) => n.trim().toLowerCase().replace(/\.$/, ''))]);
  const allowed = (host: string): boolean => {
    const h = host.replace(/\.$/, '');
    return isIP(h) !== 0 || names.has(h);
  };
  const known = [...names].join(', ');
  return (req) => {
    const host = req.headers.host;
    if (host !== undefined && !allowed(hostPart(host))) {
      return `This back end does not answer to the name "${hostPart(host).slice(0, 64)}" (it answers to ${known} and IP addresses); start it with --server-name NAME to add one.`;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).hostname.replace(/^\[|\]$/g, '').toLowerCase();
      } catch {
        originHost = null;
      }
      if (originHost === null || !allowed(originHost)) return `Requests from web pages of other sites are refused (Origin ${origin.slice(0, 64)}); the API answers to ${known}.`;
    }
    return null;
  };
}
