/**
 * search (issue 14): the bounded text search through the real back end and `callhome messages`. A type and a
 * common text that meet only far back: the API's first page is short, says how far it searched
 * (`searched`) and gives a `next`; the CLI prints that the page was partial; `--all` walks to every match.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMessages } from '../../commands/messages.js';
import { SEARCH_WINDOW } from '../../src/backend/store/queries.js';
import { createApiClient } from '../../src/client/api-client.js';
import { loadNewestMessages } from '../../src/console/adapters/api-loaders.js';
import { createConsoleStore } from '../../src/console/store.js';
import { buildMessage } from './build-message.js';
import { api, startTestBackend, TOKEN, type TestBackend } from './helpers.js';

let b: TestBackend;
const total = Math.round(SEARCH_WINDOW.sqlite * 2.5);
// One in four is syslog with the common text: 2,000 matches or more, so it is checked row by row.
const isSyslog = (i: number): boolean => i % 4 === 3;
// The two diagnostic messages with the common text: the oldest two rows.
const deep = [1, 0];
const time = (i: number): string => new Date(Date.UTC(2026, 8, 1) + i * 1000).toISOString();

beforeAll(async () => {
  b = await startTestBackend();
  const rows = Array.from({ length: total }, (_, i) => {
    const kind = isSyslog(i) ? 'syslog' : 'diagnostic';
    const description = isSyslog(i) || deep.includes(i) ? `Interface Gi0/${i % 48} changed state` : `diagnostic report ${i % 100}`;
    const message = buildMessage({ serialNumber: `HTW${i % 20}`, hostname: `htw-${i % 20}`, kind, severity: 3, description, messageId: `HTW-${i}` });
    return { message: { receivedAt: time(i), transport: 'http' as const, remote: '127.0.0.1', format: 'xml' as const, raw: '<x/>', message }, status: 'processed' as const };
  });
  expect(await b.service.store.importMessages(rows)).toBe(total);
}, 120_000);
afterAll(async () => {
  await b?.stop();
});

async function capture(run: (deps: { stdout: (t: string) => void }) => Promise<void>): Promise<string> {
  let out = '';
  await run({ stdout: (t) => (out += t) });
  return out;
}

describe('a text search bounded per page', () => {
  it('GET /messages: a short page says how far it searched, and its next continues to the matches', async () => {
    type Page = { messages: { receivedAt: string; description: string }[]; next: string | null; searched: { complete: boolean; through?: string } };
    const first = await api<Page>(b.url, '/messages?type=diagnostic&q=Interface&limit=100');
    expect(first.status).toBe(200);
    expect(first.body.messages).toEqual([]);
    expect(first.body.searched.complete).toBe(false);
    expect(first.body.searched.through).toMatch(/^2026-09-01T/);
    expect(typeof first.body.next).toBe('string');
    const seen: string[] = [];
    let page = first.body;
    for (let n = 1; page.next !== null; n++) {
      expect(n).toBeLessThan(10);
      page = (await api<Page>(b.url, `/messages?type=diagnostic&q=Interface&limit=100&cursor=${encodeURIComponent(page.next)}`)).body;
      seen.push(...page.messages.map((m) => m.receivedAt));
    }
    expect(seen).toEqual(deep.map(time));
    expect(page.searched).toEqual({ complete: true });
    // A filter answered from one index in order is complete, as before.
    expect((await api<Page>(b.url, '/messages?type=syslog&limit=5')).body.searched).toEqual({ complete: true });
  });

  it('callhome messages prints that a page was partial and how to go on; --all walks every page', async () => {
    const conn = { backend: b.url, token: TOKEN };
    const text = await capture((d) => runMessages({ ...conn, json: false, type: 'diagnostic', q: 'Interface' }, d));
    expect(text).toContain('No messages match.');
    expect(text).toMatch(/Partial: searched back to messages received 2026-09-01T\S+; older ones may match/);
    expect(text).toMatch(/More: --cursor \S+ \(or --all for every page\)/);
    const all = JSON.parse(await capture((d) => runMessages({ ...conn, json: true, all: true, type: 'diagnostic', q: 'Interface' }, d))) as { messages: { receivedAt: string }[]; next: null; searched: unknown };
    expect(all.messages.map((m) => m.receivedAt)).toEqual(deep.map(time));
    expect(all.next).toBeNull();
    expect(all.searched).toEqual({ complete: true });
    const table = await capture((d) => runMessages({ ...conn, json: false, all: true, type: 'diagnostic', q: 'Interface' }, d));
    expect(table).toContain('Interface Gi0/1 changed state');
    expect(table).toContain('Interface Gi0/0 changed state');
    expect(table).not.toContain('Partial:');
    expect(table).not.toContain('More:');
  });

  it('the console follows partial pages to the matches (a few pages per load)', async () => {
    const store = createConsoleStore({ batchMs: 0 });
    store.dispatch({ type: 'ui/filter', filter: { type: 'diagnostic', text: 'Interface' } });
    await loadNewestMessages(store, createApiClient({ url: b.url, token: TOKEN }));
    const { messages } = store.getState();
    expect(messages.items.map((m) => m.receivedAt)).toEqual(deep.map(time));
    expect(messages.older).toEqual({ kind: 'end' });
    store.dispose();
  });
});
