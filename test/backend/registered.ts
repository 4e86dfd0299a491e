/** Test set-up: devices registered (S71's History report lists registered devices only), straight through the store. */
import type { Store } from '../../src/backend/store/types.js';
import { buildMessage } from './build-message.js';

export async function registerDevices(store: Store, serials: readonly string[], at = new Date().toISOString()): Promise<void> {
  await store.transaction(async (tx) => {
    for (const serial of serials) {
      await tx.upsertDevice(buildMessage({ serialNumber: serial, hostname: `host-${serial}` }), at);
      await tx.putRegistration({ serial, state: 'registered', tokenHash: '', failedAttempts: 0, contractNumber: null, createdAt: at, updatedAt: at, confirmedAt: at, trialEndsAt: null, lastReminderAt: null, coverage: 'contract', coverageEndsAt: null, registeredBy: null, warnedDays: null, refusal: null });
    }
  });
}
