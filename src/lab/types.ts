/**
 * Contracts between the parts of the device lab, so they can be built and tested separately:
 * - the IOS CLI engine (src/lab/ios-cli/): parser, modes, configuration and exec commands;
 * - the device and its SSH server (src/lab/device.ts, src/lab/ssh/, src/lab/show/): sessions, show output, persistence, faults;
 * - the Call Home engine (src/lab/engine/): event routing, message rendering, delivery, statistics.
 */
import type { AlertGroup, CallHomeConfig } from '../domain/callhome.js';
import type { CallHomeStatistics } from '../domain/statistics.js';

/** What makes a simulated device distinct; persisted in the state directory. */
export type DeviceIdentity = {
  /** Inventory name, e.g. `r1`. */
  readonly name: string;
  /** IOS hostname, e.g. `R1`. */
  readonly hostname: string;
  /** Chassis serial, also `Processor board ID`. */
  readonly serial: string;
  /** Model / PID, e.g. `CSR1000V`, `ISR4451-X/K9`, `C9300-48P`. */
  readonly model: string;
  /** Product series as `ch:Series` carries it, e.g. `CSR1000v Cloud Services Router`. */
  readonly series: string;
  /** Software version, e.g. `17.3.4a` (IOS XE) or `15.2(4)M11` (classic IOS); it decides the train. */
  readonly softwareVersion: string;
  readonly hardwareVersion: string;
  readonly partNumber: string;
  readonly systemObjectId: string;
};

/** Where a session is in the IOS mode tree (ios-call-home.md §1). */
export type CliMode =
  | { readonly kind: 'user' }
  | { readonly kind: 'privileged' }
  | { readonly kind: 'config' }
  | { readonly kind: 'call-home' }
  | { readonly kind: 'profile'; readonly profile: string }
  | { readonly kind: 'snapshot' }
  /** IOS XE `(cfg-call-home-diag-sign)#`. */
  | { readonly kind: 'diagnostic-signature' }
  | { readonly kind: 'trustpoint'; readonly name: string };

/** Per-session terminal state; the device's configuration is shared by every session. */
export type SessionState = {
  mode: CliMode;
  terminalLength: number;
  terminalWidth: number;
};

/** A lab-raised event (ios-call-home.md §4.2, checklist C65). */
export type LabEvent =
  | { readonly kind: 'diagnostic'; readonly severity: number; readonly eventName: string; readonly description: string; readonly slot?: string }
  | { readonly kind: 'environment'; readonly severity: number; readonly eventName: string; readonly description: string }
  /** A syslog line; the Call Home severity is 7 − syslogLevel. */
  | { readonly kind: 'syslog'; readonly facility: string; readonly syslogLevel: number; readonly mnemonic: string; readonly text: string }
  | { readonly kind: 'crash'; readonly eventName: 'SYSTEM_CRASH' | 'TRACEBACK'; readonly description: string }
  | { readonly kind: 'configuration'; readonly description: string }
  | { readonly kind: 'inventory'; readonly eventName: 'COLD_BOOT' | 'FRU_INSERT' | 'FRU_REMOVE'; readonly description: string };

/** What a triggered send did, for the CLI to print (IOS prints errors only). */
export type SendOutcome =
  | { readonly kind: 'queued'; readonly profiles: readonly string[] }
  | { readonly kind: 'rejected'; readonly message: string };

/** One mail server as `show call-home mail-server status` reports it. */
export type MailServerStatus = { readonly host: string; readonly priority: number; readonly available: boolean };

/** What the Call Home engine needs from its device. */
export type EngineHost = {
  readonly identity: DeviceIdentity;
  /** The current running Call Home configuration. */
  config(): CallHomeConfig;
  /** Runs an exec command as Call Home does for attachments: echo, output, prompt. */
  capture(command: string): Promise<string>;
  /** Device clock (may be offset from the host clock). */
  now(): Date;
  /** Appends a line to the device log (`show logging`). */
  log(line: string): void;
  /** TCP port used to reach `mail-server` hosts (IOS always uses 25; the lab makes it configurable). */
  readonly smtpPort: number;
  /** The running `hostname` when it differs from identity.hostname (optional; defaults to identity.hostname). */
  hostname?(): string;
};

/** The Call Home client of one device. The CLI calls it; it never calls the CLI except through EngineHost. */
export interface CallHomeEngine {
  /** Routes a raised event through the configuration (C62) and queues deliveries. */
  raise(event: LabEvent): SendOutcome;
  /** `call-home test ["text"] profile NAME` (C45). */
  test(profile: string, text?: string): SendOutcome;
  /** `call-home send alert-group GROUP [profile NAME]` (C46–C49). */
  sendAlertGroup(group: AlertGroup, options: { readonly profile?: string; readonly module?: string }): SendOutcome;
  /** `call-home request KIND ["cmd"] [profile NAME] [ccoid ID]` (C50, C51). */
  request(kind: 'output-analysis' | 'config-sanity' | 'bugs-list' | 'command-reference' | 'product-advisory', options: { readonly command?: string; readonly profile?: string; readonly ccoid?: string }): SendOutcome;
  /** `call-home send "cmd;cmd" {email ADDR [msg-format F] | http [destination-email-address A] | tac-service-request SR}` (C52–C54). */
  sendCli(commands: readonly string[], target: { readonly email?: string; readonly format?: 'long-text' | 'xml'; readonly http?: boolean; readonly destinationEmail?: string; readonly serviceRequest?: string }): SendOutcome;
  /** `call-home reporting ...` finished: sends the anonymous or full inventory (C9, C10). */
  reportingEnabled(mode: 'anonymous' | 'full'): SendOutcome;
  /** Counters for `show call-home statistics` (C60). */
  statistics(): CallHomeStatistics;
  /** When the subscription of `profile` to `group` last fired (alert or periodic), in Call Home time; undefined if never. */
  lastTriggered(profile: string, group: AlertGroup): string | undefined;
  /** Probes every configured mail server over SMTP (C58). */
  probeMailServers(): Promise<readonly MailServerStatus[]>;
  /** The running configuration changed: reschedule periodic messages. */
  configChanged(): void;
  /** Resolves once every queued delivery has finished (tests and clean shutdown). */
  idle(): Promise<void>;
  /** Stops timers and drops the queue. */
  close(): Promise<void>;
}
