/** Shared helpers of the fleet tests: captured output streams and inventories for loopback devices. */
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';

/** A writable that keeps what was written; not a TTY. */
export class Capture extends Writable {
  text = '';
  readonly isTTY: boolean = false;
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** Writes a callhome inventory for devices on 127.0.0.1. */
export function writeInventory(file: string, hosts: Record<string, { port: number; password?: string; username?: string; jump?: string; host?: string }>): void {
  writeFileSync(
    file,
    `# callhome inventory\n${stringify({
      defaults: { username: 'admin', password: 'admin', 'enable-secret': 'cisco' },
      groups: { lab: { hosts: Object.keys(hosts), vars: {} } },
      hosts: Object.fromEntries(Object.entries(hosts).map(([name, h]) => [name, { host: h.host ?? '127.0.0.1', ...h }])),
    })}`,
  );
}
