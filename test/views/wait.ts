/** Polls a predicate until it holds (no fixed sleeps); fails with the last frame when it does not. */
export async function waitFor(check: () => boolean, describe: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last frame:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until the frame contains `text`. */
export function frameHas(lastFrame: () => string | undefined, text: string | RegExp, timeoutMs?: number): Promise<void> {
  const has = (): boolean => {
    const f = lastFrame() ?? '';
    return typeof text === 'string' ? f.includes(text) : text.test(f);
  };
  return waitFor(has, () => lastFrame() ?? '', timeoutMs);
}
