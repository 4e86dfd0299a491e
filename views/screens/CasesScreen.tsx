import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ColumnSpec } from '../../src/console/columns.js';
import { caseRows, type CaseOrNotification } from '../../src/console/selectors.js';
import { formatTime, type TimeStyle } from '../../src/console/time-style.js';
import type { CaseDetailView, ConsoleState, NotificationView } from '../../src/console/types.js';
import { DetailLines } from '../components/DetailView.js';
import { KeyHints } from '../components/KeyHints.js';
import { Table } from '../components/Table.js';

function columns(style: TimeStyle): ColumnSpec<CaseOrNotification>[] {
  return [
    {
      header: 'Kind',
      width: 20,
      min: 12,
      cell: (r) => (r.kind === 'case' ? `case ${r.item.status}` : r.item.kind),
      tone: (r) => (r.kind === 'case' ? (r.item.status === 'closed' ? 'gray' : r.item.status === 'resolved' ? 'green' : 'yellow') : r.item.delivered ? 'green' : 'red'),
    },
    { header: 'Number / to', width: 22, min: 12, cell: (r) => (r.kind === 'case' ? r.item.number : r.item.to.join(', ')) },
    { header: 'Device', width: 12, min: 8, cell: (r) => (r.kind === 'case' ? r.item.hostname || r.item.serial : (r.item.serial ?? '-')) },
    { header: 'When', width: style === 'utc' ? 20 : 25, cell: (r, c) => formatTime(r.kind === 'case' ? r.item.updatedAt : r.item.sentAt, c.timeStyle) },
    { header: 'Title / subject', width: 30, min: 12, grow: 1, cell: (r) => (r.kind === 'case' ? `P${r.item.priority} ${r.item.title}` : r.item.subject) },
  ];
}

function caseLines(c: CaseDetailView, style: TimeStyle): string[] {
  const lines = [
    `Case ${c.number}  ${c.status}  priority P${c.priority}`,
    `Device ${c.hostname}  serial ${c.serial}`,
    `Title ${c.title}`,
    `Opened ${formatTime(c.openedAt, style)}  updated ${formatTime(c.updatedAt, style)}  rule ${c.rule}`,
    '',
    '── Recommendation',
    ...c.recommendation.split(/\r?\n/),
    '',
    '── History',
    ...c.history.map((h) => `  ${formatTime(h.at, style)}  ${h.note}${h.messageId !== null ? ` (message #${h.messageId})` : ''}`),
  ];
  for (const a of c.attachments) lines.push('', `── Attachment: ${a.name}`, ...a.data.split(/\r?\n/));
  return lines;
}

function notificationLines(n: NotificationView, style: TimeStyle): string[] {
  return [
    `Notification #${n.id}  ${n.kind}  ${n.delivered ? 'delivered' : n.error ? `not delivered: ${n.error}` : 'recorded, not sent'}`,
    `To ${n.to.join(', ') || '(nobody)'}`,
    `Sent ${formatTime(n.sentAt, style)}  device ${n.serial ?? '-'}`,
    `Subject ${n.subject}`,
    '',
    ...(n.body ?? '').split(/\r?\n/),
  ];
}

/** Cases opened by the rules and the notifications sent; Enter opens one to read its whole text. */
export function CasesScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const d = state.detail;
  if (d.kind === 'loading') return <Text color="cyan">Loading {d.key.replace(':', ' ')}…</Text>;
  if (d.kind === 'error') return <Text color="red">{d.key.replace(':', ' ')} could not be loaded: {d.message}</Text>;
  if (d.kind === 'open' && d.doc.kind === 'case') return <DetailLines lines={caseLines(d.doc.detail, state.timeStyle)} scroll={d.scroll} height={props.height} />;
  if (d.kind === 'open' && d.doc.kind === 'notification') return <DetailLines lines={notificationLines(d.doc.detail, state.timeStyle)} scroll={d.scroll} height={props.height} />;
  return (
    <Box flexDirection="column">
      <Table columns={columns(state.timeStyle)} rows={caseRows(state)} selected={state.cursor.cases} height={props.height} empty="  No cases or notifications." />
      <KeyHints hints={[['Enter', 'open'], ['n', 'note'], ['R', 'resolve'], ['C', 'close'], ['r', 'reload']]} />
    </Box>
  );
}
