/** A session transcript for `--log-dir`; every secret given to it is masked before it is kept. */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Collects what was sent and received; secrets never reach the file. */
export class Transcript {
  private readonly secrets = new Set<string>();
  private readonly chunks: string[] = [];

  /** @param file where to write on `flush()`; undefined keeps the transcript in memory only. */
  constructor(private readonly file?: string) {}

  /** Adds a value that must never appear in the transcript. */
  addSecret(secret: string | undefined): void {
    if (secret && secret.length > 0) this.secrets.add(secret);
  }

  /** Records text received from the device. */
  received(text: string): void {
    this.chunks.push(text);
  }

  /** Records text sent to the device; `secret` input is written as `********`. */
  sent(text: string, secret = false): void {
    this.chunks.push(secret ? '********\n' : text);
  }

  /** Records a note from callhome itself. */
  note(text: string): void {
    this.chunks.push(`\n[callhome] ${text}\n`);
  }

  /** The transcript so far, secrets masked. */
  text(): string {
    let text = this.chunks.join('');
    for (const secret of this.secrets) text = text.split(secret).join('********');
    return text;
  }

  /** Writes the masked transcript to its file (appending), if it has one. */
  flush(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, this.text(), { mode: 0o600 });
    this.chunks.length = 0;
  }
}
