import { Text } from 'ink';
import type { ReactNode } from 'react';
import { plural } from '../../src/console/selectors.js';
import type { ConsoleState } from '../../src/console/types.js';

/** "⟳ push: 3 of 20 hosts done" for each fleet operation still running. */
export function ProgressLine(props: { readonly runs: ConsoleState['runs'] }): ReactNode {
  const running = Object.entries(props.runs).filter(([, r]) => r !== undefined && !r.finished);
  if (running.length === 0) return null;
  return (
    <Text color="cyan" wrap="truncate-end">
      ⟳ {running.map(([op, r]) => `${op}: ${r?.done.length ?? 0} of ${plural(r?.hosts.length ?? 0, 'host')} done`).join(' · ')}
    </Text>
  );
}
