/**
 * Threat: an SMTP client that ignores the announced SIZE and streams a huge DATA section to exhaust
 * the back end's memory. The back end runs as `callhome serve` in a child process so its own peak
 * memory (VmHWM) can be read; the mail is refused with 552 and the peak grows by less than the mail
 * itself. Measured: before the cap (src/backend/ingest/capped-stream.ts) the peak grew by 317 MiB for
 * this 96 MiB mail; with it, by about 45 MiB (the 4.4 MB the parser may read, plus garbage not yet collected).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killSpawned, spawnServe, stopServe, type ServeProcess } from '../faults/helpers.js';
import { rawSmtp } from './helpers.js';

let dir: string;
let serve: ServeProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callhome-smtp-size-'));
  serve = await spawnServe({ db: join(dir, 'callhome.db'), smtpPort: 0 });
}, 60_000);
afterAll(async () => {
  await stopServe(serve).catch(() => undefined);
  killSpawned();
  rmSync(dir, { recursive: true, force: true });
});

/** Peak (VmHWM) or current (VmRSS) resident memory of a process, in bytes (Linux /proc). */
function memory(pid: number, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}
const peakRss = (pid: number): number => memory(pid);

/**
 * Waits until the back end has finished starting: its parse threads (an ordinary one and the large lane's,
 * started with the server) load their code for a second or more after it listens, and that growth is not the mail's.
 */
async function settled(pid: number): Promise<void> {
  let last = memory(pid, 'VmRSS');
  for (let quiet = 0, tries = 0; quiet < 3 && tries < 75; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = memory(pid, 'VmRSS');
    quiet = Math.abs(now - last) < 1024 * 1024 ? quiet + 1 : 0;
    last = now;
  }
}

it('refuses an undeclared 96 MiB DATA with 552 without holding it in memory', async () => {
  const pid = serve.child.pid ?? 0;
  await settled(pid);
  const smtp = await rawSmtp(serve.smtpPort ?? 0);
  try {
    expect((await smtp.reply()).code).toBe(220);
    expect((await smtp.command('EHLO flood.example')).code).toBe(250);
    expect((await smtp.command('MAIL FROM:<router@example.com>')).code).toBe(250);
    expect((await smtp.command('RCPT TO:<callhome@example.com>')).code).toBe(250);
    expect((await smtp.command('DATA')).code).toBe(354);
    const before = peakRss(pid);
    await smtp.write('Subject: flood\r\nContent-Type: text/plain\r\n\r\n');
    const block = Buffer.from(`${'y'.repeat(998)}\r\n`.repeat(1024));
    const total = 96 * 1024 * 1024;
    for (let sent = 0; sent < total; sent += block.length) await smtp.write(block);
    const end = await smtp.command('.');
    expect(end.code).toBe(552);
    const grew = peakRss(pid) - before;
    expect(grew, `peak RSS grew by ${(grew / 1048576).toFixed(1)} MiB for a ${total / 1048576} MiB mail`).toBeLessThan(total);
  } finally {
    smtp.close();
  }
}, 90_000);
