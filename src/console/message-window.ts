/**
 * The bounded, newest-first message window. Live messages are prepended, older API pages appended;
 * the window never holds more than `capacity` items, so a store of millions stays cheap to render.
 */
import type { MessageSummary } from '../events/protocol.js';
import type { MessageWindow, OlderSource } from './types.js';

/** An empty window whose older pages are not known yet. */
export function emptyWindow(): MessageWindow {
  return { items: [], older: { kind: 'unknown' }, loadingOlder: false, newerTrimmed: false, unseenNewer: 0, newAbove: 0 };
}

function olderAfterTrim(kept: readonly MessageSummary[], fallback: OlderSource): OlderSource {
  const last = kept[kept.length - 1];
  return last === undefined ? fallback : { kind: 'before', receivedAt: last.receivedAt, id: last.id };
}

/** Prepends live messages (already filtered), dropping duplicates and the oldest beyond capacity. */
export function prependLive(window: MessageWindow, incoming: readonly MessageSummary[], capacity: number): MessageWindow {
  if (incoming.length === 0) return window;
  if (window.newerTrimmed) return { ...window, unseenNewer: window.unseenNewer + incoming.length };
  const known = new Set(window.items.map((m) => m.id));
  const fresh: MessageSummary[] = [];
  // incoming is oldest-first (stream order); the window is newest-first.
  for (let i = incoming.length - 1; i >= 0; i--) {
    const m = incoming[i];
    if (m !== undefined && !known.has(m.id)) {
      known.add(m.id);
      fresh.push(m);
    }
  }
  if (fresh.length === 0) return window;
  const merged = fresh.concat(window.items);
  if (merged.length <= capacity) return { ...window, items: merged };
  const kept = merged.slice(0, capacity);
  return { ...window, items: kept, older: olderAfterTrim(kept, window.older) };
}

/** Replaces the window with the newest page. */
export function replacePage(messages: readonly MessageSummary[], next: string | null, capacity: number): MessageWindow {
  const items = messages.slice(0, capacity);
  const older: OlderSource =
    messages.length > capacity ? olderAfterTrim(items, { kind: 'end' }) : next === null ? { kind: 'end' } : { kind: 'cursor', cursor: next };
  return { items, older, loadingOlder: false, newerTrimmed: false, unseenNewer: 0, newAbove: 0 };
}

/** Appends an older page; when over capacity, drops from the newest end and remembers that it did. */
export function appendOlder(
  window: MessageWindow,
  messages: readonly MessageSummary[],
  next: string | null,
  capacity: number,
): { window: MessageWindow; droppedFront: number } {
  const known = new Set(window.items.map((m) => m.id));
  const merged = window.items.concat(messages.filter((m) => !known.has(m.id)));
  const older: OlderSource = next === null ? { kind: 'end' } : { kind: 'cursor', cursor: next };
  const droppedFront = Math.max(0, merged.length - capacity);
  return {
    window: {
      items: droppedFront > 0 ? merged.slice(droppedFront) : merged,
      older,
      loadingOlder: false,
      newerTrimmed: window.newerTrimmed || droppedFront > 0,
      unseenNewer: window.unseenNewer,
      newAbove: window.newAbove,
    },
    droppedFront,
  };
}
