/** Why an incoming message is refused, and the HTTP status each reason maps to. */
import type { ParseRefusalKind } from '../../callhome/refusal.js';
import { assertNever } from '../../util/assert-never.js';

/** The codec's refusals (the body is not a usable Call Home message) plus the transport's own. */
export type RefusalKind = ParseRefusalKind | 'too-large' | 'content-type' | 'busy' | 'too-slow';

/** A refused message: the kind decides the status; the text says what failed and what to do. */
export type Refusal = { readonly kind: RefusalKind; readonly reason: string };

/** HTTP status of a refusal (400 malformed, 413 too large, 415 media type, 503 over the global cap on pending bytes, 422 not a usable Call Home message). */
export function refusalStatus(kind: RefusalKind): number {
  switch (kind) {
    case 'not-xml':
    case 'forbidden-dtd':
    case 'too-complex':
      return 400;
    case 'too-large':
      return 413;
    case 'content-type':
      return 415;
    case 'busy':
      return 503;
    case 'too-slow':
      return 408;
    case 'not-call-home':
    case 'no-serial':
      return 422;
    default:
      return assertNever(kind, 'refusal kind');
  }
}
