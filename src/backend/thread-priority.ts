/**
 * Lowers the CPU priority of the calling thread (not its process): bulk work such as a 3 MiB parse then yields
 * the cores to the threads that answer devices (the event loop, the database thread) instead of delaying them.
 * Linux only, where a thread is a task of its own whose nice value setpriority() takes by its id
 * (/proc/thread-self names it); elsewhere, or where the call is refused, the thread keeps its priority.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value of bulk threads: below every default thread (0), above what an operator sets for idle work (19). */
export const BULK_NICE = 10;

/** True when this thread's priority was lowered. */
export function lowerThisThreadPriority(nice = BULK_NICE): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
