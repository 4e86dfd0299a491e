/**
 * The console's state and the actions that change it. Everything the screens show lives here;
 * views read it and dispatch intents, the reducer (reducer.ts) is the only writer.
 */
import type {
  BackendEvent,
  CaseSummary,
  GatewayStatus,
  GatewaySummary,
  MessageSummary,
  NotificationSummary,
  RegistrationState,
} from '../events/protocol.js';
import type { TimeStyle } from './time-style.js';
import type { ContractResult } from '../domain/fleet.js';
import type { ApiAuditEntry, ApiTokenInfo, ApiUser } from '../client/api-client.js';
import type { AdminState, AdminTab, SessionView } from './admin.js';

/** Screens, in number-key order (1 = fleet). */
export const SCREENS = ['fleet', 'messages', 'mail', 'registration', 'statistics', 'cases', 'verify', 'admin'] as const;
export type ScreenName = (typeof SCREENS)[number];

/** Back-end stream connection as the status line shows it. */
export type ConnectionState =
  | { readonly kind: 'disabled' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'open' }
  | { readonly kind: 'backing-off'; readonly attempt: number; readonly retryInMs: number }
  | { readonly kind: 'unauthorized'; readonly retryAfterSeconds: number | null }
  | { readonly kind: 'closed' };

/** Message filter: every field optional; severity is a minimum unless `severityExact`; type matches as a prefix. */
export type MessageFilter = {
  readonly device?: string | undefined;
  readonly type?: string | undefined;
  readonly severity?: number | undefined;
  readonly severityExact?: boolean | undefined;
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
  /** Live messages added above the selection while it was away from the top (the "N new" marker). */
  readonly newAbove: number;
};

/** A message opened with Enter, as GET /messages/:id returns it (only what the view needs). */
export type MessageDetailView = {
  readonly summary: MessageSummary;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly attachments: readonly { readonly name: string; readonly data: string }[];
  readonly results: Readonly<Record<string, unknown>>;
  readonly raw: string;
};

/** A case opened with Enter (GET /cases/:number). */
export type CaseDetailView = CaseSummary & {
  readonly rule: string;
  readonly recommendation: string;
  readonly history: readonly { readonly at: string; readonly messageId: number | null; readonly note: string }[];
  readonly attachments: readonly { readonly name: string; readonly data: string }[];
};

/** A notification as the console keeps it; the body comes with the REST list, not with the live event. */
export type NotificationView = NotificationSummary & { readonly body?: string | undefined; readonly error?: string | null | undefined };

/** What an open detail shows; `key` names it (`message:12`, `case:SR1`, `notification:3`, `host:r1`). */
export type DetailDoc =
  | { readonly kind: 'message'; readonly detail: MessageDetailView }
  | { readonly kind: 'case'; readonly detail: CaseDetailView }
  | { readonly kind: 'notification'; readonly detail: NotificationView }
  /** The host's detail is derived from the state as it changes. */
  | { readonly kind: 'host'; readonly name: string };

export type DetailState =
  | { readonly kind: 'closed' }
  | { readonly kind: 'loading'; readonly key: string }
  | { readonly kind: 'open'; readonly key: string; readonly doc: DetailDoc; readonly scroll: number }
  | { readonly kind: 'error'; readonly key: string; readonly message: string };

/** Columns the fleet screen sorts by (`s` cycles, `S` reverses). */
export const FLEET_SORTS = ['host', 'state', 'drift', 'registration', 'last message', 'last result'] as const;
export type FleetSort = (typeof FLEET_SORTS)[number];

/** The fleet screen's filter (`/`) and sort. */
export type FleetView = { readonly filter: string; readonly sort: FleetSort; readonly descending: boolean };

/** Progress of the last run of an operation: it is done when every host has its result. */
export type RunStatus = { readonly hosts: readonly string[]; readonly done: readonly string[]; readonly failed: number; readonly finished: boolean };

/** A device the back end knows (GET /devices row, kept fresh by events). */
export type DeviceRow = {
  readonly serial: string;
  readonly hostname: string;
  readonly model: string;
  readonly registration: RegistrationState;
  readonly trialEndsAt: string | null;
  readonly lastMessageAt: string | null;
  /** entitlement: end of the contract or warranty a registration rests on; why the last confirmation was refused. */
  readonly coverageEndsAt?: string | null;
  readonly refusal?: string | null;
};

/** Fleet operations the console runs over SSH. */
export type FleetOp = 'push' | 'send' | 'stats' | 'mail-status' | 'profiles' | 'verify';

/** One host's fleet result: the contract shape of docs/cli.md "Fleet results". */
export type FleetHostResult = ContractResult;

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

/** A Transport Gateway the back end knows (GET /gateways, kept fresh by gateway.* events); status null until it reports. */
export type GatewayRow = GatewaySummary & { readonly status: GatewayStatus | null };

/** A modal prompt over the current screen. */
export type Prompt =
  | { readonly kind: 'none' }
  | { readonly kind: 'help' }
  | { readonly kind: 'command'; readonly text: string }
  | { readonly kind: 'filter'; readonly text: string }
  | { readonly kind: 'confirm-push'; readonly hosts: readonly string[]; readonly preview: Readonly<Record<string, readonly string[]>> }
  | { readonly kind: 'token'; readonly serial: string; readonly text: string }
  /** Several selected pending devices, each with the token its notification carried (null: none known). */
  | { readonly kind: 'confirm-registrations'; readonly devices: readonly { readonly serial: string; readonly token: string | null }[] }
  /** An Admin screen action awaiting y / n (accounts-cli). */
  | { readonly kind: 'confirm-admin'; readonly text: string; readonly action: AdminAction };

/** What an Administrator can do from the Admin screen (accounts-cli). */
export type AdminAction =
  | { readonly kind: 'delete-user'; readonly user: string; readonly company: string }
  | { readonly kind: 'set-role'; readonly user: string; readonly company: string; readonly role: 'administrator' | 'user' }
  | { readonly kind: 'revoke-token'; readonly id: string; readonly user: string };

export type Notice = { readonly level: 'info' | 'error'; readonly text: string; readonly at: number };

export type ConsoleState = {
  readonly screen: ScreenName;
  /** How timestamps are shown (the `timeZone` setting). */
  readonly timeStyle: TimeStyle;
  /** The back end's URL, for the status line and the wall's alarms (null: none). */
  readonly backendUrl: string | null;
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
  readonly fleetView: FleetView;
  /** The last run of each fleet operation. */
  readonly runs: Readonly<Partial<Record<FleetOp, RunStatus>>>;
  /** Devices selected on the registration screen (serials). */
  readonly selectedDevices: readonly string[];
  readonly listeners: Readonly<Partial<Record<ListenerName, ListenerState>>>;
  /** Transport Gateways by ID (the mail screen's gateway rows). */
  readonly gateways: Readonly<Record<string, GatewayRow>>;
  readonly cases: readonly CaseSummary[];
  readonly notifications: readonly NotificationView[];
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
  // accounts-cli: who is logged in (null until GET /me answered, or without a back end) and the Admin screen.
  readonly session: SessionView | null;
  readonly admin: AdminState;
};

/** Everything that can change the state. */
export type ConsoleAction =
  | { readonly type: 'backend/events'; readonly events: readonly BackendEvent[] }
  | { readonly type: 'backend/connection'; readonly state: ConnectionState }
  | { readonly type: 'api/messages'; readonly mode: 'replace' | 'older'; readonly messages: readonly MessageSummary[]; readonly next: string | null }
  | { readonly type: 'api/messages-loading' }
  | { readonly type: 'api/detail'; readonly key: string; readonly doc: DetailDoc }
  | { readonly type: 'api/detail-failed'; readonly key: string; readonly message: string }
  | { readonly type: 'api/devices'; readonly devices: readonly DeviceRow[] }
  | { readonly type: 'api/cases'; readonly cases: readonly CaseSummary[] }
  | { readonly type: 'api/notifications'; readonly notifications: readonly NotificationView[] }
  | { readonly type: 'api/gateways'; readonly gateways: readonly GatewayRow[] }
  | { readonly type: 'fleet/hosts'; readonly hosts: readonly { name: string; address: string; serial: string | null; hostname: string | null }[] }
  | { readonly type: 'fleet/started'; readonly op: FleetOp; readonly hosts: readonly string[] }
  | { readonly type: 'fleet/result'; readonly op: FleetOp; readonly result: FleetHostResult }
  /** The run ended: hosts still marked running get no result and are counted failed. */
  | { readonly type: 'fleet/finished'; readonly op: FleetOp }
  | { readonly type: 'fleet/drift'; readonly host: string; readonly commands: readonly string[] | null }
  | { readonly type: 'verify/row'; readonly row: VerifyRow }
  | { readonly type: 'ui/screen'; readonly screen: ScreenName }
  | { readonly type: 'ui/prompt'; readonly prompt: Prompt }
  | { readonly type: 'ui/filter'; readonly filter: MessageFilter }
  | { readonly type: 'ui/move'; readonly delta: number; readonly length: number }
  | { readonly type: 'ui/open-detail'; readonly key: string }
  | { readonly type: 'ui/show-detail'; readonly key: string; readonly doc: DetailDoc }
  | { readonly type: 'ui/move-to'; readonly index: number; readonly length: number }
  | { readonly type: 'ui/fleet-view'; readonly view: Partial<FleetView> }
  | { readonly type: 'ui/toggle-device'; readonly serial: string }
  | { readonly type: 'ui/select-devices'; readonly serials: readonly string[] }
  | { readonly type: 'ui/close-detail' }
  | { readonly type: 'ui/scroll-detail'; readonly delta: number }
  | { readonly type: 'ui/toggle-host'; readonly host: string }
  | { readonly type: 'ui/select-hosts'; readonly hosts: readonly string[] }
  | { readonly type: 'ui/stats-host'; readonly host: string | null }
  | { readonly type: 'ui/notice'; readonly notice: Notice | null }
  | { readonly type: 'ui/quit' }
  // accounts-cli
  | { readonly type: 'api/session'; readonly session: SessionView | null }
  | { readonly type: 'api/admin'; readonly users?: readonly ApiUser[]; readonly tokens?: readonly ApiTokenInfo[]; readonly audit?: readonly ApiAuditEntry[] }
  | { readonly type: 'ui/admin-tab'; readonly tab: AdminTab };
