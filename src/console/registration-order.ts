import type { RegistrationState } from '../events/protocol.js';

/** Registration states in the order summaries list them. */
export const REGISTRATION_ORDER: readonly RegistrationState[] = ['registered', 'trial', 'pending', 'expired', 'anonymous'];
