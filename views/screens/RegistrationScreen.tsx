import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { registrationRows, trialDaysLeft } from '../../src/console/selectors.js';
import type { ConsoleState, DeviceRow } from '../../src/console/types.js';
import { Table } from '../components/Table.js';
import type { ColumnSpec, Tone } from '../../src/console/columns.js';
import { KeyHints } from '../components/KeyHints.js';
import { shortTime } from '../format.js';

const stateColor: Record<string, Tone> = { pending: 'yellow', registered: 'green', trial: 'cyan', expired: 'red', anonymous: 'gray' };

/** Registration states; Enter or c confirms a pending device with its token. */
export function RegistrationScreen(props: { readonly state: ConsoleState; readonly height: number; readonly now: number }): ReactNode {
  const rows = registrationRows(props.state);
  const columns: ColumnSpec<DeviceRow>[] = [
    { header: 'Device', width: 12, cell: (d) => d.hostname },
    { header: 'Serial', width: 14, cell: (d) => d.serial },
    { header: 'Model', width: 12, cell: (d) => d.model },
    { header: 'State', width: 11, cell: (d) => d.registration, tone: (d) => stateColor[d.registration] },
    {
      header: 'Trial',
      width: 16,
      cell: (d) => {
        const days = d.registration === 'trial' ? trialDaysLeft(d.trialEndsAt, props.now) : null;
        return days === null ? '' : `${days} days left`;
      },
    },
    { header: 'Last message', width: 19, cell: (d) => shortTime(d.lastMessageAt) },
  ];
  const counts = rows.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.registration]: (acc[d.registration] ?? 0) + 1 }), {});
  return (
    <Box flexDirection="column">
      <Text>{Object.entries(counts).map(([k, n]) => `${k}: ${n}`).join('   ') || 'No devices have called home yet.'}</Text>
      <Table columns={columns} rows={rows} selected={props.state.cursor.registration} height={props.height - 1} />
      <KeyHints hints={[['Enter/c', 'confirm pending device with token'], ['r', 'reload']]} />
    </Box>
  );
}
