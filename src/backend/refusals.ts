/**
 * Refused requests, counted and summarised (issue 11, item 4). Anyone can send the ingest garbage,
 * so a refusal must not cost a full stored event each, forever: every refusal is counted (by
 * transport and kind, shown in /stats); at most `eventsPerMinute` become a `message.rejected` event
 * each, the rest are summed into one event per minute; the event's reason is a fixed text per kind
 * (never the sender's content) and its remote address is capped; and `message.rejected` events
 * older than the retention are deleted by the maintenance run.
 */
import type { Transport } from '../events/protocol.js';
import { assertNever } from '../util/assert-never.js';
import type { RefusalKind } from './ingest/refusal.js';

/** Tuning; `BackendOptions.refusals`. */
export type RefusalOptions = {
  /** Refusals recorded one by one per minute; the rest are summed (default 30). */
  readonly eventsPerMinute?: number;
  /** How long `message.rejected` events are kept (default 7 days). */
  readonly retentionMs?: number;
  /** Length of the counting window (default one minute; tests shorten it). */
  readonly windowMs?: number;
  readonly now?: () => number;
};

/** What /stats shows. */
export type RefusalStats = { readonly total: number; readonly recorded: number; readonly summarised: number; readonly byKind: Readonly<Record<string, number>> };

/** One event to record. */
export type RejectedEvent = { readonly transport: Transport; readonly reason: string; readonly remote: string | null };

/** The fixed text stored for each kind: what was wrong, in our words only. */
export function refusalSummary(kind: RefusalKind): string {
  switch (kind) {
    case 'not-xml':
      return 'not well-formed XML';
    case 'forbidden-dtd':
      return 'DOCTYPE or ENTITY declaration (never processed)';
    case 'too-complex':
      return 'past a structural cap or the parse deadline';
    case 'not-call-home':
      return 'not a supported Call Home message';
    case 'no-serial':
      return 'no device serial number';
    case 'too-large':
      return 'larger than the message size limit';
    case 'content-type':
      return 'content type not accepted';
    case 'busy':
      return 'over the cap on bytes held by unfinished requests';
    case 'too-slow':
      return 'took longer than the time limit';
    default:
      return assertNever(kind, 'refusal kind');
  }
}

/** Counts refusals and decides which become events. */
export function createRefusalCounter(options: RefusalOptions = {}) {
  const perWindow = options.eventsPerMinute ?? 30;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const byKind = new Map<string, number>();
  let total = 0;
  let recorded = 0;
  let summarised = 0;
  let windowStart = now();
  let inWindow = 0;
  // Refusals of the current window not recorded one by one, per transport and kind.
  let held = new Map<string, { transport: Transport; kind: RefusalKind; count: number }>();

  /** The summary event of a finished window, if anything was held back. */
  const closeWindow = (): RejectedEvent[] => {
    const t = now();
    if (t - windowStart < windowMs) return [];
    windowStart = t;
    inWindow = 0;
    if (held.size === 0) return [];
    const groups = [...held.values()];
    held = new Map();
    const byTransport = new Map<Transport, string[]>();
    for (const g of groups) byTransport.set(g.transport, [...(byTransport.get(g.transport) ?? []), `${g.count} × ${refusalSummary(g.kind)}`]);
    return [...byTransport].map(([transport, parts]) => ({ transport, remote: null, reason: `summary: ${parts.join('; ')} (not recorded one by one: over ${perWindow} refusals a minute)` }));
  };

  return {
    /** Counts one refusal; returns the events to record now (none, the refusal itself, and/or a summary). */
    refused(transport: Transport, kind: RefusalKind, remote: string | null): RejectedEvent[] {
      total += 1;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      const out = closeWindow();
      if (inWindow < perWindow) {
        inWindow += 1;
        recorded += 1;
        out.push({ transport, reason: refusalSummary(kind), remote: remote === null ? null : remote.slice(0, 64) });
      } else {
        summarised += 1;
        const key = `${transport}\u0000${kind}`;
        const g = held.get(key) ?? { transport, kind, count: 0 };
        g.count += 1;
        held.set(key, g);
      }
      return out;
    },
    /** Summary events of a window that has ended with no refusal after it (run periodically). */
    flush: closeWindow,
    retentionMs: options.retentionMs ?? 7 * 86_400_000,
    stats: (): RefusalStats => ({ total, recorded, summarised, byKind: Object.fromEntries(byKind) }),
  };
}

export type RefusalCounter = ReturnType<typeof createRefusalCounter>;
