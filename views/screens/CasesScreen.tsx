import { Box } from 'ink';
import type { ReactNode } from 'react';
import { caseRows, type CaseOrNotification } from '../../src/console/selectors.js';
import type { ConsoleState } from '../../src/console/types.js';
import { Table } from '../components/Table.js';
import type { ColumnSpec } from '../../src/console/columns.js';
import { KeyHints } from '../components/KeyHints.js';
import { shortTime } from '../format.js';

const columns: ColumnSpec<CaseOrNotification>[] = [
  { header: 'Kind', width: 12, cell: (r) => (r.kind === 'case' ? `case ${r.item.status}` : `mail ${r.item.kind}`), tone: (r) => (r.kind === 'case' ? (r.item.status === 'closed' ? 'gray' : 'yellow') : r.item.delivered ? 'green' : 'red') },
  { header: 'Number / to', width: 22, cell: (r) => (r.kind === 'case' ? r.item.number : r.item.to.join(',')) },
  { header: 'Device', width: 12, cell: (r) => (r.kind === 'case' ? r.item.hostname : (r.item.serial ?? '-')) },
  { header: 'When', width: 19, cell: (r) => shortTime(r.kind === 'case' ? r.item.updatedAt : r.item.sentAt) },
  { header: 'Title / subject', width: 44, cell: (r) => (r.kind === 'case' ? `P${r.item.priority} ${r.item.title}` : r.item.subject) },
];

/** Cases opened by the rules and the notifications sent. */
export function CasesScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  return (
    <Box flexDirection="column">
      <Table columns={columns} rows={caseRows(props.state)} selected={props.state.cursor.cases} height={props.height} empty="  No cases or notifications." />
      <KeyHints hints={[['r', 'reload']]} />
    </Box>
  );
}
