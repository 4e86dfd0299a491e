/** Why the codec cannot read a body as a Call Home message. */

/**
 * - `not-xml`: not well-formed; `forbidden-dtd`: a DOCTYPE or ENTITY declaration (never processed);
 * - `too-complex`: past a structural cap (attributes per element, nesting depth) or the parse deadline;
 * - `not-call-home`: well-formed but not a supported Call Home message; `no-serial`: no device serial.
 */
export type ParseRefusalKind = 'not-xml' | 'forbidden-dtd' | 'too-complex' | 'not-call-home' | 'no-serial';

/** A body the codec refuses: the kind says which check failed, the reason what to do (never body content). */
export type ParseRefusal = { readonly kind: ParseRefusalKind; readonly reason: string };
