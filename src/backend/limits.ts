/**
 * Global resource caps of one back end (issue 11, item 5): connections (HTTP and SMTP, in total and
 * per client address), bytes held by requests not finished yet, and the time one SMTP DATA may take.
 * Each cap turns an excess into a refusal the client can retry (HTTP 503, SMTP 421/451), never into
 * unbounded memory or a stuck listener.
 */
import type { Server } from 'node:net';
import type { Logger } from 'pino';

/** Tuning of the caps; `serve` exposes them as flags (docs/cli.md). */
export type ResourceLimits = {
  /** Concurrent HTTP(S) connections (device posts, API, /events) in total (default 1,024). */
  readonly maxHttpConnections?: number;
  /**
   * Concurrent HTTP(S) connections from one client address (default 512, half the total): devices behind
   * one NAT or a Call Home gateway share an address, and a site coming back after an outage posts at once;
   * half keeps the other half of the service for every other address (the API, the console, other sites).
   */
  readonly maxHttpConnectionsPerAddress?: number;
  /** Concurrent SMTP connections (default 256); one more is answered 421. */
  readonly maxSmtpConnections?: number;
  /** Bytes of request bodies and mails received but not yet answered, all requests together (default 256 MiB). */
  readonly maxPendingBytes?: number;
  /** Longest time one SMTP DATA may take from `354` to the final dot (default 5 min). */
  readonly smtpDataTimeoutMs?: number;
};

export type ResolvedLimits = { readonly [K in keyof ResourceLimits]-?: number };

export function resolveLimits(l: ResourceLimits = {}): ResolvedLimits {
  return {
    maxHttpConnections: l.maxHttpConnections ?? 1024,
    maxHttpConnectionsPerAddress: l.maxHttpConnectionsPerAddress ?? 512,
    maxSmtpConnections: l.maxSmtpConnections ?? 256,
    maxPendingBytes: l.maxPendingBytes ?? 256 * 1024 * 1024,
    smtpDataTimeoutMs: l.smtpDataTimeoutMs ?? 300_000,
  };
}

/**
 * Bytes held by unfinished requests, shared by every transport. A request takes what it buffers
 * chunk by chunk and gives it all back once it is answered; a chunk that would pass the cap is refused.
 */
export class ByteBudget {
  private held = 0;

  constructor(readonly limit: number) {}

  /** A holder for one request: `take` per chunk, `release` once (idempotent) when it is done. */
  open(): { take(n: number): boolean; release(): void; readonly held: number } {
    let mine = 0;
    let released = false;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the holder closes over its budget.
    const budget = this;
    return {
      take(n) {
        if (released || budget.held + n > budget.limit) return false;
        budget.held += n;
        mine += n;
        return true;
      },
      release() {
        if (released) return;
        released = true;
        budget.held -= mine;
        mine = 0;
      },
      get held() {
        return mine;
      },
    };
  }

  /** Bytes held now (for stats and tests). */
  inUse(): number {
    return this.held;
  }
}

/** Caps a listener's connections per client address; the excess is closed at once. */
export function capConnectionsPerAddress(server: Server, max: number, logger?: Logger): void {
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      logger?.warn({ remote: address, limit: max }, 'connection refused: too many from one address');
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

/** An error a transport raises when a client hangs up before its request ended: logged in one line, no stack. */
export class ClientAborted extends Error {
  constructor(readonly bytes: number) {
    super(`the client closed the connection after ${bytes} bytes, before the body ended`);
    this.name = 'ClientAborted';
  }
}

/** Raised when taking a chunk would pass the global cap on pending bytes. */
export class BudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`the back end already holds ${limit} bytes of unfinished requests`);
    this.name = 'BudgetExceeded';
  }
}
