/**
 * The back end's live event stream (`/events` WebSocket and `callhome events --ndjson`).
 * Every event carries a monotonically increasing `seq`; the back end persists events before
 * publishing them, so a client resuming with `since=SEQ` gets exactly what it missed.
 * Frames are validated with zod at the client's edge (STYLE.md practice 5).
 */
import { z } from 'zod';

export const TransportSchema = z.enum(['http', 'https', 'email']);
export type Transport = z.infer<typeof TransportSchema>;

export const RegistrationStateSchema = z.enum(['pending', 'registered', 'trial', 'expired', 'anonymous', 'deleted']);
export type RegistrationState = z.infer<typeof RegistrationStateSchema>;

/** The summary of a stored message: the columns of the history view and `callhome messages --json`. */
export const MessageSummarySchema = z.object({
  id: z.number().int(),
  messageId: z.string(),
  serial: z.string(),
  hostname: z.string(),
  model: z.string(),
  type: z.string(),
  subType: z.string(),
  alertGroup: z.string(),
  severity: z.number().int().min(0).max(9),
  eventName: z.string(),
  description: z.string(),
  receivedAt: z.string(),
  transport: TransportSchema,
});
export type MessageSummary = z.infer<typeof MessageSummarySchema>;

export const CaseSummarySchema = z.object({
  id: z.number().int(),
  number: z.string(),
  serial: z.string(),
  hostname: z.string(),
  status: z.enum(['open', 'updated', 'resolved', 'closed']),
  priority: z.number().int(),
  title: z.string(),
  openedAt: z.string(),
  updatedAt: z.string(),
});
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

export const NotificationSummarySchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  serial: z.string().nullable(),
  to: z.array(z.string()),
  subject: z.string(),
  sentAt: z.string(),
  delivered: z.boolean(),
});
export type NotificationSummary = z.infer<typeof NotificationSummarySchema>;

// gateway: what a Transport Gateway reports about itself (S66, S94, S96); its events go to the Administrators of its company.
export const GatewaySummarySchema = z.object({ id: z.string(), name: z.string(), company: z.string().nullable() });
export type GatewaySummary = z.infer<typeof GatewaySummarySchema>;
const count = z.number().int().nonnegative();
/** A gateway's own report (POST /gateway/v1/status): its queue, forwarding and mailbox as it sees them. */
export const GatewayStatusSchema = z.object({
  reportedAt: z.string(),
  queue: z.object({ queued: count, held: count, refused: count, bytes: count, maxBytes: count.nullable(), full: z.boolean() }),
  sendFlag: z.boolean(),
  /** `failing` since the first failed attempt of the current outage, with the last error. */
  forwarding: z.object({ state: z.enum(['ok', 'failing']), since: z.string().nullable(), lastError: z.string().nullable() }),
  mailbox: z.object({ address: z.string(), state: z.enum(['connecting', 'connected', 'failed', 'stopped']), lastPoll: z.string().nullable(), lastError: z.string().nullable() }).nullable(),
  /** What happened since the previous report the service accepted. */
  activity: z.object({ queued: count, forwarded: count, refused: count, held: count, purged: count, refusedAtIntake: count }),
  /** triggers: the notify-when-mail-store-full flag (S85) with its addresses; absent or null when off (N26). */
  storeFullNotify: z.object({ to: z.array(z.string().max(254)).max(20) }).nullable().optional(),
});
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

/**
 * `company`: the company of the device the event is about, stamped when it is written (accounts, issue 15);
 * the stream shows an event only to that company's users (and SCH administrators). Absent: no device.
 */
const base = { seq: z.number().int().positive(), at: z.string(), company: z.string().nullable().optional() };

/** One line of the audit log (S93): who did what to which object, when, from where. */
export const AuditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  company: z.string().nullable(),
  remote: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

/** One event of the stream; `type` is the discriminant. */
export const BackendEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('message.received'), message: MessageSummarySchema }),
  z.object({
    ...base,
    type: z.literal('message.rejected'),
    transport: TransportSchema,
    reason: z.string(),
    remote: z.string().nullable(),
  }),
  z.object({
    ...base,
    type: z.literal('registration.changed'),
    serial: z.string(),
    hostname: z.string(),
    from: RegistrationStateSchema.nullable(),
    to: RegistrationStateSchema,
    trialEndsAt: z.string().nullable(),
  }),
  z.object({ ...base, type: z.literal('notification.sent'), notification: NotificationSummarySchema }),
  // A message named a confirmed device but claimed other identity fields; they were not applied (issue 11).
  z.object({ ...base, type: z.literal('device.identity-claimed'), serial: z.string(), messageId: z.number().int(), fields: z.array(z.string()) }),
  z.object({ ...base, type: z.literal('case.opened'), case: CaseSummarySchema }),
  z.object({ ...base, type: z.literal('case.updated'), case: CaseSummarySchema }),
  // sr-notify (S94): the SR lifecycle's last step, processing results, and the notification relay's status.
  z.object({ ...base, type: z.literal('case.closed'), case: CaseSummarySchema }),
  z.object({
    ...base,
    type: z.literal('message.processed'),
    id: z.number().int(),
    serial: z.string(),
    status: z.string(),
    caseNumber: z.string().nullable(),
    caseAction: z.enum(['created', 'updated', 'none']),
    srFailure: z.string().nullable(),
    notifiedTo: z.array(z.string()),
  }),
  // The back end's outbound notification relay (a gateway's mailbox state rides on gateway.status).
  z.object({ ...base, type: z.literal('mailserver.status'), server: z.literal('relay'), state: z.enum(['up', 'down']), detail: z.string() }),
  // accounts: an audit log entry (S93), shown to the Administrators of its company and SCH administrators.
  z.object({ ...base, type: z.literal('audit'), entry: AuditEntrySchema }),
  z.object({
    ...base,
    type: z.literal('listener.status'),
    listener: z.enum(['http', 'https', 'smtp']),
    state: z.enum(['listening', 'stopped', 'error']),
    port: z.number().int().nullable(),
    error: z.string().nullable(),
  }),
  // gateway: registered, deleted, and a change in what a gateway reports (queue depth, forwarding, store full, mailbox).
  z.object({ ...base, type: z.literal('gateway.registered'), gateway: GatewaySummarySchema, registeredBy: z.string() }),
  z.object({ ...base, type: z.literal('gateway.deleted'), gateway: GatewaySummarySchema }),
  z.object({ ...base, type: z.literal('gateway.status'), gateway: GatewaySummarySchema, status: GatewayStatusSchema }),
]);
export type BackendEvent = z.infer<typeof BackendEventSchema>;
export type BackendEventType = BackendEvent['type'];

/** An event before the store gives it its `seq` and time. */
export type BackendEventInput = BackendEvent extends infer E
  ? E extends BackendEvent
    ? Omit<E, 'seq' | 'at' | 'company'>
    : never
  : never;

/**
 * Control frames the server sends besides events: `hello` on connect (the newest seq),
 * `resync` when the client fell too far behind and must reconnect with `since`.
 */
export const ControlFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), lastSeq: z.number().int().nonnegative() }),
  z.object({ type: z.literal('resync'), lastDeliveredSeq: z.number().int().nonnegative(), reason: z.string() }),
]);
export type ControlFrame = z.infer<typeof ControlFrameSchema>;

/** Any frame on the wire. */
export const StreamFrameSchema = z.union([BackendEventSchema, ControlFrameSchema]);
export type StreamFrame = z.infer<typeof StreamFrameSchema>;
