/**
 * The console's state and the actions that change it. Everything the screens show lives here;
 * views read it and dispatch intents, the reducer (reducer.ts) is the only writer.
 */
import type {
  BackendEvent,
  CaseSummary,
  MessageSummary,
  NotificationSummary,
  RegistrationState,
} from '../events/protocol.js';
import type { TimeStyle } from './time-style.js';

/** Screens, in number-key order (1 = fleet). */
export const SCREENS = ['fleet', 'messages', 'mail', 'registration', 'statistics', 'cases', 'verify'] as const;
export type ScreenName = (typeof SCREENS)[number];

/** Back-end stream connection as the status line shows it. */
export type ConnectionState =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'open' }
  | { readonly kind: 'backing-off'; readonly attempt: number; readonly retryInMs: number }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'closed' };

/** Message filter: every field optional; severity is a minimum. */
export type MessageFilter = {
  readonly device?: string | undefined;
  readonly type?: string | undefined;
  readonly severity?: number | undefined;
  readonly text?: string | undefined;
};

/** Where the next older page of messages comes from. */
export type OlderSource =
  | { readonly kind: 'cursor'; readonly cursor: string }
  /** The window was trimmed; continue strictly before this message. */
  | { readonly kind: 'before'; readonly receivedAt: string; readonly id: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'unknown' };

/** A bounded, newest-first window onto the message history. */
export type MessageWindow = {
  readonly items: readonly MessageSummary[];
  readonly older: OlderSource;
  readonly loadingOlder: boolean;
  /** True when newer messages were dropped from the front to make room for older pages. */
  readonly newerTrimmed: boolean;
  /** Live messages that matched but were not shown because the window is scrolled into the past. */
  readonly unseenNewer: number;
};

/** A message opened with Enter, as GET /messages/:id returns it (only what the view needs). */
export type MessageDetailView = {
  readonly summary: MessageSummary;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly attachments: readonly { readonly name: string; readonly data: string }[];
  readonly results: Readonly<Record<string, unknown>>;
  readonly raw: string;
};

export type DetailState =
  | { readonly kind: 'closed' }
  | { readonly kind: 'loading'; readonly id: number }
  | { readonly kind: 'open'; readonly detail: MessageDetailView; readonly scroll: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

/** A device the back end knows (GET /devices row, kept fresh by events). */
export type DeviceRow = {
  readonly serial: string;
  readonly hostname: string;
  readonly model: string;
  readonly registration: RegistrationState;
  readonly trialEndsAt: string | null;
  readonly lastMessageAt: string | null;
};

/** Fleet operations the console runs over SSH. */
export type FleetOp = 'push' | 'send' | 'stats' | 'mail-status' | 'profiles' | 'verify';

/** One host's fleet result (docs/cli.md "Fleet results"). */
export type FleetHostResult = {
  readonly host: string;
  readonly ok: boolean;
  readonly changed: boolean;
  readonly commands: readonly string[];
  readonly data: unknown;
  readonly error: { readonly kind: string; readonly message: string } | null;
};

/** Per-host state of the fleet screen. */
export type FleetHost = {
  readonly name: string;
  readonly address: string;
  readonly serial: string | null;
  readonly hostname: string | null;
  readonly reachable: boolean | null;
  readonly running: FleetOp | null;
  readonly results: Readonly<Partial<Record<FleetOp, FleetHostResult>>>;
  /** Commands a push would send (dry run); empty = no drift; null = unknown. */
  readonly drift: readonly string[] | null;
};

/** verify data per host (docs/cli.md). */
export type VerifyRow = {
  readonly host: string;
  readonly configured: boolean;
  readonly sent: boolean;
  readonly received: boolean;
  readonly latencyMs: number | null;
  readonly brokenAt: null | 'ssh' | 'config' | 'delivery' | 'backend';
  readonly messageId: string | null;
  readonly detail: string | null;
};

export type ListenerName = 'http' | 'https' | 'smtp';
export type ListenerState = {
  readonly state: 'listening' | 'stopped' | 'error';
  readonly port: number | null;
  readonly error: string | null;
};

/** A modal prompt over the current screen. */
export type Prompt =
  | { readonly kind: 'none' }
  | { readonly kind: 'help' }
  | { readonly kind: 'command'; readonly text: string }
  | { readonly kind: 'filter'; readonly text: string }
  | { readonly kind: 'confirm-push'; readonly hosts: readonly string[]; readonly preview: Readonly<Record<string, readonly string[]>> }
  | { readonly kind: 'token'; readonly serial: string; readonly text: string };

export type Notice = { readonly level: 'info' | 'error'; readonly text: string; readonly at: number };

export type ConsoleState = {
  readonly screen: ScreenName;
  /** How timestamps are shown (the `timeZone` setting). */
  readonly timeStyle: TimeStyle;
  readonly prompt: Prompt;
  readonly connection: ConnectionState;
  readonly lastSeq: number;
  readonly messages: MessageWindow;
  readonly filter: MessageFilter;
  /** Selected row per screen (index into that screen's list). */
  readonly cursor: Readonly<Record<ScreenName, number>>;
  readonly detail: DetailState;
  readonly devices: Readonly<Record<string, DeviceRow>>;
  readonly fleet: readonly FleetHost[];
  readonly selectedHosts: readonly string[];
  readonly listeners: Readonly<Partial<Record<ListenerName, ListenerState>>>;
  readonly cases: readonly CaseSummary[];
  readonly notifications: readonly NotificationSummary[];
  readonly verify: readonly VerifyRow[];
  /** Device drill-down on the statistics screen (inventory name) or null for fleet totals. */
  readonly statsHost: string | null;
  /** Messages per minute (epoch minute → count), newest 60 minutes. */
  readonly perMinute: Readonly<Record<string, number>>;
  /** Received messages by Call Home severity 0–9 since the console started. */
  readonly severityCounts: readonly number[];
  readonly received: number;
  readonly notice: Notice | null;
  readonly quit: boolean;
};

/** Everything that can change the state. */
export type ConsoleAction =
  | { readonly type: 'backend/events'; readonly events: readonly BackendEvent[] }
  | { readonly type: 'backend/connection'; readonly state: ConnectionState }
  | { readonly type: 'api/messages'; readonly mode: 'replace' | 'older'; readonly messages: readonly MessageSummary[]; readonly next: string | null }
  | { readonly type: 'api/messages-loading' }
  | { readonly type: 'api/message-detail'; readonly detail: MessageDetailView }
  | { readonly type: 'api/message-detail-failed'; readonly id: number; readonly message: string }
  | { readonly type: 'api/devices'; readonly devices: readonly DeviceRow[] }
  | { readonly type: 'api/cases'; readonly cases: readonly CaseSummary[] }
  | { readonly type: 'api/notifications'; readonly notifications: readonly NotificationSummary[] }
  | { readonly type: 'fleet/hosts'; readonly hosts: readonly { name: string; address: string; serial: string | null; hostname: string | null }[] }
  | { readonly type: 'fleet/started'; readonly op: FleetOp; readonly hosts: readonly string[] }
  | { readonly type: 'fleet/result'; readonly op: FleetOp; readonly result: FleetHostResult }
  | { readonly type: 'fleet/drift'; readonly host: string; readonly commands: readonly string[] | null }
  | { readonly type: 'verify/row'; readonly row: VerifyRow }
  | { readonly type: 'ui/screen'; readonly screen: ScreenName }
  | { readonly type: 'ui/prompt'; readonly prompt: Prompt }
  | { readonly type: 'ui/filter'; readonly filter: MessageFilter }
  | { readonly type: 'ui/move'; readonly delta: number; readonly length: number }
  | { readonly type: 'ui/open-detail'; readonly id: number }
  | { readonly type: 'ui/close-detail' }
  | { readonly type: 'ui/scroll-detail'; readonly delta: number }
  | { readonly type: 'ui/toggle-host'; readonly host: string }
  | { readonly type: 'ui/select-hosts'; readonly hosts: readonly string[] }
  | { readonly type: 'ui/stats-host'; readonly host: string | null }
  | { readonly type: 'ui/notice'; readonly notice: Notice | null }
  | { readonly type: 'ui/quit' };
