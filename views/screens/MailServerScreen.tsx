import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { mailRows, type MailRow } from '../../src/console/selectors.js';
import type { ConsoleState } from '../../src/console/types.js';
import { terminalSafe } from '../../src/util/terminal-text.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { Table } from '../components/Table.js';
import type { ColumnSpec } from '../../src/console/columns.js';
import { KeyHints } from '../components/KeyHints.js';

const columns: ColumnSpec<MailRow>[] = [
  { header: 'Host', width: 8, min: 6, cell: (r) => r.host },
  { header: 'Mail server', width: 28, min: 14, cell: (r) => r.address },
  { header: 'Priority', width: 8, align: 'right', cell: (r) => (r.priority > 0 ? String(r.priority) : '') },
  {
    header: 'Status',
    width: 15,
    cell: (r) => (r.error !== null ? 'SSH failed' : r.available === null ? '' : r.available ? '[Available]' : '[Not Available]'),
    tone: (r) => (r.error !== null || r.available === false ? 'red' : r.available ? 'green' : undefined),
  },
  { header: 'Error', width: 20, min: 8, grow: 1, cell: (r) => r.error ?? '' },
];

/** Mail-server availability per device and server, and the back end's own SMTP listener. */
export function MailServerScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const smtp = props.state.listeners.smtp;
  return (
    <Box flexDirection="column">
      <Box>
        <Text>Back-end SMTP listener: </Text>
        {smtp === undefined ? (
          <Text dimColor>unknown (no listener event yet)</Text>
        ) : (
          <>
            <StatusBadge text={smtp.state === 'listening' ? 'Available' : 'Not Available'} color={smtp.state === 'listening' ? 'green' : 'red'} />
            <Text>
              {' '}
              {smtp.state}
              {smtp.port !== null ? ` on port ${smtp.port}` : ''}
              {smtp.error !== null ? ` — ${terminalSafe(smtp.error)}` : ''}
            </Text>
          </>
        )}
      </Box>
      <Table columns={columns} rows={mailRows(props.state)} selected={props.state.cursor.mail} height={props.height - 1} empty="  Press r to read mail-server status from the devices." />
      <KeyHints hints={[['r', 'refresh from the devices']]} />
    </Box>
  );
}
