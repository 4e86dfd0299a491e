import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ConsoleState, VerifyRow } from '../../src/console/types.js';
import { Table } from '../components/Table.js';
import type { ColumnSpec } from '../../src/console/columns.js';
import { KeyHints } from '../components/KeyHints.js';

const yes = (b: boolean): string => (b ? 'yes' : 'no');

const columns: ColumnSpec<VerifyRow>[] = [
  { header: 'Host', width: 8, cell: (r) => r.host },
  { header: 'Configured', width: 10, cell: (r) => yes(r.configured), tone: (r) => (r.configured ? 'green' : 'red') },
  { header: 'Sent', width: 5, cell: (r) => yes(r.sent), tone: (r) => (r.sent ? 'green' : 'red') },
  { header: 'Received', width: 8, cell: (r) => yes(r.received), tone: (r) => (r.received ? 'green' : 'red') },
  { header: 'Latency', width: 8, align: 'right', cell: (r) => (r.latencyMs === null ? '-' : `${Math.round(r.latencyMs)} ms`) },
  { header: 'Broken at', width: 9, cell: (r) => r.brokenAt ?? 'OK', tone: (r) => (r.brokenAt === null ? 'green' : 'red') },
  { header: 'Detail', width: 50, cell: (r) => r.detail ?? r.messageId ?? '' },
];

/** The closed loop per device: configured → sent → received, or where it broke. */
export function VerifyScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const running = state.fleet.filter((h) => h.running === 'verify').length;
  const ok = state.verify.filter((v) => v.brokenAt === null).length;
  return (
    <Box flexDirection="column">
      <Text>
        {state.verify.length === 0 ? 'Not run yet.' : `${ok}/${state.verify.length} closed the loop`}
        {running > 0 ? <Text color="cyan">{`  ${running} running`}</Text> : null}
      </Text>
      <Table columns={columns} rows={state.verify} selected={state.cursor.verify} height={props.height - 1} />
      <KeyHints hints={[['v/r', 'verify all']]} />
    </Box>
  );
}
