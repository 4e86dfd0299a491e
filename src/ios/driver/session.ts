/**
 * An interactive IOS CLI session over an ssh2 shell, driven as netmiko does: find the prompt,
 * `enable`, paging off, then every read waits for the prompt (or an expected pattern) with a timeout.
 */
import type { ClientChannel } from 'ssh2';
import { connectSsh, type ConnectOptions, type SshConnection, type SshTarget } from './connect.js';
import { CliError, DeviceError } from './errors.js';
import { ANY_PROMPT, cleanTerminalText, findErrorLine, hostPrompt, readPrompt, type PromptMode } from './prompt.js';
import { Transcript } from './transcript.js';

/** Options of one command. */
export type SendOptions = {
  /** Stop reading when the output matches this instead of the prompt (e.g. a confirmation question). */
  readonly expect?: RegExp;
  /** Read timeout for this command; default the session's. */
  readonly timeoutMs?: number;
  /** Do not echo the text into the transcript (passwords). */
  readonly secret?: boolean;
  /** Return `%` lines as output instead of throwing CliError. */
  readonly allowErrors?: boolean;
};

export type SessionOptions = ConnectOptions & {
  /** Default per-command read timeout, milliseconds. */
  readonly commandTimeoutMs: number;
  /** Secret for `enable` when the login lands in user EXEC. */
  readonly enableSecret?: string | undefined;
  readonly transcript?: Transcript;
};

type Waiter = {
  readonly patterns: readonly RegExp[];
  readonly resolve: (index: number) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
};

/** Largest reply read before giving up on a prompt. */
const MAX_REPLY_CHARS = 32 * 1024 * 1024;

/** The text after the last newline (a prompt has no newline after it). */
function lastLine(text: string): string {
  return text.slice(text.lastIndexOf('\n') + 1);
}

/** One logged-in IOS CLI session in privileged EXEC. */
export class IosSession {
  private buffer = '';
  private waiter: Waiter | null = null;
  private closedReason: string | null = null;
  private promptPattern: RegExp = ANY_PROMPT;
  private currentPrompt = '';
  /** IOS hostname read from the first prompt. */
  hostname = '';

  private constructor(
    private readonly target: SshTarget,
    private readonly connection: SshConnection,
    private readonly channel: ClientChannel,
    private readonly options: SessionOptions,
    /** Masked record of the dialogue. */
    readonly transcript: Transcript,
  ) {
    channel.on('data', (chunk: Buffer) => this.onData(chunk.toString('utf8')));
    channel.stderr.on('data', (chunk: Buffer) => this.onData(chunk.toString('utf8')));
    channel.on('close', () => this.onClosed('the device closed the session'));
    connection.client.on('close', () => this.onClosed('the connection closed'));
  }

  /** Connects, waits for the first prompt past any banner, enters privileged EXEC and turns paging off. */
  static async open(target: SshTarget, options: SessionOptions): Promise<IosSession> {
    const transcript = options.transcript ?? new Transcript();
    transcript.addSecret(target.credentials.password);
    transcript.addSecret(options.enableSecret);
    const connection = await connectSsh(target, options);
    let channel: ClientChannel;
    try {
      channel = await new Promise<ClientChannel>((resolve, reject) => {
        connection.client.shell({ term: 'vt100', cols: 511, rows: 24 }, (error, stream) => (error ? reject(error) : resolve(stream)));
      });
    } catch (error) {
      connection.close();
      throw new DeviceError('unreachable', `${target.name}: the device refused a shell (${(error as Error).message})`);
    }
    const session = new IosSession(target, connection, channel, options, transcript);
    try {
      await session.prepare();
    } catch (error) {
      session.close();
      throw error;
    }
    return session;
  }

  /** The prompt line the device printed last, e.g. `R1(cfg-call-home)#`. */
  get prompt(): string {
    return this.currentPrompt;
  }

  /** False once the device or callhome closed the session. */
  get isOpen(): boolean {
    return this.closedReason === null;
  }

  /** The mode the last prompt shows. */
  get mode(): PromptMode | null {
    return readPrompt(this.currentPrompt)?.mode ?? null;
  }

  private async prepare(): Promise<void> {
    // Banner and MOTD come first; the first line that looks like a prompt ends them.
    await this.waitFor([ANY_PROMPT], this.options.commandTimeoutMs, 'the first prompt');
    this.takePrompt();
    const seen = readPrompt(this.currentPrompt);
    if (!seen) throw new DeviceError('parse', `${this.target.name}: cannot read the prompt "${this.currentPrompt}"`);
    this.hostname = seen.hostname;
    this.promptPattern = hostPrompt(seen.hostname);
    if (seen.mode === 'user') await this.enable();
    await this.send('terminal length 0');
    await this.send('terminal width 511');
  }

  private async enable(): Promise<void> {
    const secret = this.options.enableSecret;
    if (secret === undefined) {
      throw new DeviceError('auth', `${this.target.name}: the login lands in user EXEC (${this.currentPrompt}) and no enable secret is set`);
    }
    const reply = await this.send('enable', { expect: /[Pp]assword:\s*$/, allowErrors: true });
    if (/[Pp]assword:\s*$/.test(reply)) await this.send(secret, { secret: true, allowErrors: true });
    if (this.mode !== 'privileged') {
      throw new DeviceError('auth', `${this.target.name}: the enable secret is not accepted (the prompt is still ${this.currentPrompt})`);
    }
  }

  /**
   * Sends one line and reads until the prompt (or `expect`). Returns the output without the echo and
   * the prompt. A `%` error line throws CliError naming the command, unless `allowErrors`.
   */
  async send(command: string, options: SendOptions = {}): Promise<string> {
    if (this.closedReason) throw new DeviceError('session-closed', `${this.target.name}: ${this.closedReason} before "${command}"`);
    this.buffer = '';
    this.transcript.sent(`${command}\n`, options.secret === true);
    this.channel.write(`${command}\n`);
    const patterns = options.expect ? [options.expect, this.promptPattern] : [this.promptPattern];
    const what = options.secret ? 'the enable secret' : `"${command}"`;
    const matched = await this.waitFor(patterns, options.timeoutMs ?? this.options.commandTimeoutMs, `the reply to ${what}`);
    const raw = this.buffer;
    const promptMatched = patterns[matched] === this.promptPattern;
    if (promptMatched) this.takePrompt();
    const output = stripEcho(promptMatched ? raw.slice(0, raw.lastIndexOf('\n') + 1) : raw, options.secret ? '' : command).replace(/\n+$/, '');
    if (!options.allowErrors) {
      const errorLine = findErrorLine(output);
      if (errorLine) throw new CliError(command, errorLine, output);
    }
    return output;
  }

  /**
   * Enters configuration mode, sends each command and returns to privileged EXEC. Stops at the first `%`
   * error (after leaving configuration mode) and throws CliError; `applied` tells how far it got.
   */
  async configure(commands: readonly string[], onApplied?: (command: string) => void): Promise<void> {
    await this.send('configure terminal');
    try {
      for (const command of commands) {
        await this.send(command);
        onApplied?.(command);
      }
    } finally {
      if (!this.closedReason && this.mode === 'config') await this.send('end', { allowErrors: true });
    }
  }

  /** Saves the running configuration, answering the `Destination filename [startup-config]?` question. */
  async save(): Promise<string> {
    const reply = await this.send('copy running-config startup-config', { expect: /\[startup-config\]\?\s*$/ });
    if (/\[startup-config\]\?\s*$/.test(reply)) return this.send('');
    return reply;
  }

  /** Closes the session and whatever it rides on. */
  close(reason = 'the session was closed'): void {
    this.onClosed(reason);
    this.connection.close();
  }

  private takePrompt(): void {
    this.currentPrompt = lastLine(this.buffer).trim();
  }

  private onData(text: string): void {
    this.transcript.received(text);
    this.buffer += cleanTerminalText(text);
    if (this.buffer.length > MAX_REPLY_CHARS) {
      // A device that never prints its prompt must not grow memory until the timeout.
      const waiter = this.waiter;
      this.waiter = null;
      this.buffer = '';
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.reject(new DeviceError('parse', `${this.target.name}: the reply exceeds ${MAX_REPLY_CHARS} characters without a prompt`));
      }
      return;
    }
    this.check();
  }

  private check(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const tail = lastLine(this.buffer);
    for (let index = 0; index < waiter.patterns.length; index++) {
      const pattern = waiter.patterns[index];
      // Prompts must stand alone on the last line; other patterns may span the output.
      const subject = pattern === this.promptPattern || pattern === ANY_PROMPT ? tail : this.buffer;
      if (pattern?.test(subject)) {
        this.waiter = null;
        clearTimeout(waiter.timer);
        waiter.resolve(index);
        return;
      }
    }
  }

  private onClosed(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      clearTimeout(waiter.timer);
      waiter.reject(new DeviceError('session-closed', `${this.target.name}: ${reason} while waiting for a reply`));
    }
  }

  private waitFor(patterns: readonly RegExp[], timeoutMs: number, what: string): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closedReason) {
        reject(new DeviceError('session-closed', `${this.target.name}: ${this.closedReason} while waiting for ${what}`));
        return;
      }
      const timer = setTimeout(() => {
        this.waiter = null;
        this.transcript.note(`timeout waiting for ${what}`);
        // The late reply would pass for the reply to the next command: this session is out of step for good.
        this.close(`the session was closed when ${what} did not come within ${timeoutMs} ms`);
        reject(new DeviceError('timeout', `${this.target.name}: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = { patterns, resolve, reject, timer };
      this.check();
    });
  }
}

function stripEcho(text: string, command: string): string {
  const newline = text.indexOf('\n');
  const first = newline < 0 ? text : text.slice(0, newline);
  if (command === '' ? first.trim() === '' : first.trimEnd().endsWith(command.trim())) {
    return newline < 0 ? '' : text.slice(newline + 1);
  }
  return text;
}
