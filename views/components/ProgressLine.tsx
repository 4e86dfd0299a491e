import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { FleetHost } from '../../src/console/types.js';

/** "push: 3 running, 17 done" for the fleet operations in flight. */
export function ProgressLine(props: { readonly fleet: readonly FleetHost[] }): ReactNode {
  const running = props.fleet.filter((h) => h.running !== null);
  if (running.length === 0) return null;
  const ops = [...new Set(running.map((h) => h.running))].join(', ');
  return (
    <Text color="cyan">
      ⟳ {ops}: {running.length} of {props.fleet.length} hosts running
    </Text>
  );
}
