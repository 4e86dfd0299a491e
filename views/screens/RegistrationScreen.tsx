import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ColumnSpec, Tone } from '../../src/console/columns.js';
import { REGISTRATION_ORDER } from '../../src/console/registration-order.js';
import { EXPIRING_SOON_DAYS, expiryCountdown, pendingToken, registrationRows } from '../../src/console/selectors.js';
import { formatTime } from '../../src/console/time-style.js';
import type { ConsoleState, DeviceRow } from '../../src/console/types.js';
import { KeyHints } from '../components/KeyHints.js';
import { Table } from '../components/Table.js';

const stateColor: Record<string, Tone> = { pending: 'yellow', registered: 'green', trial: 'cyan', expired: 'red', anonymous: 'gray' };

/** Registration states; c (or Enter) confirms the pending device, or every selected one, with the token from its notification. */
export function RegistrationScreen(props: { readonly state: ConsoleState; readonly height: number; readonly now: number }): ReactNode {
  const { state } = props;
  const rows = registrationRows(state);
  const selected = new Set(state.selectedDevices);
  const columns: ColumnSpec<DeviceRow>[] = [
    { header: 'Device', width: 12, min: 8, cell: (d) => d.hostname },
    { header: 'Serial', width: 14, min: 10, cell: (d) => d.serial },
    { header: 'Model', width: 12, min: 7, cell: (d) => d.model },
    { header: 'State', width: 11, min: 8, cell: (d) => d.registration, tone: (d) => stateColor[d.registration] },
    {
      header: 'Expires / token',
      width: 22,
      min: 10,
      cell: (d) => {
        if (d.registration === 'pending') return d.refusal ? `refused: ${d.refusal}` : pendingToken(state, d.serial) !== null ? 'token received' : 'token not loaded';
        const c = expiryCountdown(d, props.now);
        return c === null ? '' : `${c.what} ${c.days}d left`;
      },
      tone: (d) => {
        if (d.registration === 'pending') return d.refusal ? 'red' : undefined;
        const c = expiryCountdown(d, props.now);
        return c !== null && c.days <= EXPIRING_SOON_DAYS ? 'yellow' : undefined;
      },
    },
    { header: 'Last message', width: state.timeStyle === 'utc' ? 20 : 25, min: 11, grow: 1, cell: (d, c) => formatTime(d.lastMessageAt, c.timeStyle) },
  ];
  const counts = REGISTRATION_ORDER.map((k) => [k, rows.filter((d) => d.registration === k).length] as const).filter(([, n]) => n > 0);
  const soon = rows.filter((d) => (expiryCountdown(d, props.now)?.days ?? Infinity) <= EXPIRING_SOON_DAYS).length;
  return (
    <Box flexDirection="column">
      <Text>
        {counts.map(([k, n]) => `${k}: ${n}`).join('   ') || 'No devices have called home yet.'}
        {soon > 0 ? <Text color="yellow">{`   expiring within ${EXPIRING_SOON_DAYS} days: ${soon}`}</Text> : null}
        {selected.size > 0 ? <Text color="cyan">{`   ${selected.size} selected`}</Text> : null}
      </Text>
      <Table columns={columns} rows={rows} selected={state.cursor.registration} height={props.height - 1} marker={(d) => (selected.has(d.serial) ? '*' : ' ')} />
      <KeyHints hints={[['c/Enter', 'confirm (token filled in)'], ['space', 'select several'], ['r', 'reload']]} />
    </Box>
  );
}
