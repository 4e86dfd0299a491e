/** Message-history loads from the REST API: the newest page for the current filter and older pages on scroll. */
import type { MessageQuery } from '../../client/api-client.js';
import type { ConsoleApi } from '../ports.js';
import { describeError } from '../../errors.js';
import type { ConsoleStore } from '../store.js';
import type { MessageFilter } from '../types.js';

/** Rows per API page. */
export const PAGE_SIZE = 200;

/** The API query for a filter. */
export function queryFor(filter: MessageFilter): MessageQuery {
  return { device: filter.device, type: filter.type, severity: filter.severity, q: filter.text, limit: PAGE_SIZE };
}

/** Replaces the history window with the newest page for the store's filter. */
export async function loadNewestMessages(store: ConsoleStore, api: ConsoleApi): Promise<void> {
  const page = await api.messages(queryFor(store.getState().filter));
  store.dispatch({ type: 'api/messages', mode: 'replace', messages: page.messages, next: page.next });
}

/** Fetches the next older page when there is one and none is loading. */
export async function loadOlderMessages(store: ConsoleStore, api: ConsoleApi): Promise<void> {
  const { messages, filter } = store.getState();
  if (messages.loadingOlder) return;
  const older = messages.older;
  if (older.kind === 'end' || older.kind === 'unknown') return;
  store.dispatch({ type: 'api/messages-loading' });
  try {
    const query = older.kind === 'cursor' ? { ...queryFor(filter), cursor: older.cursor } : { ...queryFor(filter), until: older.receivedAt };
    const page = await api.messages(query);
    store.dispatch({ type: 'api/messages', mode: 'older', messages: page.messages, next: page.next });
  } catch (error) {
    store.dispatch({ type: 'api/messages', mode: 'older', messages: [], next: older.kind === 'cursor' ? older.cursor : null });
    store.dispatch({ type: 'ui/notice', notice: { level: 'error', text: `Loading older messages failed: ${describeError(error)}`, at: Date.now() } });
  }
}
