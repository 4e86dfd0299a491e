/** How EXEC actions report the Call Home engine's answer (IOS prints errors only). */
import { assertNever } from '../../../util/assert-never.js';
import type { SendOutcome } from '../../types.js';

/** Nothing when queued; the engine's error line (as an IOS `%` message) when rejected. */
export function sendOutcomeText(outcome: SendOutcome): string {
  switch (outcome.kind) {
    case 'queued':
      return '';
    case 'rejected': {
      const m = outcome.message.trim();
      return `${m.startsWith('%') ? m : `% ${m}`}\n`;
    }
    default:
      return assertNever(outcome, 'send outcome');
  }
}
