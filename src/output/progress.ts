/** The live progress line of a fleet run: done / failed / running, rate and ETA. Pure state + format. */
import { assertNever } from '../util/assert-never.js';

export type ProgressState = {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  readonly running: number;
  readonly startedAt: number;
};

/** A fresh progress state for `total` devices. */
export function startProgress(total: number, now = performance.now()): ProgressState {
  return { total, done: 0, failed: 0, running: 0, startedAt: now };
}

/** The progress state after one fleet event. */
export function advanceProgress(state: ProgressState, event: 'started' | 'succeeded' | 'failed'): ProgressState {
  switch (event) {
    case 'started':
      return { ...state, running: state.running + 1 };
    case 'succeeded':
      return { ...state, running: state.running - 1, done: state.done + 1 };
    case 'failed':
      return { ...state, running: state.running - 1, done: state.done + 1, failed: state.failed + 1 };
    default:
      return assertNever(event, 'progress event');
  }
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

/** `42/100 done · 3 failed · 50 running · 12.3/s · ETA 5s` */
export function formatProgress(state: ProgressState, now = performance.now()): string {
  const elapsed = Math.max(0.001, (now - state.startedAt) / 1000);
  const rate = state.done / elapsed;
  const eta = rate > 0 ? (state.total - state.done) / rate : Number.POSITIVE_INFINITY;
  return `${state.done}/${state.total} done · ${state.failed} failed · ${state.running} running · ${rate.toFixed(1)}/s · ETA ${formatSeconds(eta)}`;
}
