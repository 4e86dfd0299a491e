import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ColumnSpec } from '../../src/console/columns.js';
import { formatTime } from '../../src/console/time-style.js';
import {
  deviceForHost,
  driftDiff,
  driftText,
  fleetRows,
  fleetTotals,
  hostMessages,
  hostProfiles,
  hostServiceEnabled,
  hostState,
  lastResult,
  plural,
  statsTotals,
} from '../../src/console/selectors.js';
import type { ConsoleState, FleetHost } from '../../src/console/types.js';
import { STATS_SECTIONS } from '../../src/domain/statistics.js';
import { DetailLines } from '../components/DetailView.js';
import { KeyHints } from '../components/KeyHints.js';
import { Table } from '../components/Table.js';
import { SECTION_TITLE } from './StatisticsScreen.js';

function resultText(h: FleetHost): string {
  const r = lastResult(h);
  if (r === undefined) return '';
  return r.ok ? (r.changed ? 'changed' : 'ok') : `${r.error?.kind ?? 'error'}: ${r.error?.message ?? ''}`;
}

function fleetColumns(state: ConsoleState): ColumnSpec<FleetHost>[] {
  return [
    { header: 'Host', width: 8, min: 6, cell: (h) => h.name },
    { header: 'Address', width: 16, min: 9, cell: (h) => h.address },
    {
      header: 'State',
      width: 9,
      min: 7,
      cell: hostState,
      tone: (h) => (h.running !== null ? 'cyan' : h.reachable === false ? 'red' : h.reachable ? 'green' : undefined),
    },
    {
      // `service call-home`, as `show call-home` reports it.
      header: 'Call Home',
      width: 9,
      min: 4,
      cell: (h) => {
        const on = hostServiceEnabled(h);
        return on === null ? '-' : on ? 'on' : 'off';
      },
      tone: (h) => {
        const on = hostServiceEnabled(h);
        return on === null ? undefined : on ? 'green' : 'yellow';
      },
    },
    { header: 'Profiles', width: 16, min: 8, cell: (h) => hostProfiles(h)?.map((p) => `${p.name}${p.active ? '' : ' (inactive)'}`).join(', ') ?? '-' },
    { header: 'Last message', width: state.timeStyle === 'utc' ? 20 : 25, min: 11, cell: (h, c) => formatTime(deviceForHost(state, h)?.lastMessageAt, c.timeStyle) },
    { header: 'Registration', width: 12, min: 7, cell: (h) => deviceForHost(state, h)?.registration ?? '-' },
    {
      header: 'Drift',
      width: 11,
      min: 7,
      cell: driftText,
      tone: (h) => (h.drift === null ? undefined : h.drift.length === 0 ? 'green' : 'yellow'),
    },
    {
      header: 'Last result',
      width: 20,
      min: 8,
      grow: 1,
      cell: resultText,
      tone: (h) => {
        const r = lastResult(h);
        return r === undefined ? undefined : r.ok ? 'green' : 'red';
      },
    },
  ];
}

function hostLines(state: ConsoleState, h: FleetHost): string[] {
  const device = deviceForHost(state, h);
  const lines = [
    `Host ${h.name}  ${h.address}  hostname ${h.hostname ?? '-'}  serial ${h.serial ?? device?.serial ?? '-'}`,
    `State ${hostState(h)}  Call Home ${hostServiceEnabled(h) === null ? 'unknown' : hostServiceEnabled(h) ? 'on' : 'off'}  registration ${device?.registration ?? '-'}`,
    '',
    '── Last error',
  ];
  const failed = Object.entries(h.results).filter(([, r]) => r !== undefined && !r.ok);
  if (failed.length === 0) lines.push('  none');
  for (const [op, r] of failed) lines.push(`  ${op}: ${r?.error?.kind ?? 'error'}: ${r?.error?.message ?? ''}`);
  lines.push('', `── Drift (${driftText(h)})`);
  if (h.drift !== null) lines.push(...driftDiff(h.drift).map((l) => `  ${l}`));
  lines.push('', '── Statistics');
  const { totals, devices } = statsTotals(state, h.name);
  if (devices === 0) lines.push('  not read yet: press 5, then r');
  else lines.push(`  ${STATS_SECTIONS.map((s) => `${SECTION_TITLE[s]} ${totals[s].total?.total ?? 0}`).join('   ')}`);
  lines.push('', '── Last messages');
  const messages = hostMessages(state, h);
  if (messages.length === 0) lines.push('  none loaded');
  for (const m of messages) lines.push(`  ${formatTime(m.receivedAt, state.timeStyle)}  ${m.severity} ${m.eventName}: ${m.description}`);
  return lines;
}

/** Fleet: every inventory host with state, service, profiles, last message, registration and drift; Enter opens a host. */
export function FleetScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const d = state.detail;
  if (d.kind === 'open' && d.doc.kind === 'host') {
    const name = d.doc.name;
    const h = state.fleet.find((x) => x.name === name);
    if (h !== undefined) return <DetailLines lines={hostLines(state, h)} scroll={d.scroll} height={props.height} />;
  }
  const selected = new Set(state.selectedHosts);
  const rows = fleetRows(state);
  const t = fleetTotals(state);
  const view = state.fleetView;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {plural(t.hosts, 'host')}: <Text color="green">{t.up} up</Text> · <Text color={t.down > 0 ? 'red' : undefined}>{t.down} down</Text> ·{' '}
        <Text color={t.drifted > 0 ? 'yellow' : undefined}>{t.drifted} drifted</Text> · <Text color={t.failed > 0 ? 'red' : undefined}>{t.failed} failed</Text>
        {t.unknown > 0 ? ` · ${t.unknown} not read yet` : ''}
        {`   sorted by ${view.sort}${view.descending ? ' (reversed)' : ''}`}
        {view.filter !== '' ? <Text color="cyan">{`   filter "${view.filter}": ${rows.length} shown`}</Text> : null}
      </Text>
      <Table
        columns={fleetColumns(state)}
        rows={rows}
        selected={state.cursor.fleet}
        height={props.height - 2}
        marker={(h) => (selected.has(h.name) ? '*' : ' ')}
        empty={state.fleet.length === 0 ? '  No inventory: start with --inventory FILE.' : '  No host matches the filter (Esc clears it).'}
      />
      <Text>
        {state.selectedHosts.length} selected of {state.fleet.length}
      </Text>
      <KeyHints hints={[['space', 'select'], ['a', 'all'], ['/', 'filter'], ['s/S', 'sort'], ['Enter', 'detail'], ['p', 'push'], ['t', 'test'], ['v', 'verify'], ['r', 'refresh']]} />
    </Box>
  );
}
