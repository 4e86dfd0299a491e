import type { EventSource } from '../../../src/backend/stream/event-source.js';
import type { BackendEvent, BackendEventInput } from '../../../src/events/protocol.js';

/** An in-memory EventLog for the publisher's unit tests: persists (in an array) before it publishes. */
export class MemoryEventLog implements EventSource {
  private readonly events: BackendEvent[] = [];
  private readonly listeners = new Set<(event: BackendEvent) => void>();

  append(input: BackendEventInput): BackendEvent {
    const event = { ...input, seq: this.events.length + 1, at: new Date().toISOString() } as BackendEvent;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  since(seq: number, limit: number): Promise<BackendEvent[]> {
    return Promise.resolve(this.events.slice(seq, seq + limit));
  }

  lastSeq(): Promise<number> {
    return Promise.resolve(this.events.length);
  }

  /** The newest seq, without waiting. */
  get last(): number {
    return this.events.length;
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A small valid event input; `n` varies the text, `padding` makes it large. */
export function rejectedEvent(n: number, padding = 0): BackendEventInput {
  return { type: 'message.rejected', transport: 'http', reason: `test ${n}${'x'.repeat(padding)}`, remote: '127.0.0.1' };
}
