import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { plural } from '../../src/console/selectors.js';
import type { ConsoleState, VerifyRow } from '../../src/console/types.js';
import { Table } from '../components/Table.js';
import type { ColumnSpec } from '../../src/console/columns.js';
import { KeyHints } from '../components/KeyHints.js';

const yes = (b: boolean): string => (b ? 'yes' : 'no');

const columns: ColumnSpec<VerifyRow>[] = [
  { header: 'Host', width: 8, min: 6, cell: (r) => r.host },
  { header: 'Configured', width: 10, cell: (r) => yes(r.configured), tone: (r) => (r.configured ? 'green' : 'red') },
  { header: 'Sent', width: 5, cell: (r) => yes(r.sent), tone: (r) => (r.sent ? 'green' : 'red') },
  { header: 'Received', width: 8, cell: (r) => yes(r.received), tone: (r) => (r.received ? 'green' : 'red') },
  { header: 'Latency', width: 8, align: 'right', cell: (r) => (r.latencyMs === null ? '-' : `${Math.round(r.latencyMs)} ms`) },
  { header: 'Broken at', width: 9, min: 8, cell: (r) => r.brokenAt ?? 'OK', tone: (r) => (r.brokenAt === null ? 'green' : 'red') },
  { header: 'Detail', width: 30, min: 10, grow: 1, cell: (r) => r.detail ?? r.messageId ?? '' },
];

/** The closed loop per device: configured → sent → received, or where it broke. */
export function VerifyScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const run = state.runs.verify;
  const ok = state.verify.filter((v) => v.brokenAt === null).length;
  return (
    <Box flexDirection="column">
      <Text>
        {state.verify.length === 0 && run === undefined ? 'Not run yet.' : `${ok}/${state.verify.length} closed the loop`}
        {run !== undefined && !run.finished ? <Text color="cyan">{`  running: ${run.done.length} of ${plural(run.hosts.length, 'host')} done`}</Text> : null}
        {run !== undefined && run.finished ? <Text color={run.failed === 0 ? 'green' : 'red'}>{`  done: ${plural(run.hosts.length, 'host')}, ${run.failed} failed`}</Text> : null}
      </Text>
      <Table columns={columns} rows={state.verify} selected={state.cursor.verify} height={props.height - 1} />
      <KeyHints hints={[['v/r', 'verify all']]} />
    </Box>
  );
}
