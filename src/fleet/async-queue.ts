/** A push-driven async iterable: producers `push`, one consumer `for await`s, `end` finishes it. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly takers: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;

  /** Adds an item; ignored after `end`. */
  push(item: T): void {
    if (this.ended) return;
    const taker = this.takers.shift();
    if (taker) taker({ value: item, done: false });
    else this.items.push(item);
  }

  /** Ends the stream once the buffered items are read. */
  end(): void {
    this.ended = true;
    for (const taker of this.takers.splice(0)) taker({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.takers.push(resolve));
      },
    };
  }
}
