import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { deviceForHost, hostProfiles, hostServiceEnabled } from '../../src/console/selectors.js';
import type { ConsoleState, FleetHost } from '../../src/console/types.js';
import { Table } from '../components/Table.js';
import type { ColumnSpec } from '../../src/console/columns.js';
import { KeyHints } from '../components/KeyHints.js';
import { shortTime } from '../format.js';

/** Fleet: every inventory host with reachability, service, profiles, last message, registration and drift. */
export function FleetScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const selected = new Set(state.selectedHosts);
  const columns: ColumnSpec<FleetHost>[] = [
    { header: 'Host', width: 8, cell: (h) => h.name },
    { header: 'Address', width: 16, cell: (h) => h.address },
    {
      header: 'Reach',
      width: 7,
      cell: (h) => (h.running !== null ? h.running : h.reachable === null ? '?' : h.reachable ? 'up' : 'DOWN'),
      tone: (h) => (h.running !== null ? 'cyan' : h.reachable === false ? 'red' : h.reachable ? 'green' : undefined),
    },
    {
      // `service call-home`, as `show call-home` reports it.
      header: 'Svc',
      width: 4,
      cell: (h) => {
        const on = hostServiceEnabled(h);
        return on === null ? '?' : on ? 'on' : 'off';
      },
      tone: (h) => {
        const on = hostServiceEnabled(h);
        return on === null ? undefined : on ? 'green' : 'yellow';
      },
    },
    {
      header: 'Profiles',
      width: 16,
      cell: (h) => hostProfiles(h)?.map((p) => `${p.name}${p.active ? '' : '(off)'}`).join(',') ?? '-',
    },
    { header: 'Last msg', width: 11, cell: (h) => shortTime(deviceForHost(state, h)?.lastMessageAt).slice(5, 16) },
    { header: 'Registr.', width: 10, cell: (h) => deviceForHost(state, h)?.registration ?? '-' },
    {
      header: 'Drift',
      width: 9,
      cell: (h) => (h.drift === null ? '?' : h.drift.length === 0 ? 'in sync' : `${h.drift.length} cmds`),
      tone: (h) => (h.drift === null ? undefined : h.drift.length === 0 ? 'green' : 'yellow'),
    },
    {
      header: 'Last result',
      width: 30,
      cell: (h) => {
        const r = h.results.push ?? h.results.send ?? h.results.profiles;
        if (r === undefined) return '';
        return r.ok ? (r.changed ? 'changed' : 'ok') : `${r.error?.kind ?? 'error'}: ${r.error?.message ?? ''}`;
      },
      tone: (h) => {
        const r = h.results.push ?? h.results.send ?? h.results.profiles;
        return r === undefined ? undefined : r.ok ? 'green' : 'red';
      },
    },
  ];
  return (
    <Box flexDirection="column">
      <Table
        columns={columns}
        rows={state.fleet}
        selected={state.cursor.fleet}
        height={props.height}
        marker={(h) => (selected.has(h.name) ? '*' : ' ')}
        empty="  No inventory: start with --inventory FILE."
      />
      <Text>
        {state.selectedHosts.length} selected of {state.fleet.length}
      </Text>
      <KeyHints hints={[['space', 'select'], ['a', 'all'], ['p', 'push'], ['t', 'test'], ['v', 'verify'], ['r', 'refresh']]} />
    </Box>
  );
}
