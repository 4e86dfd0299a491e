import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ConsoleStore } from '../../src/console/store.js';
import type { ConsoleState } from '../../src/console/types.js';

/** The console store the app renders. */
export const StoreContext = createContext<ConsoleStore | null>(null);

/** The published console state; re-renders on every batched publish. */
export function useConsoleState(): ConsoleState {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useConsoleState outside <ConsoleApp>');
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
