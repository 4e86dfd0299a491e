/**
 * A session transcript for `--log-dir`; every secret given to it is masked before it is kept.
 * With a file, text goes to disk as the session runs (in blocks, never the whole dialogue in
 * memory); without one, only the last MEMORY_TAIL_CHARS are kept, for tests and error notes.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Text held before it is written to the file. */
const BLOCK_CHARS = 64 * 1024;
/** What an in-memory transcript keeps. */
const MEMORY_TAIL_CHARS = 1024 * 1024;

/** Collects what was sent and received; secrets never reach the file. */
export class Transcript {
  private readonly secrets = new Set<string>();
  private pending = '';
  private fd: number | null = null;
  private failed = false;

  /** @param file where to append the transcript as it runs; undefined keeps a bounded tail in memory only. */
  constructor(private readonly file?: string) {}

  /** Adds a value that must never appear in the transcript. */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length > 0) this.secrets.add(secret);
  }

  /** Records text received from the device. */
  received(text: string): void {
    this.add(text);
  }

  /** Records text sent to the device; `secret` input is written as `********`. */
  sent(text: string, secret = false): void {
    this.add(secret ? '********\n' : text);
  }

  /** Records a note from callhome itself. */
  note(text: string): void {
    this.add(`\n[callhome] ${text}\n`);
  }

  /** The transcript not yet written to its file (all of it, up to the memory tail, without a file), secrets masked. */
  text(): string {
    return this.mask(this.pending);
  }

  /** Writes what is pending to the file (appending) and closes it; more text opens it again. */
  flush(): void {
    this.write(this.pending.length);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private add(text: string): void {
    this.pending += text;
    if (!this.file) {
      // Trimmed only once it doubles, so keeping the tail costs linear time.
      if (this.pending.length > 2 * MEMORY_TAIL_CHARS) this.pending = this.pending.slice(-MEMORY_TAIL_CHARS);
      return;
    }
    // A secret split across two blocks must still be masked: hold back its length minus one.
    if (this.pending.length >= BLOCK_CHARS) this.write(this.pending.length - this.longestSecret() + 1);
  }

  private longestSecret(): number {
    let longest = 1;
    for (const secret of this.secrets) longest = Math.max(longest, secret.length);
    return longest;
  }

  private mask(text: string): string {
    let masked = text;
    for (const secret of this.secrets) masked = masked.split(secret).join('********');
    return masked;
  }

  /** Writes the first `count` pending characters (masked) to the file. */
  private write(count: number): void {
    if (!this.file || count <= 0) return;
    const head = this.pending.slice(0, count);
    const keep = this.pending.slice(count);
    const headMasked = this.mask(head);
    // A secret straddling the cut: write nothing now, a later block takes it whole.
    if (keep !== '' && this.mask(this.pending) !== headMasked + this.mask(keep)) return;
    this.pending = keep;
    if (this.failed) return;
    try {
      if (this.fd === null) {
        mkdirSync(dirname(this.file), { recursive: true });
        this.fd = openSync(this.file, 'a', 0o600);
      }
      writeSync(this.fd, headMasked);
    } catch {
      // A transcript that cannot be written must not change the device's result.
      this.failed = true;
    }
  }
}
