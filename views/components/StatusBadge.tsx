import { Text } from 'ink';
import type { ReactNode } from 'react';
import type { ConnectionState } from '../../src/console/types.js';
import { assertNever } from '../../src/util/assert-never.js';

/** Label and colour of a connection state. */
export function connectionLabel(state: ConnectionState): { text: string; color: string } {
  switch (state.kind) {
    case 'disabled':
      return { text: 'no back end', color: 'gray' };
    case 'connecting':
      return { text: 'connecting…', color: 'yellow' };
    case 'open':
      return { text: 'live', color: 'green' };
    case 'backing-off':
      return { text: `reconnecting (attempt ${state.attempt}, ${Math.ceil(state.retryInMs / 1000)}s)`, color: 'yellow' };
    case 'unauthorized':
      return { text: state.retryAfterSeconds !== null ? `token refused (wrong tokens slowed, retry in ${state.retryAfterSeconds} s): set $CALLHOME_TOKEN or --token-file` : 'token refused: set $CALLHOME_TOKEN or --token-file', color: 'red' };
    case 'closed':
      return { text: 'closed', color: 'red' };
    default:
      return assertNever(state, 'connection state');
  }
}

/** The back-end connection state, always visible in the status line. */
export function ConnectionBadge(props: { readonly state: ConnectionState }): ReactNode {
  const { text, color } = connectionLabel(props.state);
  return <Text color={color}>● {text}</Text>;
}

/** A bracketed state such as [Available] in a colour. */
export function StatusBadge(props: { readonly text: string; readonly color: string }): ReactNode {
  return <Text color={props.color}>[{props.text}]</Text>;
}
