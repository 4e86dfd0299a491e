import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { STATS_ROW_LABELS, STATS_ROWS, STATS_SECTIONS } from '../../src/domain/statistics.js';
import { plural } from '../../src/console/selectors.js';
import { statsHosts, statsTotals } from '../../src/console/selectors.js';
import type { ConsoleState } from '../../src/console/types.js';
import { KeyHints } from '../components/KeyHints.js';

/** Section titles as IOS words. */
export const SECTION_TITLE: Record<(typeof STATS_SECTIONS)[number], string> = { success: 'Success', inQueue: 'In queue', failed: 'Failed', ratelimitDropped: 'Rate-limit dropped' };

/** `show call-home statistics` across the fleet (type × transport × state), drill-down per device. */
export function StatisticsScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const hosts = statsHosts(state);
  const { totals, devices } = statsTotals(state, state.statsHost);
  const rows = STATS_ROWS.filter((r) => STATS_SECTIONS.some((s) => totals[s][r] !== undefined));
  const cell = (n: number | undefined): string => String(n ?? 0).padStart(6);
  return (
    <Box flexDirection="row" gap={2}>
      <Box flexDirection="column" width={18}>
        <Text bold>View</Text>
        {['(fleet total)', ...hosts].slice(0, props.height).map((h, i) => (
          <Text key={h} inverse={i === state.cursor.statistics} color={(i === 0 ? null : h) === state.statsHost ? 'cyan' : undefined}>
            {h}
          </Text>
        ))}
      </Box>
      <Box flexDirection="column">
        <Text bold>
          {state.statsHost ?? 'Fleet'} — {plural(devices, 'device')} reporting
        </Text>
        {devices === 0 ? (
          <Text dimColor>Press r to read `show call-home statistics` from the devices.</Text>
        ) : (
          <>
            <Text bold>
              {'Type'.padEnd(12)}
              {STATS_SECTIONS.map((s) => SECTION_TITLE[s].slice(0, 20).padStart(21)).join('')}
            </Text>
            <Text dimColor>
              {''.padEnd(12)}
              {STATS_SECTIONS.map(() => ' Total  Email   HTTP').join('')}
            </Text>
            {rows.map((r) => (
              <Text key={r} {...(r === 'total' ? { bold: true } : {})}>
                {STATS_ROW_LABELS[r].padEnd(12)}
                {STATS_SECTIONS.map((s) => {
                  const c = totals[s][r];
                  return `${cell(c?.total)} ${cell(c?.email)} ${cell(c?.http)}`.padStart(21);
                }).join('')}
              </Text>
            ))}
          </>
        )}
        <KeyHints hints={[['Enter', 'drill down'], ['Esc', 'fleet'], ['r', 'refresh']]} />
      </Box>
    </Box>
  );
}
