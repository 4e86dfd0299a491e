/** A queue entry as events and logs name it. */
export type EntryRef = { readonly id: number; readonly messageId: string; readonly serial: string; readonly subject: string };

/** What the gateway reports as it works: written to its log files (logs.ts), and (S96) what an operator watches. */
export type GatewayEvent =
  | { readonly type: 'queued'; readonly id: number; readonly messageId: string; readonly serial: string; readonly subject: string; readonly source: string }
  | { readonly type: 'forwarded'; readonly id: number; readonly messageId: string; readonly serial: string; readonly subject: string; readonly duplicate: boolean }
  | { readonly type: 'refused'; readonly id: number; readonly messageId: string; readonly serial: string; readonly subject: string; readonly reason: string }
  | { readonly type: 'held'; readonly entries: readonly EntryRef[]; readonly reason: string }
  | { readonly type: 'purged'; readonly entries: readonly EntryRef[] }
  | { readonly type: 'intake.refused'; readonly source: string; readonly reason: string; readonly storeFull?: boolean }
  | { readonly type: 'backend.unreachable'; readonly reason: string; readonly retryInMs: number }
  | { readonly type: 'backend.reachable' }
  | { readonly type: 'password.rotated' }
  | { readonly type: 'mailbox'; readonly state: 'connected' | 'failed' | 'polled'; readonly detail: string; readonly queued?: number }
  | { readonly type: 'store-full.mail'; readonly to: readonly string[]; readonly sent: boolean; readonly detail: string };
