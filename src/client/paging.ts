/**
 * search (issue 14): walking a cursor-paged list. A page may be short, even empty, and still have a `next`
 * (the back end's search stopped after its window of rows: `searched.complete` false); only a null `next`
 * ends the list.
 */
export async function* walkPages<P extends { readonly next: string | null }>(read: (cursor: string | undefined) => Promise<P>, cursor?: string): AsyncGenerator<P> {
  for (let at = cursor; ; ) {
    const page = await read(at);
    yield page;
    if (page.next === null) return;
    at = page.next;
  }
}
