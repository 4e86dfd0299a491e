import { createContext, useContext } from 'react';
import type { ConsoleIntents } from '../../src/console/adapters/intents.js';

/** The intent handlers the views dispatch to. */
export const IntentsContext = createContext<ConsoleIntents | null>(null);

/** The console's intents. */
export function useIntents(): ConsoleIntents {
  const intents = useContext(IntentsContext);
  if (intents === null) throw new Error('useIntents outside <ConsoleApp>');
  return intents;
}
