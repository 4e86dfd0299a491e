/**
 * Message-size limit per profile (ios-call-home.md §7.3, C71). The guide leaves oversize handling
 * open; the lab's policy, as the spec proposes:
 * 1. a message that fits is sent unchanged;
 * 2. otherwise attachment data is cut (first attachments kept longest, later ones emptied) and the
 *    cut is marked with TRUNCATION_MARK, keeping as much as fits;
 * 3. short text (no attachments) has its description cut instead;
 * 4. if the message does not fit even with nothing left to cut, it is not sent and counts as Failed.
 */
import type { MessageFormat } from '../../domain/callhome.js';
import type { CallHomeMessage } from '../../domain/message.js';
import { renderMessage } from '../../callhome/codec.js';

/** Appended where data was cut. */
export const TRUNCATION_MARK = '\n[truncated: message-size-limit]';

export type FitResult =
  | { readonly ok: true; readonly body: string; readonly truncated: boolean }
  | { readonly ok: false; readonly minimumSize: number };

function byteSize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function keepAttachmentChars(message: CallHomeMessage, keep: number): CallHomeMessage {
  let left = keep;
  return {
    ...message,
    attachments: message.attachments.map((a) => {
      if (a.data.length <= left) {
        left -= a.data.length;
        return a;
      }
      const data = left > 0 ? a.data.slice(0, left) + TRUNCATION_MARK : '';
      left = 0;
      return { name: a.name, data };
    }),
  };
}

function keepDescriptionChars(message: CallHomeMessage, keep: number): CallHomeMessage {
  return { ...message, description: message.description.slice(0, keep) };
}

/** Renders `message` in `format` within `limit` bytes, cutting what the policy allows. */
export function fitToLimit(message: CallHomeMessage, format: MessageFormat, limit: number): FitResult {
  const full = renderMessage(message, format);
  if (byteSize(full) <= limit) return { ok: true, body: full, truncated: false };
  const cutsDescription = format === 'short-text';
  const shrink = cutsDescription ? keepDescriptionChars : keepAttachmentChars;
  const total = cutsDescription ? message.description.length : message.attachments.reduce((n, a) => n + a.data.length, 0);
  const smallest = renderMessage(shrink(message, 0), format);
  if (byteSize(smallest) > limit) return { ok: false, minimumSize: byteSize(smallest) };
  // Largest `keep` whose rendering fits; size grows with `keep`.
  let lo = 0;
  let hi = total;
  let best = smallest;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const body = renderMessage(shrink(message, mid), format);
    if (byteSize(body) <= limit) {
      lo = mid;
      best = body;
    } else hi = mid - 1;
  }
  return { ok: true, body: best, truncated: true };
}
