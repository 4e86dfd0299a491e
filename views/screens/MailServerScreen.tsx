import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { gatewayRows, mailRows, type GatewayMailRow, type MailRow } from '../../src/console/selectors.js';
import { formatTime, timeWidth as timeWidthOf, type TimeStyle } from '../../src/console/time-style.js';
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

/** The gateways' columns (S96): mailbox connection state and last poll, queue, forwarding, store. */
const gatewayColumns = (style: TimeStyle): ColumnSpec<GatewayMailRow>[] => [
  { header: 'Gateway', width: 12, min: 8, cell: (r) => r.name },
  { header: 'Mailbox', width: 28, min: 10, grow: 2, cell: (r) => r.mailbox, tone: (r) => (r.mailboxOk === false ? 'red' : r.mailboxOk ? 'green' : undefined) },
  { header: 'Last poll', width: timeWidthOf(style), min: 8, cell: (r) => (r.lastPoll === null ? '-' : formatTime(r.lastPoll, style)) },
  { header: 'Queued', width: 6, align: 'right', cell: (r) => r.queued },
  { header: 'Held', width: 5, align: 'right', cell: (r) => r.held },
  { header: 'Send', width: 4, cell: (r) => r.send, tone: (r) => (r.send === 'No' ? 'yellow' : undefined) },
  { header: 'Forwarding', width: 11, min: 6, grow: 1, cell: (r) => r.forwarding, tone: (r) => (r.forwardingOk === false ? 'red' : r.forwardingOk ? 'green' : undefined) },
  { header: 'Store', width: 5, cell: (r) => (r.storeFull ? 'FULL' : r.reportedAt === null ? '-' : 'ok'), tone: (r) => (r.storeFull ? 'red' : undefined) },
];

/** Mail-server availability per device and server, the back end's own SMTP listener, and the Transport Gateways. */
export function MailServerScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const smtp = props.state.listeners.smtp;
  const gateways = gatewayRows(props.state);
  // The gateways' rows take what they need (a heading and a header line besides), at most half the screen.
  const gatewayHeight = gateways.length === 0 ? 0 : Math.min(gateways.length, Math.max(1, Math.floor(props.height / 2) - 2));
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
      <Table columns={columns} rows={mailRows(props.state)} selected={props.state.cursor.mail} height={props.height - 1 - (gatewayHeight > 0 ? gatewayHeight + 2 : 0)} empty="  Press r to read mail-server status from the devices." />
      {gatewayHeight > 0 ? (
        <>
          <Text bold>Transport gateways</Text>
          <Table columns={gatewayColumns(props.state.timeStyle)} rows={gateways} height={gatewayHeight} />
        </>
      ) : null}
      <KeyHints hints={[['r', 'refresh from the devices']]} />
    </Box>
  );
}
