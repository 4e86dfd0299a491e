import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { messageColumns, severityLabel } from '../../src/console/columns.js';
import { formatFilter, isEmptyFilter } from '../../src/console/filter.js';
import { formatTime, type TimeStyle } from '../../src/console/time-style.js';
import type { ConsoleState, MessageDetailView } from '../../src/console/types.js';
import { DetailLines } from '../components/DetailView.js';
import { KeyHints } from '../components/KeyHints.js';
import { Table } from '../components/Table.js';

function detailLines(d: MessageDetailView, style: TimeStyle): string[] {
  const lines = [
    `Message ${d.summary.messageId}  (#${d.summary.id}, ${d.summary.transport})`,
    `Device  ${d.summary.hostname}  serial ${d.summary.serial}  model ${d.summary.model}`,
    `Type    ${d.summary.type} ${d.summary.subType}  group ${d.summary.alertGroup}  severity ${severityLabel(d.summary.severity)}`,
    `Event   ${d.summary.eventName}`,
    `Text    ${d.summary.description}`,
    `Received ${formatTime(d.summary.receivedAt, style)}`,
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

/** Message history: live, newest first, filterable; Enter opens one. */
export function MessageHistoryScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const d = state.detail;
  if (d.kind === 'loading') return <Text color="cyan">Loading {d.key.replace(':', ' #')}…</Text>;
  if (d.kind === 'error') return <Text color="red">{d.key.replace(':', ' #')} could not be loaded: {d.message}</Text>;
  if (d.kind === 'open' && d.doc.kind === 'message') return <DetailLines lines={detailLines(d.doc.detail, state.timeStyle)} scroll={d.scroll} height={props.height} />;
  const w = state.messages;
  const filter = formatFilter(state.filter);
  const empty = !isEmptyFilter(state.filter) ? '  No message matches the filter (/ then Enter clears it).' : '  No messages yet.';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        Filter: <Text color="cyan">{filter === '' ? '(none)' : filter}</Text>
        {w.newAbove > 0 ? <Text color="yellow" bold>{`  ▲ ${w.newAbove} new (g or Home: go to the top)`}</Text> : null}
        {w.unseenNewer > 0 ? <Text color="yellow">{`  ${w.unseenNewer} newer not loaded (g or Home)`}</Text> : null}
        {w.loadingOlder ? <Text color="cyan">  loading older…</Text> : null}
        {w.older.kind === 'end' ? <Text dimColor>  (all loaded)</Text> : null}
      </Text>
      <Table columns={messageColumns(state.timeStyle)} rows={w.items} selected={state.cursor.messages} height={props.height - 1} empty={empty} />
      <KeyHints hints={[['/', 'filter'], ['Enter', 'open'], ['g/G', 'newest/oldest'], ['r', 'reload']]} />
    </Box>
  );
}
