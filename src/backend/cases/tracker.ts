/**
 * The simulated TAC SR tracker (S55, S24): in-process, it numbers cases and keeps their lifecycle.
 * Operators can make it unavailable (`PUT /api/v1/sr-tracker {"available": false}`) to rehearse the
 * back-end-failure mail of S53; while it is, new SRs fail and every other action still works.
 */
export type SrTracker = {
  available(): boolean;
  /** Why it is unavailable (operator's words), or '' when it is available. */
  reason(): string;
  set(available: boolean, reason?: string): void;
};

export function createSrTracker(): SrTracker {
  let up = true;
  let why = '';
  return {
    available: () => up,
    reason: () => (up ? '' : why),
    set(available, reason = '') {
      up = available;
      why = available ? '' : reason || 'made unavailable by an operator';
    },
  };
}
