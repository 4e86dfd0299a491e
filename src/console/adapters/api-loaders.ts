/** Message-history loads from the REST API: the newest page for the current filter and older pages on scroll. */
import type { MessageQuery } from '../../client/api-client.js';
import type { ConsoleApi } from '../ports.js';
import { describeError } from '../../errors.js';
import type { ConsoleStore } from '../store.js';
import type { MessageSummary } from '../../events/protocol.js';
import { matchesFilter, resolveDevice, resolveTypePrefix } from '../filter.js';
import type { ConsoleState, MessageFilter } from '../types.js';

/** Rows per API page. */
export const PAGE_SIZE = 200;

/**
 * The API query for a filter. The API knows exact devices and types and a minimum severity; the
 * console resolves a device in any case and a type prefix first, and narrows each page with the
 * filter itself (exact severities, ambiguous prefixes).
 */
export function queryFor(filter: MessageFilter, devices: ConsoleState['devices']): MessageQuery {
  return {
    device: filter.device === undefined ? undefined : resolveDevice(filter.device, devices),
    type: filter.type === undefined ? undefined : resolveTypePrefix(filter.type),
    severity: filter.severity,
    q: filter.text,
    limit: PAGE_SIZE,
  };
}

function narrow<T extends { messages: readonly MessageSummary[] }>(page: T, filter: MessageFilter): T {
  return { ...page, messages: page.messages.filter((m) => matchesFilter(m, filter)) };
}

/**
 * search (issue 14): API pages read at most per load. A page whose search stopped at its window of rows
 * (`searched.complete` false) may be short or empty; the load follows its `next` until rows come, up to this.
 */
export const PARTIAL_PAGES = 5;

/** One load: a page, and the pages after it while they are partial and fewer than a page of rows came. */
async function readPages(api: ConsoleApi, query: MessageQuery, filter: MessageFilter): Promise<{ messages: MessageSummary[]; next: string | null }> {
  const messages: MessageSummary[] = [];
  for (let read = 0, cursor = query.cursor; ; ) {
    const page = narrow(await api.messages({ ...query, cursor }), filter);
    messages.push(...page.messages);
    if (++read >= PARTIAL_PAGES || page.searched?.complete !== false || messages.length >= PAGE_SIZE || page.next === null) return { messages, next: page.next };
    cursor = page.next;
  }
}

/** Replaces the history window with the newest page for the store's filter. */
export async function loadNewestMessages(store: ConsoleStore, api: ConsoleApi): Promise<void> {
  const { filter, devices } = store.getState();
  const page = await readPages(api, queryFor(filter, devices), filter);
  store.dispatch({ type: 'api/messages', mode: 'replace', messages: page.messages, next: page.next });
}

/** Fetches the next older page when there is one and none is loading. */
export async function loadOlderMessages(store: ConsoleStore, api: ConsoleApi): Promise<void> {
  const { messages, filter, devices } = store.getState();
  if (messages.loadingOlder) return;
  const older = messages.older;
  if (older.kind === 'end' || older.kind === 'unknown') return;
  store.dispatch({ type: 'api/messages-loading' });
  try {
    const query = older.kind === 'cursor' ? { ...queryFor(filter, devices), cursor: older.cursor } : { ...queryFor(filter, devices), until: older.receivedAt };
    const page = await readPages(api, query, filter);
    store.dispatch({ type: 'api/messages', mode: 'older', messages: page.messages, next: page.next });
  } catch (error) {
    store.dispatch({ type: 'api/messages', mode: 'older', messages: [], next: older.kind === 'cursor' ? older.cursor : null });
    store.dispatch({ type: 'ui/notice', notice: { level: 'error', text: `Loading older messages failed: ${describeError(error)}`, at: Date.now() } });
  }
}
