/**
 * One simulated IOS device: identity, running and startup configuration (shared by every
 * session), logging buffer, clock, the Call Home engine and the faults the lab injects.
 * It implements the narrow CliDevice interface the CLI interpreter needs.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { defaultCallHomeConfig } from '../domain/callhome.js';
import { trainOf } from './identity.js';
import { createCli, type Cli } from './ios-cli/index.js';
import type { CliDevice, RunningConfig } from './ios-cli/types.js';
import { createCallHomeEngine, type CallHomeEngineOptions } from './engine/index.js';
import { assertNever } from '../util/assert-never.js';
import { saveStartupConfig } from './persistence.js';
import { logTimestamp, type DeviceView } from './show/index.js';
import type { CallHomeEngine, DeviceIdentity, LabEvent, SendOutcome, SessionState } from './types.js';

/** Faults the lab can inject per device (contract 1). */
export type DeviceFaults = {
  /** Delay every response by this many milliseconds. */
  readonly slowMs?: number;
  /**
   * Round-trip time of the link, milliseconds: everything the device sends on a connection (the SSH
   * handshake included) reaches the client this much later, as over a WAN. Read when a connection opens.
   */
  readonly rttMs?: number;
  /**
   * Characters the terminal holds while a command runs; typed-ahead input beyond them is lost, as on
   * a device whose input buffer overflows. Unset: no limit.
   */
  readonly typeaheadChars?: number;
  /**
   * Input that reaches an interactive session within this many milliseconds of its start (before and
   * just after the first prompt) is lost, as on a device that flushes its input while the session
   * starts: a line typed ahead with the shell request never runs.
   */
  readonly startupInputLostMs?: number;
  /** Input typed ahead while a password (the enable secret) is checked is lost, as on a device that flushes its input after reading a password. */
  readonly passwordFlushesInput?: boolean;
  /** Reject every login. */
  readonly refuseLogin?: boolean;
  /** Answer this many commands on a connection (interactive lines or exec requests), then close it. */
  readonly dropAfterCommands?: number;
  /** Serve a different host key than the one in known_hosts. */
  readonly changedHostKey?: boolean;
  /** Close the listening socket (connections are refused). */
  readonly unreachable?: boolean;
  /** Lines appended to a command's output, by the command as typed: a release printing a field we do not know. */
  readonly extraOutput?: Readonly<Record<string, string>>;
};

/** The interpreter a device runs its sessions with. */
export type LabCli = Cli;

/** Builds the interpreter for a device (tests may pass a smaller one). */
export type CliFactory = (device: CliDevice) => LabCli;

export type LabDeviceOptions = {
  readonly identity: DeviceIdentity;
  readonly stateDir: string;
  /** Saved startup configuration to boot with, or null for the factory configuration. */
  readonly startup: RunningConfig | null;
  readonly enableSecret: string;
  /** TCP port for `mail-server` hosts (IOS uses 25). */
  readonly smtpPort: number;
  /** Default: the lab's IOS CLI (src/lab/ios-cli). */
  readonly cli?: CliFactory;
  readonly engine?: CallHomeEngineOptions;
  readonly faults?: DeviceFaults;
  /** Offset of the device clock from the host clock. */
  readonly clockOffsetMs?: number;
};

/** Lines kept in the logging buffer. */
const LOG_BUFFER_LINES = 1000;

function factoryConfig(identity: DeviceIdentity): RunningConfig {
  return { hostname: identity.hostname, callHome: defaultCallHomeConfig(identity.serial, trainOf(identity)), trustpoints: [] };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The privilege level of a session's mode (user EXEC 1, everything else 15). */
export function privilegeOf(session: SessionState): number {
  return session.mode.kind === 'user' ? 1 : 15;
}

/** The CLI with the `extraOutput` fault applied to plain output. */
function withExtraOutput(cli: LabCli, extra: () => DeviceFaults['extraOutput']): LabCli {
  return {
    ...cli,
    prompt: (session) => cli.prompt(session),
    help: (line, session) => cli.help(line, session),
    async execute(line, session, progress) {
      const result = await cli.execute(line, session, progress);
      const more = extra()?.[line.trim()];
      return more !== undefined && result.kind === 'output' ? { ...result, output: result.output + more } : result;
    },
  };
}

/** One simulated device. */
export class LabDevice implements CliDevice {
  readonly identity: DeviceIdentity;
  readonly engine: CallHomeEngine;
  readonly cli: LabCli;
  readonly bootTime: Date;
  private runningConfig: RunningConfig;
  private startupConfig: RunningConfig | null;
  private readonly logBuffer: string[] = [];
  private currentFaults: DeviceFaults;
  private readonly faultListeners = new Set<(f: DeviceFaults) => void>();
  private readonly enableDigest: Buffer;

  constructor(private readonly options: LabDeviceOptions) {
    this.identity = options.identity;
    this.startupConfig = options.startup;
    this.runningConfig = options.startup ?? factoryConfig(options.identity);
    this.currentFaults = options.faults ?? {};
    this.enableDigest = digest(options.enableSecret);
    this.bootTime = this.now();
    this.cli = withExtraOutput((options.cli ?? createCli)(this), () => this.currentFaults.extraOutput);
    this.engine = createCallHomeEngine(
      {
        identity: this.identity,
        config: () => this.runningConfig.callHome,
        capture: (command) => this.capture(command),
        now: () => this.now(),
        log: (line) => this.log(line),
        smtpPort: options.smtpPort,
      },
      options.engine,
    );
  }

  /** Device clock. */
  now(): Date {
    return new Date(Date.now() + (this.options.clockOffsetMs ?? 0));
  }

  running(): RunningConfig {
    return this.runningConfig;
  }

  setRunning(next: RunningConfig): void {
    const callHomeChanged = next.callHome !== this.runningConfig.callHome;
    this.runningConfig = next;
    if (callHomeChanged) this.engine.configChanged();
  }

  startup(): RunningConfig | null {
    return this.startupConfig;
  }

  async saveStartup(): Promise<void> {
    const snapshot = this.runningConfig;
    await saveStartupConfig(this.options.stateDir, this.identity.name, snapshot);
    this.startupConfig = snapshot;
  }

  checkEnableSecret(secret: string): boolean {
    // Compare digests so neither the length nor the content leaks through timing.
    return timingSafeEqual(digest(secret), this.enableDigest);
  }

  raise(event: LabEvent): SendOutcome {
    this.log(logLineFor(event));
    return this.engine.raise(event);
  }

  log(line: string): void {
    this.logBuffer.push(`*${logTimestamp(this.now())}: ${line}`);
    if (this.logBuffer.length > LOG_BUFFER_LINES) this.logBuffer.splice(0, this.logBuffer.length - LOG_BUFFER_LINES);
  }

  view(): DeviceView {
    const now = this.now();
    return {
      identity: this.identity,
      hostname: this.runningConfig.hostname,
      config: this.runningConfig.callHome,
      statistics: this.engine.statistics(),
      now,
      uptimeSeconds: Math.max(0, Math.floor((now.getTime() - this.bootTime.getTime()) / 1000)),
      logLines: [...this.logBuffer],
      probeMailServers: () => this.engine.probeMailServers(),
      lastTriggered: (profile, group) => this.engine.lastTriggered(profile, group),
    };
  }

  /** Current faults. */
  faults(): DeviceFaults {
    return this.currentFaults;
  }

  /** Replaces the faults; the SSH server reacts at once (e.g. stops listening when unreachable). */
  setFaults(faults: DeviceFaults): void {
    this.currentFaults = faults;
    for (const listener of this.faultListeners) listener(faults);
  }

  /** Calls `listener` whenever the faults change; returns the unsubscribe function. */
  onFaultsChanged(listener: (f: DeviceFaults) => void): () => void {
    this.faultListeners.add(listener);
    return () => this.faultListeners.delete(listener);
  }

  /** Runs an exec command at privilege 15 the way Call Home collects attachments. */
  async capture(command: string): Promise<string> {
    const session: SessionState = { mode: { kind: 'privileged' }, terminalLength: 0, terminalWidth: 80 };
    const prompt = this.cli.prompt(session);
    try {
      const result = await this.cli.execute(command, session);
      return `${prompt}${command}\n${result.output}${prompt}`;
    } catch (error) {
      return `${prompt}${command}\n% Command failed: ${(error as Error).message}\n${prompt}`;
    }
  }

  /** Stops the engine's timers and queue. */
  async close(): Promise<void> {
    await this.engine.close();
  }
}

/** The log line IOS would print for a raised event. */
function logLineFor(event: LabEvent): string {
  switch (event.kind) {
    case 'syslog':
      return `%${event.facility}-${Math.max(0, Math.min(7, Math.trunc(event.syslogLevel)))}-${event.mnemonic}: ${event.text}`;
    case 'diagnostic':
      return `%DIAG-3-${event.eventName}: ${event.description}`;
    case 'environment':
      return `%ENVIRONMENT-3-${event.eventName}: ${event.description}`;
    case 'crash':
      return `%SYS-2-${event.eventName}: ${event.description}`;
    case 'configuration':
      return `%SYS-5-CONFIG_I: ${event.description}`;
    case 'inventory':
      return `%IOSXE_OIR-6-${event.eventName}: ${event.description}`;
    default:
      return assertNever(event, 'lab event');
  }
}
