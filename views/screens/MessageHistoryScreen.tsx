import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { formatFilter } from '../../src/console/filter.js';
import type { ConsoleState, MessageDetailView } from '../../src/console/types.js';
import type { MessageSummary } from '../../src/events/protocol.js';
import { Table, type Column } from '../components/Table.js';
import { KeyHints } from '../components/KeyHints.js';
import { severityColor, severityText, shortTime } from '../format.js';

const columns: Column<MessageSummary>[] = [
  { header: 'Time (UTC)', width: 14, cell: (m) => shortTime(m.receivedAt).slice(5) },
  { header: 'Device', width: 10, cell: (m) => m.hostname || m.serial },
  { header: 'Severity', width: 12, cell: (m) => severityText(m.severity), color: (m) => severityColor(m.severity) },
  { header: 'Type/group', width: 12, cell: (m) => (m.type === m.alertGroup || m.alertGroup === '' ? m.type : `${m.type}/${m.alertGroup}`) },
  { header: 'Event', width: 16, cell: (m) => m.eventName },
  { header: 'Description', width: 28, cell: (m) => m.description },
  { header: 'Via', width: 5, cell: (m) => m.transport },
];

function detailLines(d: MessageDetailView): string[] {
  const lines = [
    `Message ${d.summary.messageId}  (#${d.summary.id}, ${d.summary.transport})`,
    `Device  ${d.summary.hostname}  serial ${d.summary.serial}  model ${d.summary.model}`,
    `Type    ${d.summary.type} ${d.summary.subType}  group ${d.summary.alertGroup}  severity ${severityText(d.summary.severity)}`,
    `Event   ${d.summary.eventName}`,
    `Text    ${d.summary.description}`,
    `Received ${shortTime(d.summary.receivedAt)}`,
    '',
    '── Fields',
  ];
  for (const [k, v] of Object.entries(d.fields)) {
    if (k === 'attachments' || k === 'cards') continue;
    if (typeof v === 'string' && v !== '') lines.push(`  ${k}: ${v}`);
  }
  lines.push('', '── Processing');
  for (const [k, v] of Object.entries(d.results)) lines.push(`  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  for (const a of d.attachments) {
    lines.push('', `── Attachment: ${a.name}`);
    lines.push(...a.data.split(/\r?\n/));
  }
  return lines;
}

/** The opened message, scrollable. */
function MessageDetail(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const d = props.state.detail;
  if (d.kind === 'loading') return <Text color="cyan">Loading message #{d.id}…</Text>;
  if (d.kind === 'error') return <Text color="red">Message #{d.id} could not be loaded: {d.message}</Text>;
  if (d.kind !== 'open') return null;
  const lines = detailLines(d.detail);
  const start = Math.min(d.scroll, Math.max(0, lines.length - props.height));
  return (
    <Box flexDirection="column">
      {lines.slice(start, start + props.height).map((l, i) => (
        <Text key={i}>{l === '' ? ' ' : l}</Text>
      ))}
      <KeyHints hints={[['↑↓', `scroll (${start + 1}/${lines.length})`], ['Esc', 'back']]} />
    </Box>
  );
}

/** Message history: live, newest first, filterable; Enter opens one. */
export function MessageHistoryScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  if (state.detail.kind !== 'closed') return <MessageDetail state={state} height={props.height} />;
  const w = state.messages;
  const filter = formatFilter(state.filter);
  return (
    <Box flexDirection="column">
      <Text>
        Filter: <Text color="cyan">{filter === '' ? '(none)' : filter}</Text>
        {w.unseenNewer > 0 ? <Text color="yellow">{`  ${w.unseenNewer} newer (scroll to top)`}</Text> : null}
        {w.loadingOlder ? <Text color="cyan">  loading older…</Text> : null}
        {w.older.kind === 'end' ? <Text dimColor>  (all loaded)</Text> : null}
      </Text>
      <Table columns={columns} rows={w.items} selected={state.cursor.messages} height={props.height - 1} empty="  No messages yet." />
      <KeyHints hints={[['/', 'filter'], ['Enter', 'open'], ['r', 'reload']]} />
    </Box>
  );
}
