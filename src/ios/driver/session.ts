/**
 * An interactive IOS CLI session over an ssh2 shell: find the prompt, `enable`, paging off, then
 * exchanges of one or more command lines.
 *
 * Pipelined mode (the default) writes several lines at once, as a paste would, keeping at most
 * `windowBytes` unanswered on the wire (the device's terminal input buffer), and splits what comes
 * back by prompt: IOS prints each next prompt followed by the echo of the next line, so
 * `R1(config)#contact-email-addr x` both ends one line's reply and starts the next one, and every
 * `%` error is attributed to the line whose reply holds it. Line-by-line mode writes one line and
 * waits for its prompt, and is chosen for the rest of the process when a device shows that it
 * cannot take typed-ahead input (it stalls on a partly echoed line or echoes something else).
 *
 * Reading is linear in the reply: text is split into lines as it arrives, only the last,
 * unfinished line is matched against the prompt, and a reply is capped (`maxReplyChars`).
 */
import type { ClientChannel } from 'ssh2';
import { connectSsh, type ConnectOptions, type SshConnection, type SshTarget } from './connect.js';
import { CliError, DeviceError } from './errors.js';
import { ANY_PROMPT, cleanTerminalText, hostPrompt, isErrorLine, readPrompt, type PromptMode } from './prompt.js';
import { openShell, type OpenedShell } from './shell.js';
import { Transcript } from './transcript.js';

/** Options of one command. */
export type SendOptions = {
  /** Stop reading when the last line matches this instead of the prompt (e.g. a confirmation question). */
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
  /** One line per round trip, never typed ahead (`--line-by-line`). */
  readonly lineByLine?: boolean | undefined;
  /** Unanswered bytes the session keeps on the wire in pipelined mode; default DEFAULT_WINDOW_BYTES. */
  readonly windowBytes?: number | undefined;
  /**
   * Pipelined: answer enable's `Password:` in the same write as the first commands (paging off and the
   * task's first read) instead of on its own, one round trip less. open() then returns before the
   * device took the secret, and a refused secret fails the first command (kind `auth`, the session
   * closed). The secret itself is still sent only after the device asked for it.
   */
  readonly secretWithFirstCommands?: boolean | undefined;
  /** Longest reply to one exchange, characters; default 16 MiB. */
  readonly maxReplyChars?: number | undefined;
};

/** The reply to one line of an exchange. */
export type LineReply = {
  readonly command: string;
  /** What the device printed for it, without the echo and the prompt. */
  readonly output: string;
  /** Its first `%` error line, or null. */
  readonly errorLine: string | null;
  /** False when the line was never sent (an earlier line failed). */
  readonly sent: boolean;
};

/** Default of SessionOptions.maxReplyChars. */
export const DEFAULT_MAX_REPLY_CHARS = 16 * 1024 * 1024;
/**
 * Default of SessionOptions.windowBytes: 2 KiB, so a usual call-home change with its read-back (about
 * 1.1 KiB for the docs/cli.md example) goes out in one write instead of costing a round trip more.
 * Assumed: over SSH, IOS holds that much typed-ahead input (the SSH channel's flow control stands
 * behind the vty's input queue, as when a configuration is pasted). A device that loses input typed
 * ahead is noticed (see armStall) and driven line by line from then on.
 */
export const DEFAULT_WINDOW_BYTES = 2048;
/** A prompt is never longer than this (a 63-character hostname and a sub-mode); longer tails are not matched. */
const MAX_PROMPT_CHARS = 256;
/** Quiet time after which a pipelined exchange stuck on a partly echoed line is taken for a device that drops typed-ahead input. */
const STALL_MS = 1500;
/** Text kept from output that arrives between exchanges, to name it in an error. */
const STRAY_KEEP_CHARS = 200;

const ENABLE = 'enable';
const ASKS_PASSWORD = /[Pp]assword:\s*$/;
const SECRET_REFUSED = /%\s*(Bad secrets|Access denied)[^\n]*/i;
/**
 * Devices (host:port) that dropped input typed ahead during the login (`enable` sent with the shell
 * request, or the lines sent behind the enable secret): later sessions log in one step at a time.
 */
const loginTypeaheadLost = new Set<string>();

/** Typed after read-only commands (see runPipelined); idempotent once paging is off. */
const GUARD_LINE = 'terminal length 0';
const SHOW_COMMAND = /^\s*show\s/i;
/** Devices (host:port) that showed they cannot take pipelined input: later sessions go line by line. */
const lineByLineTargets = new Set<string>();

type Step = {
  readonly command: string;
  /** Secret lines are not echoed. */
  readonly secret: boolean;
  /** The enable secret, answering `Password:`: a refusal or a prompt other than privileged EXEC ends the session. */
  readonly enableAnswer?: boolean;
  readonly lines: string[];
  echoSeen: boolean;
  errorLine: string | null;
  sent: boolean;
  done: boolean;
};

type Exchange = {
  readonly steps: Step[];
  /** Steps written so far. */
  sent: number;
  /** The step whose reply is being read. */
  current: number;
  /** After a `%` error: write no further line. */
  stopped: boolean;
  readonly stopOnError: boolean;
  readonly expect: RegExp | undefined;
  readonly timeoutMs: number;
  /** Characters read in this exchange. */
  chars: number;
  expectMatched: boolean;
  timer: NodeJS.Timeout | null;
  stallTimer: NodeJS.Timeout | null;
  /** A Ctrl-U was sent to learn whether typed-ahead input was lost (see armStall). */
  probing: boolean;
  /** The first line was typed ahead of the first prompt: lines before its echo are the banner (see firstPromptWithEnable). */
  awaitingEcho: boolean;
  /** The first prompt came and stayed without the typed-ahead line's echo: the device dropped it. */
  typedAheadLost: boolean;
  /** Waits for the quiet that shows typed-ahead login input was dropped (armLostEcho, armLostAfterSecret). */
  lostTimer: NodeJS.Timeout | null;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
};

function newStep(command: string, secret: boolean): Step {
  return { command, secret, lines: [], echoSeen: secret, errorLine: null, sent: false, done: false };
}

function echoMatches(line: string, command: string): boolean {
  return line.trimEnd().endsWith(command.trim());
}

/** Applies backspaces as a terminal shows them (`x\b \b` erases x). */
function applyBackspaces(line: string): string {
  if (!line.includes('\b')) return line;
  const out: string[] = [];
  for (const ch of line) {
    if (ch === '\b') out.pop();
    else out.push(ch);
  }
  return out.join('').replace(/ +$/, '');
}

/** One logged-in IOS CLI session in privileged EXEC. */
export class IosSession {
  private closedReason: string | null = null;
  private promptPattern: RegExp = ANY_PROMPT;
  private currentPrompt = '';
  /** The unfinished last line received. */
  private partial = '';
  /** An escape sequence or CR cut at a chunk's end, cleaned with the next chunk. */
  private carry = '';
  private exchange: Exchange | null = null;
  /** Bumped for every chunk, so a prompt is taken as final only when no more text came with it. */
  private chunkSeq = 0;
  /** Text received while no exchange was running. */
  private stray = '';
  private lastCommand = '';
  /** Lines written ahead of the next exchange (the enable secret, paging off), in pipelined mode. */
  private setup: Step[] = [];
  private pipelined: boolean;
  private readonly windowBytes: number;
  private readonly maxReplyChars: number;
  /** IOS hostname read from the first prompt. */
  hostname = '';
  /** The raw `show version` text, once a task read it in this session. */
  versionText: string | null = null;
  /** Show commands to type ahead with the next pipelined read (see prefetch). */
  private toPrefetch: string[] = [];
  private readonly prefetched = new Map<string, LineReply>();

  private constructor(
    private readonly target: SshTarget,
    private readonly connection: SshConnection,
    private readonly channel: ClientChannel,
    private readonly options: SessionOptions,
    /** Masked record of the dialogue. */
    readonly transcript: Transcript,
  ) {
    this.pipelined = options.lineByLine !== true && !lineByLineTargets.has(targetKey(target));
    this.windowBytes = Math.max(1, options.windowBytes ?? DEFAULT_WINDOW_BYTES);
    this.maxReplyChars = options.maxReplyChars ?? DEFAULT_MAX_REPLY_CHARS;
    channel.on('data', (chunk: Buffer) => this.onData(chunk.toString('utf8')));
    channel.stderr.on('data', (chunk: Buffer) => this.onData(chunk.toString('utf8')));
    channel.on('close', () => this.onClosed('the device closed the session'));
    connection.client.on('close', () => this.onClosed('the connection closed'));
  }

  /**
   * Connects, waits for the first prompt past any banner, enters privileged EXEC and turns paging off
   * (pipelined: paging goes off with the first commands, and with `secretWithFirstCommands` the enable
   * secret goes with them too).
   */
  static async open(target: SshTarget, options: SessionOptions): Promise<IosSession> {
    const transcript = options.transcript ?? new Transcript();
    transcript.addSecret(target.credentials.password);
    transcript.addSecret(options.enableSecret);
    const connection = await connectSsh(target, options);
    let shell: OpenedShell;
    let session: IosSession | null = null;
    // `enable` goes out with the shell request when it may be needed: in privileged EXEC it changes nothing.
    const key = targetKey(target);
    const typeEnable = options.lineByLine !== true && options.enableSecret !== undefined && !lineByLineTargets.has(key) && !loginTypeaheadLost.has(key);
    try {
      shell = await openShell(connection.client, { term: 'vt100', cols: 511, rows: 24 }, () => session?.close('the device refused a shell'), typeEnable ? `${ENABLE}\n` : undefined);
    } catch (error) {
      connection.close();
      throw new DeviceError('unreachable', `${target.name}: the device refused a shell (${(error as Error).message})`);
    }
    session = new IosSession(target, connection, shell.channel, options, transcript);
    if (shell.typedAhead) {
      session.enableTypedAhead = true;
      transcript.sent(`${ENABLE}\n`);
    }
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

  /** True while lines are typed ahead (false with `--line-by-line` or after the device showed it cannot take it). */
  get isPipelined(): boolean {
    return this.pipelined;
  }

  /** `enable` was written right behind the shell request (see open). */
  private enableTypedAhead = false;

  private async prepare(): Promise<void> {
    // Banner and MOTD come first; the first line that looks like a prompt ends them.
    // With `enable` typed ahead, its reply (or the prompt alone, when the device dropped it) ends the banner.
    const early = this.enableTypedAhead ? await this.firstPromptWithEnable() : null;
    if (!this.enableTypedAhead) await this.run([], { what: 'the first prompt' });
    const seen = readPrompt(this.currentPrompt);
    if (!seen) throw new DeviceError('parse', `${this.target.name}: cannot read the prompt "${this.currentPrompt}"`);
    this.hostname = seen.hostname;
    this.promptPattern = hostPrompt(seen.hostname);
    // Pipelined, the enable secret (once `Password:` was seen) and paging off go out in the same write
    // as the first commands of the task.
    const answerLater = this.pipelined && this.options.secretWithFirstCommands === true && !loginTypeaheadLost.has(targetKey(this.target));
    let answer: Step | null = null;
    if (early) answer = await this.afterEnable(early.output, answerLater);
    else if (seen.mode === 'user') answer = await this.enable(answerLater);
    const setup = ['terminal length 0', 'terminal width 511'];
    if (this.pipelined) this.setup = [...(answer ? [answer] : []), ...setup.map((command) => newStep(command, false))];
    else for (const command of setup) await this.send(command);
  }

  private typedAheadLost = false;

  /**
   * Reads the first prompt when `enable` was typed ahead with the shell request: returns the reply to
   * `enable` (exchangeMatchedExpect when it asks for the password), or null when the device dropped
   * the typed-ahead line (then the prompt is read and enable() sends it again, as for every later
   * session to this device).
   */
  private async firstPromptWithEnable(): Promise<{ readonly output: string } | null> {
    const [reply] = await this.run([ENABLE], { typedAhead: true, expect: ASKS_PASSWORD, what: 'the first prompt' });
    if (!this.typedAheadLost) return { output: reply?.output ?? '' };
    loginTypeaheadLost.add(targetKey(this.target));
    this.transcript.note(`the device dropped "${ENABLE}" typed ahead of its first prompt: sent again, and waited for the prompt from now on`);
    return null;
  }

  private async enable(answerLater: boolean): Promise<Step | null> {
    const secret = this.options.enableSecret;
    const name = this.target.name;
    if (secret === undefined) {
      throw new DeviceError('auth', `${name}: the login lands in user EXEC (${this.currentPrompt}) and no enable secret is set`);
    }
    return this.afterEnable(await this.send(ENABLE, { expect: ASKS_PASSWORD, allowErrors: true }), answerLater);
  }

  /**
   * Answers the `Password:` question `enable` got (exchangeMatchedExpect) with the secret, and checks the
   * device took it. With `answerLater` the secret is not sent here: it is returned as the first line of
   * the next write, and checked as its reply arrives (see checkEnableAnswer). The secret itself is never
   * typed ahead: it goes out only once the device asked for it.
   */
  private async afterEnable(reply: string, answerLater: boolean): Promise<Step | null> {
    const secret = this.options.enableSecret;
    const name = this.target.name;
    const asksPassword = ASKS_PASSWORD;
    if (this.exchangeMatchedExpect) {
      if (secret === undefined) throw new DeviceError('auth', `${name}: enable asks for a password and no enable secret is set`);
      if (answerLater) return { ...newStep(secret, true), enableAnswer: true };
      // A wrong secret gets `Password:` again (or `% Bad secrets` / `% Access denied` and the user prompt): refused at once.
      const answer = await this.send(secret, { secret: true, allowErrors: true, expect: asksPassword });
      if (this.exchangeMatchedExpect) {
        throw new DeviceError('auth', `${name}: the enable secret was refused (the device asked for it again)`);
      }
      const refusal = /%\s*(Bad secrets|Access denied)[^\n]*/i.exec(answer);
      if (refusal) throw new DeviceError('auth', `${name}: the enable secret was refused (${refusal[0].trim()})`);
    } else if (reply !== '') {
      throw new DeviceError('auth', `${name}: enable was refused (${reply.split('\n')[0] ?? ''})`);
    }
    if (this.mode !== 'privileged') {
      throw new DeviceError('auth', `${name}: the enable secret was not accepted (the prompt is still ${this.currentPrompt})`);
    }
    return null;
  }

  private exchangeMatchedExpect = false;

  /**
   * Sends one line and reads until the prompt (or `expect`). Returns the output without the echo and
   * the prompt. A `%` error line throws CliError naming the command, unless `allowErrors`.
   */
  async send(command: string, options: SendOptions = {}): Promise<string> {
    const early = this.prefetched.get(command);
    if (early) {
      this.prefetched.delete(command);
      if (!options.allowErrors && early.errorLine) throw new CliError(command, early.errorLine, early.output);
      return early.output;
    }
    if (!SHOW_COMMAND.test(command)) this.prefetched.clear();
    // A show command never asks a question, so the guard line may follow it (see runPipelined).
    if (options.expect === undefined && options.secret !== true && SHOW_COMMAND.test(command)) {
      const [output] = await this.runPipelined([command], { allowErrors: options.allowErrors === true, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
      return output ?? '';
    }
    const replies = await this.run([command], {
      secret: options.secret === true,
      ...(options.expect ? { expect: options.expect } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    const reply = replies[replies.length - 1] as LineReply;
    if (!options.allowErrors && reply.errorLine) throw new CliError(command, reply.errorLine, reply.output);
    return reply.output;
  }

  /**
   * Runs read-only commands in one exchange (typed ahead in pipelined mode) and returns each one's
   * output, in order. A `%` error throws CliError for its command, unless `allowErrors`.
   */
  /**
   * Show commands a task will need later: typed ahead with the next pipelined read, their replies then
   * answer the next send() of the same command (until a configuration change or a non-show command).
   * Line by line this does nothing (it would not save a round trip).
   */
  prefetch(commands: readonly string[]): void {
    if (this.pipelined) this.toPrefetch.push(...commands.filter((c) => SHOW_COMMAND.test(c)));
  }

  async runPipelined(commands: readonly string[], options: { readonly allowErrors?: boolean; readonly timeoutMs?: number } = {}): Promise<string[]> {
    if (commands.length === 0) return [];
    const extra = this.pipelined ? this.toPrefetch.filter((c) => !commands.includes(c)) : [];
    this.toPrefetch = [];
    // A harmless last line: every real reply then ends at a prompt followed by its echo, so a
    // prompt-like line inside an output can never end that output early. Line by line it would
    // cost a round trip; there the end is confirmed by the quiet after the prompt instead.
    const guard = this.pipelined ? [GUARD_LINE] : [];
    const all = await this.run([...commands, ...extra, ...guard], options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
    for (const reply of all.slice(commands.length, commands.length + extra.length)) this.prefetched.set(reply.command, reply);
    const replies = all.slice(0, commands.length);
    if (!options.allowErrors) {
      const failed = replies.findIndex((r) => r.errorLine !== null);
      if (failed >= 0) {
        const reply = replies[failed] as LineReply;
        throw new CliError(reply.command, reply.errorLine ?? '', reply.output, commands.length > 1 ? { index: failed + 1, total: commands.length } : undefined);
      }
    }
    return replies.map((r) => r.output);
  }

  /**
   * Enters configuration mode, sends the commands and returns to privileged EXEC. Pipelined, the lines
   * go out in as few writes as the window allows; at the first `%` error no further line is written
   * (lines already on the wire still run). Throws CliError naming the first refused line and its
   * number; `onApplied` is called for every line the device took without an error.
   *
   * `thenRead`: read-only commands typed ahead after `end` in the same write (the read-back); their
   * outputs are returned when every line was taken, else (or line by line) null and the caller reads.
   */
  async configure(commands: readonly string[], onApplied?: (command: string) => void, thenRead: readonly string[] = []): Promise<string[] | null> {
    // What was read before the change may not hold after it.
    this.prefetched.clear();
    if (!this.pipelined) {
      await this.configureLineByLine(commands, onApplied);
      return null;
    }
    const reads = thenRead.length > 0 ? [...thenRead, GUARD_LINE] : [];
    let replies: LineReply[];
    try {
      replies = await this.run(['configure terminal', ...commands, 'end', ...reads], { stopOnError: true });
    } finally {
      if (!this.closedReason && this.mode === 'config') await this.send('end', { allowErrors: true });
    }
    const enter = replies[0] as LineReply;
    if (enter.errorLine) throw new CliError(enter.command, enter.errorLine, enter.output);
    let failed: { reply: LineReply; index: number } | null = null;
    for (let index = 0; index < commands.length; index++) {
      const reply = replies[index + 1] as LineReply;
      if (!reply.sent) break;
      if (reply.errorLine) failed ??= { reply, index };
      else onApplied?.(reply.command);
    }
    if (failed) {
      const after = replies.slice(failed.index + 2, commands.length + 1).filter((r) => r.sent).length;
      throw new CliError(failed.reply.command, failed.reply.errorLine ?? '', failed.reply.output, { index: failed.index + 1, total: commands.length, sentAfter: after });
    }
    const read = replies.slice(commands.length + 2, commands.length + 2 + thenRead.length);
    return read.length === thenRead.length && read.every((r) => r.sent && r.errorLine === null) ? read.map((r) => r.output) : null;
  }

  private async configureLineByLine(commands: readonly string[], onApplied?: (command: string) => void): Promise<void> {
    await this.send('configure terminal');
    try {
      for (const [index, command] of commands.entries()) {
        try {
          await this.send(command);
        } catch (error) {
          if (error instanceof CliError) throw new CliError(error.command, error.errorLine, error.output, { index: index + 1, total: commands.length, sentAfter: 0 });
          throw error;
        }
        onApplied?.(command);
      }
    } finally {
      if (!this.closedReason && this.mode === 'config') await this.send('end', { allowErrors: true });
    }
  }

  /** Saves the running configuration, answering the `Destination filename [startup-config]?` question. */
  async save(): Promise<string> {
    const reply = await this.send('copy running-config startup-config', { expect: /\[startup-config\]\?\s*$/ });
    if (this.exchangeMatchedExpect) return this.send('');
    return reply;
  }

  /** Closes the session and whatever it rides on. */
  close(reason = 'the session was closed'): void {
    this.onClosed(reason);
    this.connection.close();
  }

  /** Runs one exchange: writes its lines (window permitting) and reads every reply. */
  private run(
    commands: readonly string[],
    options: { readonly secret?: boolean; readonly expect?: RegExp; readonly timeoutMs?: number; readonly stopOnError?: boolean; readonly what?: string; readonly typedAhead?: boolean },
  ): Promise<LineReply[]> {
    const name = this.target.name;
    if (this.closedReason) {
      const what = commands[0] === undefined ? options.what ?? 'the first prompt' : describe(commands[0], options.secret === true);
      return Promise.reject(new DeviceError('session-closed', `${name}: ${this.closedReason} before ${what}`));
    }
    if (this.exchange) return Promise.reject(new Error(`${name}: an exchange is already running`));
    const stray = this.stray;
    this.stray = '';
    if (stray.trim() !== '') {
      // More output after a reply's prompt: that prompt was a prompt-like line inside the output.
      const error = new DeviceError(
        'parse',
        `${name}: the device printed more after the reply to "${this.lastCommand}" seemed to end ("${stray.trim().slice(0, 80)}"), so that reply may have been cut short; the session is closed`,
      );
      this.close('the session was closed out of step');
      return Promise.reject(error);
    }
    const setup = this.setup;
    this.setup = [];
    const steps: Step[] = [...setup, ...commands.map((command) => newStep(command, options.secret === true))];
    if (commands.length > 0) this.lastCommand = commands[commands.length - 1] ?? '';
    return new Promise<LineReply[]>((resolve, reject) => {
      const exchange: Exchange = {
        steps,
        sent: 0,
        current: 0,
        stopped: false,
        stopOnError: options.stopOnError === true,
        expect: options.expect,
        timeoutMs: options.timeoutMs ?? this.options.commandTimeoutMs,
        chars: 0,
        expectMatched: false,
        timer: null,
        stallTimer: null,
        probing: false,
        awaitingEcho: options.typedAhead === true,
        typedAheadLost: false,
        lostTimer: null,
        resolve: () => {
          this.exchangeMatchedExpect = exchange.expectMatched;
          this.typedAheadLost = exchange.typedAheadLost;
          const replies = steps.map((s) => ({
            command: s.command,
            output: joinOutput(s.lines),
            errorLine: s.errorLine,
            sent: s.sent,
          }));
          for (const [index, reply] of replies.entries()) {
            if (index < setup.length && reply.errorLine) {
              reject(new CliError(reply.command, reply.errorLine, reply.output));
              return;
            }
          }
          resolve(replies.slice(setup.length));
        },
        reject,
      };
      this.exchange = exchange;
      this.armTimer(exchange);
      if (exchange.awaitingEcho && steps[0]) {
        // Already on the wire (written with the shell request).
        steps[0].sent = true;
        exchange.sent = 1;
        this.checkTail();
        return;
      }
      if (steps.length === 0) {
        // Waiting for the first prompt: whatever came already may hold it.
        this.checkTail();
        return;
      }
      this.writeMore(exchange);
    });
  }

  /** Writes the next lines the window allows (one at a time line by line). */
  private writeMore(exchange: Exchange): void {
    if (exchange.stopped || this.closedReason) return;
    let outstanding = 0;
    for (let i = exchange.current; i < exchange.sent; i++) if (!exchange.steps[i]?.done) outstanding += (exchange.steps[i]?.command.length ?? 0) + 1;
    let text = '';
    while (exchange.sent < exchange.steps.length) {
      const step = exchange.steps[exchange.sent] as Step;
      const size = step.command.length + 1;
      const inFlight = exchange.sent - exchange.current;
      if (inFlight > 0 && (!this.pipelined || outstanding + size > this.windowBytes)) break;
      text += `${step.command}\n`;
      this.transcript.sent(`${step.command}\n`, step.secret);
      step.sent = true;
      exchange.sent += 1;
      outstanding += size;
      // The reply to an expected question (Password:, [startup-config]?) must come before anything more is typed.
      if (exchange.expect) break;
    }
    if (text !== '') this.channel.write(text);
  }

  private armTimer(exchange: Exchange): void {
    if (exchange.timer) clearTimeout(exchange.timer);
    exchange.timer = setTimeout(() => {
      const step = exchange.steps[exchange.current];
      const what = step ? `reply to ${describe(step.command, step.secret)}` : 'first prompt';
      this.transcript.note(`timeout waiting for the ${what}`);
      // The late reply would pass for the reply to the next command: this session is out of step for good.
      this.fail(new DeviceError('timeout', `${this.target.name}: no ${what} within ${exchange.timeoutMs} ms`));
      this.close(`the session was closed when the ${what} did not come within ${exchange.timeoutMs} ms`);
    }, exchange.timeoutMs);
  }

  private fail(error: Error): void {
    const exchange = this.exchange;
    if (!exchange) return;
    this.exchange = null;
    if (exchange.timer) clearTimeout(exchange.timer);
    if (exchange.stallTimer) clearTimeout(exchange.stallTimer);
    if (exchange.lostTimer) clearTimeout(exchange.lostTimer);
    exchange.reject(error);
  }

  private finish(exchange: Exchange, prompt: string): void {
    if (this.exchange !== exchange) return;
    this.exchange = null;
    if (exchange.timer) clearTimeout(exchange.timer);
    if (exchange.stallTimer) clearTimeout(exchange.stallTimer);
    if (exchange.lostTimer) clearTimeout(exchange.lostTimer);
    if (!exchange.expectMatched) this.currentPrompt = prompt.trim();
    this.partial = '';
    exchange.resolve();
  }

  private onData(raw: string): void {
    this.transcript.received(raw);
    this.chunkSeq += 1;
    let text = this.carry + raw;
    // A CR or an escape sequence cut at the chunk's end is cleaned together with the next chunk.
    const cut = /(\r|\x1b(\[[0-9;?]*)?)$/.exec(text);
    this.carry = cut ? cut[0] : '';
    if (cut) text = text.slice(0, text.length - cut[0].length);
    text = cleanTerminalText(text);
    const exchange = this.exchange;
    if (!exchange) {
      // Nothing was asked: kept (briefly) to tell the next exchange that the session is out of step.
      if (this.stray.length < STRAY_KEEP_CHARS) this.stray += text.slice(0, STRAY_KEEP_CHARS);
      return;
    }
    {
      exchange.chars += text.length;
      if (exchange.chars > this.maxReplyChars) {
        const step = exchange.steps[exchange.current];
        const what = step ? `the reply to ${describe(step.command, step.secret)}` : 'the text before the first prompt';
        this.fail(new DeviceError('parse', `${this.target.name}: ${what} is longer than ${formatChars(this.maxReplyChars)}; callhome stopped reading it and closed the session`));
        this.close('the session was closed after a reply over the size limit');
        return;
      }
    }
    let start = 0;
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', start)) {
      const line = this.partial + text.slice(start, newline);
      this.partial = '';
      start = newline + 1;
      this.onLine(line);
    }
    this.partial += text.slice(start);
    this.checkTail();
    const current = this.exchange;
    if (current && current.sent - current.current > 1) this.armStall(current);
  }

  /** A whole line arrived. */
  private onLine(rawLine: string): void {
    const exchange = this.exchange;
    if (!exchange) {
      if (this.stray.length < STRAY_KEEP_CHARS) this.stray += `${rawLine}\n`;
      return;
    }
    const line = applyBackspaces(rawLine);
    const step = exchange.steps[exchange.current];
    if (!step) return; // before the first prompt: banner lines
    if (exchange.awaitingEcho) {
      // Banner lines, until the first prompt followed by the typed-ahead line's echo.
      const trimmed = line.trimEnd();
      const prompt = trimmed.endsWith(step.command) ? trimmed.slice(0, trimmed.length - step.command.length) : '';
      const seen = prompt.length <= MAX_PROMPT_CHARS ? readPrompt(prompt) : null;
      if (!seen) return;
      exchange.awaitingEcho = false;
      if (exchange.lostTimer) clearTimeout(exchange.lostTimer);
      step.echoSeen = true;
      this.currentPrompt = prompt;
      this.promptPattern = hostPrompt(seen.hostname);
      return;
    }
    if (!step.echoSeen) {
      step.echoSeen = true;
      if (echoMatches(line, step.command)) return;
      // No echo (or another one): the line is output.
    }
    if (step.enableAnswer) {
      const refusal = SECRET_REFUSED.exec(line);
      if (refusal) return this.refuseSecret(`the enable secret was refused (${refusal[0].trim()})`);
    }
    const next = exchange.steps[exchange.current + 1];
    if (next && exchange.current + 1 < exchange.sent) {
      const prompt = this.promptBefore(line, next.command);
      if (prompt !== null) {
        if (step.enableAnswer && readPrompt(prompt)?.mode !== 'privileged') return this.refuseSecret(`the enable secret was not accepted (the prompt is still ${prompt})`);
        // `R1(config)#next line`: the reply to this step ended and the next step's echo is here.
        step.done = true;
        exchange.current += 1;
        exchange.probing = false;
        next.echoSeen = true;
        this.currentPrompt = prompt;
        this.armTimer(exchange);
        this.writeMore(exchange);
        return;
      }
      const prefix = this.pipelined ? this.promptPrefix(line) : null;
      const typed = prefix === null ? '' : line.slice(prefix.length);
      if (prefix !== null && typed !== '' && next.command.startsWith(typed.slice(0, 4))) {
        // A prompt followed by something other than what was typed: input was lost or mangled.
        this.stopPipelining(`the device echoed "${line}" where "${next.command}" was typed ahead`);
        this.fail(new CliError(next.command, `% the device echoed "${typed}" for this line`, line));
        this.close('the session was closed after the device mangled typed-ahead input');
        return;
      }
    }
    step.lines.push(line);
    if (step.errorLine === null && isErrorLine(line)) {
      step.errorLine = line.trim();
      if (exchange.stopOnError) exchange.stopped = true;
    }
  }

  /** The prompt at the start of `line` when the rest of it is exactly `command`, else null. */
  private promptBefore(line: string, command: string): string | null {
    const trimmed = line.trimEnd();
    const typed = command.trim();
    if (!trimmed.endsWith(typed)) return null;
    const prompt = trimmed.slice(0, trimmed.length - typed.length);
    return prompt.length <= MAX_PROMPT_CHARS && this.promptPattern.test(prompt) ? prompt : null;
  }

  /** The prompt a line begins with, or null. */
  private promptPrefix(line: string): string | null {
    const match = /^[^\s>#]{1,96}?(\([\w-]+\))?[>#]/.exec(line);
    return match && this.promptPattern.test(match[0]) ? match[0] : null;
  }

  /** Looks at the unfinished last line: a prompt there ends the reply being read. */
  private checkTail(): void {
    const exchange = this.exchange;
    if (!exchange || this.partial.length > MAX_PROMPT_CHARS + 1024) return;
    const tail = applyBackspaces(this.partial);
    if (exchange.awaitingEcho) {
      if (tail.length <= MAX_PROMPT_CHARS && ANY_PROMPT.test(tail)) this.armLostEcho(exchange, tail);
      return;
    }
    if (exchange.probing && this.partial.includes('\b') && tail.length <= MAX_PROMPT_CHARS && this.promptPattern.test(tail)) {
      this.onErased(exchange, tail);
      return;
    }
    const last = exchange.current === exchange.sent - 1 || exchange.steps.length === 0;
    if (exchange.steps[exchange.current]?.enableAnswer) {
      if (ASKS_PASSWORD.test(tail)) return this.refuseSecret('the enable secret was refused (the device asked for it again)');
      if (!last && tail.length <= MAX_PROMPT_CHARS && this.promptPattern.test(tail) && readPrompt(tail)?.mode === 'privileged') this.armLostAfterSecret(exchange, tail);
    }
    if (!last) return;
    if (exchange.expect?.test(tail)) {
      exchange.expectMatched = true;
      this.confirmEnd(exchange, tail);
      return;
    }
    const pattern = exchange.steps.length === 0 ? ANY_PROMPT : this.promptPattern;
    if (tail.length <= MAX_PROMPT_CHARS && pattern.test(tail)) this.confirmEnd(exchange, tail);
  }

  /**
   * Takes a prompt at the end of the text as the end of the reply only if no more text came in the
   * same read (a prompt-like line inside a large output is followed by more of it), then writes the
   * next lines or ends the exchange.
   */
  private confirmEnd(exchange: Exchange, prompt: string): void {
    const seq = this.chunkSeq;
    setImmediate(() => {
      if (this.exchange !== exchange || this.chunkSeq !== seq) return;
      const step = exchange.steps[exchange.current];
      if (step) step.done = true;
      if (step && !exchange.expectMatched && exchange.sent < exchange.steps.length && !exchange.stopped && !this.closedReason) {
        // The window held the rest back: the device is at its prompt, write more.
        this.currentPrompt = prompt.trim();
        this.partial = '';
        exchange.current += 1;
        this.armTimer(exchange);
        this.writeMore(exchange);
        return;
      }
      this.finish(exchange, prompt);
    });
  }

  /**
   * The first prompt is here without the echo of the line typed ahead of it. IOS echoes waiting input
   * right after printing a prompt, so a prompt that stays alone means the device dropped what was
   * typed before its session started; the exchange then ends with `typedAheadLost`.
   */
  private armLostEcho(exchange: Exchange, prompt: string): void {
    if (exchange.lostTimer) clearTimeout(exchange.lostTimer);
    const seq = this.chunkSeq;
    exchange.lostTimer = setTimeout(() => {
      if (this.exchange !== exchange || !exchange.awaitingEcho || this.chunkSeq !== seq) return;
      exchange.typedAheadLost = true;
      this.finish(exchange, prompt);
    }, Math.min(STALL_MS, Math.max(1, Math.floor(exchange.timeoutMs / 2))));
  }

  /** The enable secret sent with the first write was refused: the lines behind it went to the password question, so the session ends. */
  private refuseSecret(why: string): void {
    this.fail(new DeviceError('auth', `${this.target.name}: ${why}`));
    this.close('the session was closed after the enable secret was refused');
  }

  /**
   * The device took the enable secret and shows its privileged prompt, and the lines sent behind the
   * secret do not echo: it dropped them when it read the password. They ran nowhere, so they are sent
   * again (later sessions to the device send the secret alone).
   */
  private armLostAfterSecret(exchange: Exchange, prompt: string): void {
    if (exchange.lostTimer) clearTimeout(exchange.lostTimer);
    const seq = this.chunkSeq;
    exchange.lostTimer = setTimeout(() => {
      const step = exchange.steps[exchange.current];
      if (this.exchange !== exchange || this.chunkSeq !== seq || !step?.enableAnswer) return;
      loginTypeaheadLost.add(targetKey(this.target));
      this.transcript.note('the device dropped the lines sent behind the enable secret: sent again');
      step.done = true;
      exchange.current += 1;
      for (let i = exchange.current; i < exchange.sent; i++) {
        const unsent = exchange.steps[i];
        if (unsent) unsent.sent = false;
      }
      exchange.sent = exchange.current;
      this.currentPrompt = prompt.trim();
      this.armTimer(exchange);
      this.writeMore(exchange);
    }, Math.min(STALL_MS, Math.max(1, Math.floor(exchange.timeoutMs / 2))));
  }

  /**
   * While lines are typed ahead, a device that stays quiet on a partly echoed line may have lost input,
   * or may only be slow. Ctrl-U tells them apart without running anything twice: it reaches the device
   * after everything typed ahead, so it erases a partial line (echoing backspaces) only when nothing
   * more was queued there, that is when the rest was lost (see onErased). A slow device gets it on an
   * empty line and goes on.
   */
  private armStall(exchange: Exchange): void {
    if (exchange.stallTimer) clearTimeout(exchange.stallTimer);
    if (!this.pipelined || exchange.probing) return;
    exchange.stallTimer = setTimeout(() => {
      if (this.exchange !== exchange || this.partial.includes('\b')) return;
      const tail = this.partial;
      const prompt = this.promptPrefix(tail);
      const next = exchange.steps[exchange.current + 1];
      if (prompt === null || !next || exchange.current + 1 >= exchange.sent) return;
      const typed = tail.slice(prompt.length);
      if (typed === '' || typed.length >= next.command.length || !next.command.startsWith(typed)) return;
      exchange.probing = true;
      this.transcript.note(`the device stopped at "${tail}" with lines typed ahead: erasing the line to see whether input was lost`);
      this.channel.write('\x15');
      this.transcript.sent('^U\n');
    }, Math.min(STALL_MS, Math.max(1, Math.floor(exchange.timeoutMs / 2))));
  }

  /** After a Ctrl-U probe: the partial line came back erased, so the lines after it were lost; go on line by line from it. */
  private onErased(exchange: Exchange, prompt: string): void {
    const next = exchange.steps[exchange.current + 1];
    if (!next) return;
    this.stopPipelining(`the device lost input typed ahead (it stopped at a partly echoed "${next.command}")`);
    exchange.probing = false;
    const step = exchange.steps[exchange.current];
    if (step) step.done = true;
    exchange.current += 1;
    // The device ran none of the lines from the partly echoed one on: they are sent again, one at a time.
    for (let i = exchange.current; i < exchange.sent; i++) {
      const unsent = exchange.steps[i];
      if (unsent) unsent.sent = false;
    }
    exchange.sent = exchange.current;
    this.currentPrompt = prompt;
    // The erased line stays in `partial`: the echo of the line sent again continues it.
    next.echoSeen = false;
    this.armTimer(exchange);
    this.writeMore(exchange);
  }

  private stopPipelining(why: string): void {
    if (!this.pipelined) return;
    this.pipelined = false;
    lineByLineTargets.add(targetKey(this.target));
    this.transcript.note(`line by line from now on: ${why}`);
  }

  private onClosed(reason: string): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    const exchange = this.exchange;
    if (exchange) {
      const step = exchange.steps[exchange.current];
      const what = step ? `the reply to ${describe(step.command, step.secret)}` : 'the first prompt';
      this.fail(new DeviceError('session-closed', `${this.target.name}: ${reason} while callhome waited for ${what}`));
    }
  }
}

/** The output lines as one text, without trailing empty lines. */
function joinOutput(lines: string[]): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  return (end === lines.length ? lines : lines.slice(0, end)).join('\n');
}

function targetKey(target: SshTarget): string {
  return `${target.host}:${target.port}`;
}

function describe(command: string, secret: boolean): string {
  return secret ? 'the enable secret' : `"${command}"`;
}

function formatChars(chars: number): string {
  return chars >= 1024 * 1024 && chars % (1024 * 1024) === 0 ? `${chars / (1024 * 1024)} MiB` : `${chars} characters`;
}

/** For tests: forget which devices fell back to line by line. */
export function resetLineByLineMemory(): void {
  lineByLineTargets.clear();
  loginTypeaheadLost.clear();
}
