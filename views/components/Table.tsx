import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { fitCell, fitColumns, type ColumnSpec } from '../../src/console/columns.js';
import { useLayout } from '../hooks/use-layout.js';

/** The first visible row so that `selected` stays inside a window of `height` rows. */
export function windowStart(selected: number, total: number, height: number): number {
  if (total <= height) return 0;
  return Math.max(0, Math.min(selected - Math.floor(height / 2), total - height));
}

/** A table fitted to the terminal width that shows only the rows around the selection (ink-table does not work with ink 6). */
export function Table<R>(props: {
  readonly columns: readonly ColumnSpec<R>[];
  readonly rows: readonly R[];
  readonly selected?: number;
  readonly height: number;
  readonly marker?: (row: R) => string;
  readonly empty?: ReactNode;
}): ReactNode {
  const { columns, rows, height } = props;
  const layout = useLayout();
  const widths = fitColumns(columns, layout.width);
  const selected = props.selected ?? -1;
  const start = windowStart(Math.max(0, selected), rows.length, height);
  const visible = rows.slice(start, start + height);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {'  '}
        {columns.map((c, i) => fitCell(c.header, widths[i] ?? c.width, c.align)).join(' ')}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor>{props.empty ?? '  (nothing yet)'}</Text>
      ) : (
        visible.map((row, i) => {
          const index = start + i;
          const isSel = index === selected;
          return (
            <Text key={index} wrap="truncate-end">
              <Text inverse={isSel}>{isSel ? '>' : ' '}</Text>
              {props.marker ? props.marker(row) : ' '}
              {columns.map((c, ci) => {
                const tone = c.tone?.(row);
                return (
                  <Text key={ci} inverse={isSel} {...(tone !== undefined ? { color: tone } : {})}>
                    {fitCell(c.cell(row, layout.cell), widths[ci] ?? c.width, c.align)}
                    {ci < columns.length - 1 ? ' ' : ''}
                  </Text>
                );
              })}
            </Text>
          );
        })
      )}
      {rows.length > height ? (
        <Text dimColor>
          {'  '}rows {start + 1}–{Math.min(rows.length, start + height)} of {rows.length}
        </Text>
      ) : null}
    </Box>
  );
}
