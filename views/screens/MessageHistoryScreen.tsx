import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { formatFilter } from '../../src/console/filter.js';
import type { ConsoleState, MessageDetailView } from '../../src/console/types.js';
import { Table } from '../components/Table.js';
import { messageColumns, severityLabel } from '../../src/console/columns.js';
import { KeyHints } from '../components/KeyHints.js';
import { shortTime } from '../format.js';


function detailLines(d: MessageDetailView): string[] {
  const lines = [
    `Message ${d.summary.messageId}  (#${d.summary.id}, ${d.summary.transport})`,
    `Device  ${d.summary.hostname}  serial ${d.summary.serial}  model ${d.summary.model}`,
    `Type    ${d.summary.type} ${d.summary.subType}  group ${d.summary.alertGroup}  severity ${severityLabel(d.summary.severity)}`,
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
      <Table columns={messageColumns(state.timeStyle)} rows={w.items} selected={state.cursor.messages} height={props.height - 1} empty="  No messages yet." />
      <KeyHints hints={[['/', 'filter'], ['Enter', 'open'], ['r', 'reload']]} />
    </Box>
  );
}
