import type { WebSocket } from 'ws';
import type { BackendEvent, ControlFrame } from '../../events/protocol.js';
import type { EventSource } from './event-source.js';

/** How much one client may have pending before it is told to resync. */
export type SessionLimits = {
  /** Events handed to the socket but not yet written to the kernel; beyond it the session reads from the log. */
  readonly maxBufferedEvents: number;
  /** Bytes queued in the socket (ws `bufferedAmount`); beyond it the client is told to resync. */
  readonly maxBufferedBytes: number;
  /** Events read from the log per backfill page. */
  readonly pageSize: number;
  /** A client told to resync that does not close within this time is cut off. */
  readonly closeGraceMs: number;
};

/** What the publisher reports about one connected client. */
export type SessionStats = {
  readonly id: number;
  readonly remote: string;
  readonly mode: SessionMode;
  readonly lastSentSeq: number;
  readonly lastDeliveredSeq: number;
  readonly inflight: number;
  readonly bufferedAmount: number;
};

/** backfill: reading the log; live: forwarding published events; closing: done, waiting for the socket. */
export type SessionMode = 'backfill' | 'live' | 'closing';

/** WebSocket close code telling a client it fell behind and must reconnect with `since`. */
export const CLOSE_RESYNC = 4008;
/** WebSocket close code for a server shutting down (RFC 6455 "going away"). */
export const CLOSE_GOING_AWAY = 1001;
const CLOSE_INTERNAL_ERROR = 1011;

/**
 * One client of the event stream. Sends `hello`, then the persisted events after `since` page by page,
 * then live events. Gap- and duplicate-free because the log persists before it publishes: while backfilling,
 * published events are ignored (the next page read returns them); the switch to live happens right after a
 * page read comes back empty and no newer event was published while it was read. A live event that does
 * not follow the last one sent sends the session back to reading the log, so a gap is never passed on.
 */
export class StreamSession {
  private mode: SessionMode = 'backfill';
  /** Newest seq handed to the socket. */
  private lastSent: number;
  /** Newest seq the socket reported written. */
  private lastDelivered: number;
  private inflight = 0;
  private alive = true;
  private closeTimer: NodeJS.Timeout | undefined;
  /** A newer event was published while a page was being read (so an empty page does not mean caught up). */
  private missed = false;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    private readonly remote: string,
    private readonly log: EventSource,
    private readonly limits: SessionLimits,
    /** Resume after this seq; undefined = from now on. */
    private readonly since: number | undefined,
    /**
     * accounts: whether this client may see an event (its companies). Others are skipped: `lastSent` moves
     * past them, so they never count as a gap and a resume never asks for them.
     */
    private readonly visible: (event: BackendEvent) => boolean = () => true,
  ) {
    this.lastSent = since ?? 0;
    this.lastDelivered = since ?? 0;
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => {
      this.mode = 'closing';
      if (this.closeTimer) clearTimeout(this.closeTimer);
    });
  }

  /** Sends `hello` and the backfill, then goes live. */
  start(): void {
    void this.log.lastSeq().then(
      (last) => {
        // A since beyond the log's end comes from another database; hello tells the client, and it starts over.
        const start = this.since === undefined ? last : Math.min(this.since, last);
        this.lastSent = start;
        this.lastDelivered = start;
        this.sendControl({ type: 'hello', lastSeq: last });
        return this.backfill();
      },
      (error: unknown) => this.close(CLOSE_INTERNAL_ERROR, `event log read failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120)),
    );
  }

  /** A published event, already serialized once for every client. */
  offer(event: BackendEvent, json: string): void {
    // While backfilling, the log read picks this event up; a closing session wants nothing.
    if (event.seq <= this.lastSent) return;
    if (this.mode === 'backfill') this.missed = true;
    if (this.mode !== 'live') return;
    if (event.seq !== this.lastSent + 1) {
      // Never pass a gap on: read what lies between from the log.
      this.mode = 'backfill';
      void this.backfill();
      return;
    }
    if (!this.visible(event)) {
      this.skip(event.seq);
      return;
    }
    if (this.ws.bufferedAmount >= this.limits.maxBufferedBytes) {
      this.resync(`client fell behind: ${this.ws.bufferedAmount} bytes pending (limit ${this.limits.maxBufferedBytes})`);
      return;
    }
    if (this.inflight >= this.limits.maxBufferedEvents) {
      // A burst (one group commit publishes many events in one tick) while the socket still drains:
      // read the rest from the log page by page instead of holding it here; memory stays at one page.
      this.mode = 'backfill';
      void this.backfill();
      return;
    }
    // Live events do not wait for the write: `inflight` tracks them and the promise never rejects.
    void this.sendEvent(event.seq, json);
  }

  /** One heartbeat tick: a peer that did not answer the previous ping is cut off. */
  heartbeat(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  /** Closes the session with a code and reason; the socket is cut off if it does not close in time. */
  close(code: number, reason: string): void {
    if (this.mode === 'closing') return;
    this.mode = 'closing';
    this.ws.close(code, reason);
    this.closeTimer = setTimeout(() => this.ws.terminate(), this.limits.closeGraceMs);
    this.closeTimer.unref();
  }

  /** Counters for diagnostics and tests. */
  stats(): SessionStats {
    return {
      id: this.id,
      remote: this.remote,
      mode: this.mode,
      lastSentSeq: this.lastSent,
      lastDeliveredSeq: this.lastDelivered,
      inflight: this.inflight,
      bufferedAmount: this.ws.bufferedAmount,
    };
  }

  private async backfill(): Promise<void> {
    try {
      for (;;) {
        if (this.mode !== 'backfill') return;
        this.missed = false;
        const page = await this.log.since(this.lastSent, this.limits.pageSize);
        if (this.mode !== 'backfill') return;
        if (page.length === 0) {
          if (this.missed) continue;
          this.mode = 'live';
          return;
        }
        let written: Promise<void> = Promise.resolve();
        for (const event of page) {
          if (!this.visible(event)) {
            this.skip(event.seq);
            continue;
          }
          // Wait for the socket to drain rather than queue past the byte limit.
          if (this.ws.bufferedAmount >= this.limits.maxBufferedBytes) await written;
          if (this.mode !== 'backfill') return;
          written = this.sendEvent(event.seq, JSON.stringify(event));
        }
        // One page at a time: the memory held for a slow reader stays at one page.
        await written;
      }
    } catch (error) {
      this.close(CLOSE_INTERNAL_ERROR, `event log read failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 120));
    }
  }

  /** An event this client may not see: passed over as if sent (and delivered, when nothing is in flight). */
  private skip(seq: number): void {
    this.lastSent = seq;
    if (this.inflight === 0) this.lastDelivered = seq;
  }

  private sendEvent(seq: number, json: string): Promise<void> {
    this.lastSent = seq;
    this.inflight += 1;
    return new Promise((resolve) => {
      this.ws.send(json, (error) => {
        this.inflight -= 1;
        if (!error && seq > this.lastDelivered) this.lastDelivered = seq;
        resolve();
      });
    });
  }

  private sendControl(frame: ControlFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  private resync(reason: string): void {
    this.sendControl({ type: 'resync', lastDeliveredSeq: this.lastDelivered, reason });
    this.close(CLOSE_RESYNC, 'resync: reconnect with since');
  }
}
