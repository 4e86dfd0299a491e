/** SSH client helpers for the lab tests: real ssh2 clients that wait on output, never on time. */
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';

/** Connects and resolves when authenticated. */
export function connect(port: number, extra: Partial<ConnectConfig> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({ host: '127.0.0.1', port, username: 'admin', password: 'admin', readyTimeout: 10_000, ...extra });
  });
}

/** An interactive shell whose output can be awaited. */
export class Shell {
  output = '';
  closed = false;
  private waiters: (() => void)[] = [];
  constructor(readonly channel: ClientChannel) {
    channel.on('data', (d: Buffer) => {
      this.output += d.toString('utf8');
      this.wake();
    });
    channel.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }
  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Resolves with everything printed so far once `pattern` matches it (or the channel closed, for `closed`). */
  async until(pattern: RegExp | string | 'closed', timeoutMs = 8000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const matches = (): boolean =>
      pattern === 'closed' ? this.closed : typeof pattern === 'string' ? this.output.includes(pattern) : pattern.test(this.output);
    while (!matches()) {
      if (this.closed && pattern !== 'closed') throw new Error(`channel closed before ${String(pattern)}; output:\n${this.output}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${String(pattern)}; output:\n${JSON.stringify(this.output)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.output;
  }
  /** Returns and clears the output collected so far. */
  take(): string {
    const out = this.output;
    this.output = '';
    return out;
  }
  send(text: string): void {
    this.channel.write(text);
  }
  /** Sends a line and waits for the next prompt ending in `>` or `#`; returns the output in between. */
  async run(line: string, prompt = /R\d+(\([^)]*\))?[#>]$/): Promise<string> {
    this.take();
    this.send(`${line}\r`);
    await this.until(prompt);
    return this.take();
  }
}

export function openShell(client: Client, window: { rows?: number; cols?: number } = {}): Promise<Shell> {
  return new Promise((resolve, reject) => {
    client.shell({ term: 'vt100', rows: window.rows ?? 24, cols: window.cols ?? 80 }, (err, channel) => (err ? reject(err) : resolve(new Shell(channel))));
  });
}

/**
 * Waits for the user EXEC prompt of `host` (R1…), enables with `secret` and waits for the privileged prompt.
 * Returns everything printed since the shell opened.
 */
export async function enable(shell: Shell, host = 'R1', secret = 'cisco'): Promise<string> {
  await shell.until(new RegExp(`${host}>$`));
  shell.send('enable\r');
  await shell.until('Password: ');
  shell.send(`${secret}\r`);
  return shell.until(new RegExp(`${host}#$`));
}

/** Runs an exec request and collects stdout and the exit code. */
export function execOnce(client: Client, command: string): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      let out = '';
      let code: number | null = null;
      channel.on('data', (d: Buffer) => (out += d.toString('utf8')));
      channel.on('exit', (c: number | null) => (code = c));
      channel.on('close', () => resolve({ out, code }));
    });
  });
}
