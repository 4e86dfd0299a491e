/**
 * Sizes for the load, fault and fuzz suites. `npm test` (CI) runs them reduced; `npm run test:faults`
 * sets FAULT_SCALE=full and `npm run test:fuzz` sets FUZZ_RUNS=10000 for the sizes issue 6 names.
 */

/** 'full' when FAULT_SCALE=full, else the reduced CI size. */
export type FaultScale = 'ci' | 'full';

export function faultScale(): FaultScale {
  return process.env['FAULT_SCALE'] === 'full' ? 'full' : 'ci';
}

/** Picks the CI or the full figure for the current scale. */
export function scaled<T>(ci: T, full: T): T {
  return faultScale() === 'full' ? full : ci;
}

/** fast-check runs per property: FUZZ_RUNS when set to a positive integer, else 500. */
export function fuzzRuns(): number {
  const runs = Number(process.env['FUZZ_RUNS']);
  return Number.isInteger(runs) && runs > 0 ? runs : 500;
}
