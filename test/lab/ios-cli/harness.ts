/**
 * An in-memory CliDevice for driving the interpreter directly. The Call Home engine is a recorder
 * with exact expectations (the real engine has its own tests); everything else is real CLI code.
 */
import { defaultCallHomeConfig, trainOfVersion, type AlertGroup } from '../../../src/domain/callhome.js';
import type { CallHomeStatistics } from '../../../src/domain/statistics.js';
import { createCli, newSessionState, type Cli, type CliDevice, type CliResult, type RunningConfig } from '../../../src/lab/ios-cli/index.js';
import type { DeviceView } from '../../../src/lab/show/index.js';
import type { CallHomeEngine, DeviceIdentity, LabEvent, SendOutcome, SessionState } from '../../../src/lab/types.js';

/** The harness device runs classic IOS 15.x, the train of the guide's examples; XE_IDENTITY runs IOS XE. */
export const IDENTITY: DeviceIdentity = {
  name: 'r1',
  hostname: 'R1',
  serial: '9ABCDEF1234',
  model: 'CISCO2911/K9',
  series: 'Cisco 2911 Integrated Services Router',
  softwareVersion: '15.2(4)M11',
  hardwareVersion: '1.0',
  partNumber: '73-1234-01',
  systemObjectId: '1.3.6.1.4.1.9.1.1045',
};

/** The same device on IOS XE 17.x. */
export const XE_IDENTITY: DeviceIdentity = {
  ...IDENTITY,
  model: 'CSR1000V',
  series: 'CSR1000v Cloud Services Router',
  softwareVersion: '17.3.4a',
  systemObjectId: '1.3.6.1.4.1.9.1.1537',
};

/** One recorded engine call. */
export type EngineCall = { readonly method: string; readonly args: readonly unknown[] };

const EMPTY_STATS: CallHomeStatistics = { sections: { success: {}, inQueue: {}, failed: {}, ratelimitDropped: {} }, lastSent: null };

/** A test device: real running/startup state in memory, a recording engine. */
export class TestDevice implements CliDevice {
  readonly calls: EngineCall[] = [];
  readonly logLines: string[] = [];
  readonly events: LabEvent[] = [];
  private current: RunningConfig;
  private saved: RunningConfig | null = null;
  configChanges = 0;
  /** What the engine answers to the next sends. */
  nextOutcome: SendOutcome = { kind: 'queued', profiles: ['CiscoTAC-1'] };

  constructor(readonly identity: DeviceIdentity = IDENTITY) {
    this.current = { hostname: identity.hostname, callHome: defaultCallHomeConfig(identity.serial, trainOfVersion(identity.softwareVersion)), trustpoints: [] };
  }

  readonly engine: CallHomeEngine = {
    raise: (event) => this.record('raise', event),
    test: (profile, text) => this.record('test', profile, text),
    sendAlertGroup: (group: AlertGroup, options) => this.record('sendAlertGroup', group, options),
    request: (kind, options) => this.record('request', kind, options),
    sendCli: (commands, target) => this.record('sendCli', commands, target),
    reportingEnabled: (mode) => this.record('reportingEnabled', mode),
    statistics: () => EMPTY_STATS,
    lastTriggered: () => undefined,
    probeMailServers: () => Promise.resolve(this.current.callHome.mailServers.map((m) => ({ host: m.host, priority: m.priority, available: true }))),
    configChanged: () => {
      this.configChanges += 1;
    },
    idle: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };

  private record(method: string, ...args: unknown[]): SendOutcome {
    this.calls.push({ method, args });
    return this.nextOutcome;
  }

  running(): RunningConfig {
    return this.current;
  }
  setRunning(next: RunningConfig): void {
    this.current = next;
    this.engine.configChanged();
  }
  startup(): RunningConfig | null {
    return this.saved;
  }
  saveStartup(): Promise<void> {
    this.saved = this.current;
    return Promise.resolve();
  }
  checkEnableSecret(secret: string): boolean {
    return secret === 'cisco';
  }
  raise(event: LabEvent): SendOutcome {
    this.events.push(event);
    return this.engine.raise(event);
  }
  view(): DeviceView {
    return {
      identity: this.identity,
      hostname: this.current.hostname,
      config: this.current.callHome,
      statistics: EMPTY_STATS,
      now: new Date('2026-01-02T03:04:05Z'),
      uptimeSeconds: 3600,
      logLines: this.logLines,
      probeMailServers: () => this.engine.probeMailServers(),
    };
  }
  log(line: string): void {
    this.logLines.push(line);
  }
}

/** A device, its CLI and one session, with helpers that run lines and answer prompts. */
export class Harness {
  readonly device: TestDevice;
  readonly cli: Cli;

  constructor(identity: DeviceIdentity = IDENTITY) {
    this.device = new TestDevice(identity);
    this.cli = createCli(this.device);
  }

  readonly session: SessionState = newSessionState();

  /** The prompt now. */
  prompt(): string {
    return this.cli.prompt(this.session);
  }

  /** Runs a line and returns the raw result. */
  run(line: string): Promise<CliResult> {
    return this.cli.execute(line, this.session);
  }

  /** Runs a line that must produce plain output; returns it. */
  async out(line: string): Promise<string> {
    const r = await this.run(line);
    if (r.kind !== 'output') throw new Error(`expected output from "${line}", got ${r.kind}`);
    return r.output;
  }

  /** Runs lines that must all succeed silently (configuration). */
  async ok(...lines: string[]): Promise<void> {
    for (const line of lines) {
      const o = await this.out(line);
      if (o !== '' && !o.startsWith('Enter configuration commands')) throw new Error(`"${line}" printed:\n${o}`);
    }
  }

  /** Goes to privileged EXEC through `enable`. */
  async enable(): Promise<void> {
    const r = await this.run('enable');
    if (r.kind !== 'password') throw new Error('enable did not ask for a password');
    const done = await r.submit('cisco');
    if (done.kind !== 'output' || this.session.mode.kind !== 'privileged') throw new Error('enable failed');
  }

  /**
   * Replays a transcript in the guide's form (`Device(cfg-call-home)# command`): checks that the
   * prompt matches the mode before each line, with the hostname replaced.
   */
  async transcript(text: string): Promise<string[]> {
    const outputs: string[] = [];
    for (const raw of text.split('\n')) {
      const m = /^\s*\S*?((?:\([a-z-]+\))?[#>])\s?(.*)$/.exec(raw);
      if (!m || raw.trim() === '') continue;
      const [, modePart = '', command = ''] = m;
      const expected = `${this.device.running().hostname}${modePart}`;
      if (this.prompt() !== expected) throw new Error(`before "${command}": prompt is ${this.prompt()}, transcript says ${expected}`);
      const r = await this.run(command);
      if (r.kind === 'input') {
        const done = await r.submit('');
        outputs.push(done.kind === 'output' ? done.output : '');
      } else {
        outputs.push(r.kind === 'output' ? r.output : '');
      }
    }
    return outputs;
  }
}
