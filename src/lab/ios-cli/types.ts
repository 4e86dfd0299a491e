/** Types shared by the CLI engine and the device that hosts it (see index.ts for the API). */
import type { CallHomeConfig } from '../../domain/callhome.js';
import type { DeviceView } from '../show/index.js';
import type { CallHomeEngine, DeviceIdentity, LabEvent, SendOutcome, SessionState } from '../types.js';
import type { CommandForm, Values } from './grammar.js';

/** A CA trustpoint (`crypto pki trustpoint NAME`, spec §10.5). */
export type Trustpoint = {
  readonly name: string;
  readonly enrollmentTerminal: boolean;
  /** True once `crypto pki authenticate NAME` accepted a certificate. */
  readonly authenticated: boolean;
};

/** Everything the lab's configuration holds; what running and startup configuration are made of. */
export type RunningConfig = {
  readonly hostname: string;
  readonly callHome: CallHomeConfig;
  readonly trustpoints: readonly Trustpoint[];
  /** `ip http client source-interface IF` (global; spec §2.1). */
  readonly httpClientSourceInterface?: string;
};

/**
 * What the CLI needs from its device. The device owns the state shared by all sessions and
 * persists the startup configuration; the CLI only reads and replaces whole immutable values.
 */
export type CliDevice = {
  readonly identity: DeviceIdentity;
  /** The current running configuration. */
  running(): RunningConfig;
  /** Replaces the running configuration (the device then calls engine.configChanged()). */
  setRunning(next: RunningConfig): void;
  /** The saved startup configuration, or null when none was saved yet. */
  startup(): RunningConfig | null;
  /** Saves the running configuration as startup configuration (state directory). */
  saveStartup(): Promise<void>;
  /** True when the enable secret is right. */
  checkEnableSecret(secret: string): boolean;
  readonly engine: CallHomeEngine;
  /** Raises a lab event (`lab raise ...`): logs it as the device would and hands it to the engine. */
  raise(event: LabEvent): SendOutcome;
  /** A snapshot for the show renderers. */
  view(): DeviceView;
  /** Appends a line to the logging buffer. */
  log(line: string): void;
};

/**
 * What one input line produced. `output` is text with `\n` line ends (the session layer turns
 * them into `\r\n` and pages); the prompt to print next is `cli.prompt(session)`.
 */
export type CliResult =
  | { readonly kind: 'output'; readonly output: string }
  /** Read a line without echo (enable `Password: `), then call `submit`. */
  | { readonly kind: 'password'; readonly output: string; readonly prompt: string; submit(input: string): Promise<CliResult> }
  /** Read a line with echo (`Destination filename [startup-config]? `, certificate paste), then call `submit`. */
  | { readonly kind: 'input'; readonly output: string; readonly prompt: string; submit(input: string): Promise<CliResult> }
  /** Print `output`, then close the session (`exit`/`logout` from EXEC). */
  | { readonly kind: 'close'; readonly output: string };

/** What a handler may return: text (maybe empty) or a full result. */
export type CliOutcome = string | CliResult | undefined;

/** What a handler gets. */
export type CliContext = {
  readonly device: CliDevice;
  readonly session: SessionState;
  readonly values: Values;
  readonly form: CommandForm;
  /** The whole line as typed. */
  readonly line: string;
  /** Runs another line in the same session (used by `do`-style nesting and tests). */
  execute(line: string): Promise<CliResult>;
  /**
   * Prints text at once, before the command's result: IOS prints "Please wait…" before a slow probe,
   * and a client that waits for it must see it first. Under an output pipe it is filtered with the rest.
   */
  progress(text: string): void;
};
