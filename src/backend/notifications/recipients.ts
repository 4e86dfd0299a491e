/** S57 helpers that write: the reply-to a pending device's mail named, kept for after confirmation. */
import type { TxContext } from '../processing/context.js';
import { isSingleAddress } from '../processing/notify.js';

/** Records the reply-to of a message from a device that is not confirmed yet (a single address only). */
export async function rememberReplyTo(ctx: TxContext, serial: string, replyTo: string): Promise<void> {
  const address = replyTo.trim();
  if (!isSingleAddress(address)) return;
  const prefs = await ctx.store.getPreferences(serial);
  if (prefs.replyTo === address) return;
  await ctx.store.putPreferences({ ...prefs, replyTo: address, updatedAt: ctx.now().toISOString() });
}
