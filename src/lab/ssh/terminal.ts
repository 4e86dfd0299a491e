/**
 * The IOS terminal of one interactive session: echo, line editing (backspace, Ctrl-U, Ctrl-C,
 * Ctrl-Z), `?` help without Enter, no-echo password prompts, CR LF output and ` --More-- `
 * paging. It is transport-free: bytes come in through `input()`, text goes out through `write`.
 * Input is handled strictly in order; bytes typed while a command runs are kept (type-ahead).
 */
import { CTRL_Z } from '../ios-cli/index.js';
import type { CliResult } from '../ios-cli/types.js';
import type { LabCli } from '../device.js';
import type { SessionState } from '../types.js';

/** What the terminal needs from its transport and device. */
export type TerminalPort = {
  readonly cli: LabCli;
  readonly session: SessionState;
  write(text: string): void;
  /** Ends the session (after `exit`, or when the drop fault fires). */
  close(): void;
  /** Called after every command; returns false when the connection is being dropped (fault). */
  commandDone(): boolean;
  /** Delay before every response (slow fault), 0 for none. */
  delayMs(): number;
  /** Characters held while a command runs; more typed-ahead input is lost (undefined: no limit). */
  typeaheadChars?(): number | undefined;
  /** Input arriving this long after start() is lost (fault startupInputLostMs); 0 or undefined: none. */
  startupInputLostMs?(): number | undefined;
  /** True: input typed ahead of a password's answer is lost (fault passwordFlushesInput). */
  passwordFlushesInput?(): boolean;
  /** Stop / restart reading input (flow control: the transport stops granting the client window). */
  pauseInput?(): void;
  resumeInput?(): void;
};

const MORE = ' --More-- ';
/** Characters a terminal holds unread; beyond, it stops reading (the client's SSH window closes). */
const INPUT_BUFFER_CHARS = 64 * 1024;
/** Characters handled before the terminal lets other sessions run. */
const YIELD_EVERY_CHARS = 4096;
const ERASE_MORE = `\r${' '.repeat(MORE.length)}\r`;

type Pending = { readonly echo: boolean; submit(input: string): Promise<CliResult> };

/** Turns `\n` line ends into the `\r\n` a terminal needs. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One interactive session's terminal. */
export class IosTerminal {
  private line = '';
  private pending: Pending | null = null;
  /** Lines still to show after a ` --More-- `, and how many fit on a page. */
  private paging: { lines: string[]; page: number } | null = null;
  private queue: string[] = [];
  /** Next character of `queue` to handle. */
  private head = 0;
  private inputPaused = false;

  /** Characters received and not yet handled. */
  private get backlog(): number {
    return this.queue.length - this.head;
  }

  private resumeIfRoom(): void {
    if (this.inputPaused && this.backlog <= INPUT_BUFFER_CHARS / 2) {
      this.inputPaused = false;
      this.port.resumeInput?.();
    }
  }
  private busy = false;
  private closed = false;
  private lastWasCr = false;
  /** What to print once paged output ends (the prompt). */
  private after = '';
  /**
   * Output not yet sent. Echo and replies are sent per command, not per typed character: a
   * client that writes a whole line gets its echo in one packet, as from IOS, instead of one SSH
   * packet per character (which costs every client a decrypt and a prompt match per byte).
   */
  private out = '';

  /** Input is lost until this time (performance.now(); fault startupInputLostMs). */
  private deafUntil = 0;

  constructor(private readonly port: TerminalPort) {}

  /** Prints the banner (if any) and the first prompt. */
  start(banner?: string): void {
    const lostMs = this.port.startupInputLostMs?.() ?? 0;
    if (lostMs > 0) this.deafUntil = performance.now() + lostMs;
    if (banner) this.port.write(crlf(`\n${banner}\n`));
    this.port.write(this.port.cli.prompt(this.port.session));
  }

  /** Feeds typed bytes. Never throws: a failing command prints an error and the prompt. */
  input(data: string): void {
    if (this.closed || performance.now() < this.deafUntil) return;
    const chars = Array.from(data);
    const limit = this.port.typeaheadChars?.();
    // A full input buffer loses what is typed ahead (the first character always gets through).
    const room = limit === undefined ? chars.length : Math.max(this.busy ? 0 : 1, limit - this.backlog);
    for (let i = 0; i < chars.length && i < room; i++) this.queue.push(chars[i] as string);
    // A flood is held back by flow control, not buffered without end.
    if (this.backlog > INPUT_BUFFER_CHARS && !this.inputPaused) {
      this.inputPaused = true;
      this.port.pauseInput?.();
    }
    if (!this.busy) void this.drain();
  }

  /** Stops handling input (the channel closed). */
  stop(): void {
    this.closed = true;
    this.queue = [];
    this.head = 0;
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      let handled = 0;
      while (!this.closed && this.head < this.queue.length) {
        const ch = this.queue[this.head] as string;
        this.head += 1;
        if (this.head === this.queue.length) {
          this.queue = [];
          this.head = 0;
        }
        // A flood of input must not hold the event loop that every other lab device shares.
        if (++handled % YIELD_EVERY_CHARS === 0) {
          this.flush();
          this.resumeIfRoom();
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        try {
          await this.key(ch);
        } catch (error) {
          this.line = '';
          this.pending = null;
          this.paging = null;
          this.emit(crlf(`\n% Internal error: ${(error as Error).message}\n`) + this.prompt());
        }
      }
    } finally {
      this.busy = false;
      this.flush();
      this.resumeIfRoom();
    }
  }

  private emit(text: string): void {
    this.out += text;
  }

  private flush(): void {
    if (this.out === '') return;
    const text = this.out;
    this.out = '';
    this.port.write(text);
  }

  /** Sends what is buffered, then ends the session. */
  private closePort(): void {
    this.flush();
    this.port.close();
  }

  private prompt(): string {
    return this.port.cli.prompt(this.port.session);
  }

  private async key(ch: string): Promise<void> {
    // CR LF, CR NUL and LF alone all end a line once.
    const wasCr = this.lastWasCr;
    this.lastWasCr = ch === '\r';
    if ((ch === '\n' || ch === '\0') && wasCr) return;
    if (this.paging) return this.pageKey(ch);
    const echo = this.pending ? this.pending.echo : true;
    switch (ch) {
      case '\r':
      case '\n':
        this.emit('\r\n');
        return this.submit();
      case '\x7f':
      case '\b':
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          if (echo) this.emit('\b \b');
        }
        return;
      case '\x15': // Ctrl-U
      case '\x18': // Ctrl-X
        if (echo) this.emit('\b \b'.repeat(this.line.length));
        this.line = '';
        return;
      case '\x03': // Ctrl-C
        return this.interrupt('^C', false);
      case '\x1a': // Ctrl-Z
        return this.interrupt('^Z', true);
      case '?':
        if (this.pending || !echo) break;
        this.emit('?');
        return this.help();
      case '\t':
        return;
      default:
        break;
    }
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return; // other control keys and escape sequences are ignored
    if (this.line.length >= 4096) return;
    this.line += ch;
    if (echo) this.emit(ch);
  }

  private async interrupt(mark: string, leaveConfig: boolean): Promise<void> {
    this.line = '';
    if (this.pending) {
      this.pending = null;
      this.emit(crlf(`${mark}\n`) + this.prompt());
      return;
    }
    this.emit(crlf(`${mark}\n`));
    const mode = this.port.session.mode.kind;
    if (leaveConfig && mode !== 'user' && mode !== 'privileged') {
      const result = await this.port.cli.execute(CTRL_Z, this.port.session);
      return this.show(result, false);
    }
    this.emit(this.prompt());
  }

  private async help(): Promise<void> {
    const typed = this.line;
    const text = this.port.cli.help(typed, this.port.session);
    this.flush();
    await this.delay();
    this.emit(crlf(`\n${text}`) + this.prompt() + typed);
  }

  private async submit(): Promise<void> {
    const text = this.line;
    this.line = '';
    const pending = this.pending;
    this.pending = null;
    if (pending && !pending.echo && this.port.passwordFlushesInput?.() === true) {
      this.queue = [];
      this.head = 0;
    }
    const progress = (early: string): void => {
      this.emit(crlf(early));
      this.flush();
    };
    const result = pending ? await pending.submit(text) : await this.port.cli.execute(text, this.port.session, progress);
    await this.show(result, !pending);
  }

  private async delay(): Promise<void> {
    const ms = this.port.delayMs();
    if (ms > 0) await sleep(ms);
  }

  /** Prints a command's result, paging it, then the next prompt (or closes). */
  private async show(result: CliResult, counted: boolean): Promise<void> {
    this.flush();
    await this.delay();
    if (counted && !this.port.commandDone()) {
      this.closed = true;
      this.closePort();
      return;
    }
    switch (result.kind) {
      case 'output':
        this.page(result.output, this.prompt());
        break;
      case 'password':
        this.pending = { echo: false, submit: (input) => result.submit(input) };
        this.page(result.output, result.prompt);
        break;
      case 'input':
        this.pending = { echo: true, submit: (input) => result.submit(input) };
        this.page(result.output, result.prompt);
        break;
      case 'close':
        this.emit(crlf(result.output));
        this.closed = true;
        this.closePort();
        return;
    }
    // Sent now, before anything else runs: a drop fault ends the connection on the next turn.
    this.flush();
  }

  /** Writes output a page at a time when terminal length is not 0. */
  private page(output: string, after: string): void {
    const lines = output.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const length = this.port.session.terminalLength;
    const page = Math.max(1, length - 1);
    if (length === 0 || lines.length <= page) {
      this.emit(crlf(output) + after);
      return;
    }
    this.after = after;
    this.emit(crlf(lines.slice(0, page).join('\n')) + '\r\n' + MORE);
    this.paging = { lines: lines.slice(page), page };
  }

  private pageKey(ch: string): void {
    const paging = this.paging;
    if (!paging) return;
    this.emit(ERASE_MORE);
    let take: number;
    if (ch === ' ') take = paging.page;
    else if (ch === '\r' || ch === '\n') take = 1;
    else take = 0; // q or any other key ends the output
    const shown = paging.lines.splice(0, take);
    if (shown.length > 0) this.emit(crlf(shown.join('\n')) + '\r\n');
    if (take === 0 || paging.lines.length === 0) {
      this.paging = null;
      this.emit(this.after);
      return;
    }
    this.emit(MORE);
  }
}
