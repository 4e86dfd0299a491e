/**
 * A sleep that can be cut short: `sleep(ms)` resolves after `ms`, or as soon as `wake()` is called.
 * The loops of long-running workers (forwarding, mailbox polling, status reports) use it to stop or to
 * look again at once instead of waiting out their interval.
 */
export type WakeableSleep = {
  sleep(ms: number): Promise<void>;
  /** Ends the current sleep, if any (a no-op otherwise). */
  wake(): void;
};

export function wakeableSleep(): WakeableSleep {
  let wakeUp: (() => void) | null = null;
  return {
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(done, ms);
        function done(): void {
          clearTimeout(t);
          wakeUp = null;
          resolve();
        }
        wakeUp = done;
      }),
    wake: () => wakeUp?.(),
  };
}
