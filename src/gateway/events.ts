/** What the gateway reports as it works: written to its log, and (S96) what an operator watches. */
export type GatewayEvent =
  | { readonly type: 'queued'; readonly id: number; readonly messageId: string; readonly serial: string; readonly subject: string; readonly source: string }
  | { readonly type: 'forwarded'; readonly id: number; readonly messageId: string; readonly serial: string; readonly subject: string; readonly duplicate: boolean }
  | { readonly type: 'refused'; readonly id: number; readonly messageId: string; readonly serial: string; readonly subject: string; readonly reason: string }
  | { readonly type: 'held'; readonly ids: readonly number[]; readonly reason: string }
  | { readonly type: 'purged'; readonly ids: readonly number[] }
  | { readonly type: 'intake.refused'; readonly source: string; readonly reason: string }
  | { readonly type: 'backend.unreachable'; readonly reason: string; readonly retryInMs: number }
  | { readonly type: 'backend.reachable' }
  | { readonly type: 'password.rotated' }
  | { readonly type: 'mailbox'; readonly state: 'connected' | 'failed' | 'polled'; readonly detail: string; readonly queued?: number };
