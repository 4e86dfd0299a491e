import { Box, Text } from 'ink';
import type { ReactNode } from 'react';

/** One column: header, fixed width, the cell text and an optional colour. */
export type Column<R> = {
  readonly header: string;
  readonly width: number;
  readonly cell: (row: R) => string;
  readonly color?: (row: R) => string | undefined;
  readonly align?: 'left' | 'right';
};

function fit(text: string, width: number, align: 'left' | 'right'): string {
  const clean = text.replace(/\s+/g, ' ');
  const cut = clean.length > width ? `${clean.slice(0, Math.max(0, width - 1))}…` : clean;
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

/** The first visible row so that `selected` stays inside a window of `height` rows. */
export function windowStart(selected: number, total: number, height: number): number {
  if (total <= height) return 0;
  return Math.max(0, Math.min(selected - Math.floor(height / 2), total - height));
}

/** A fixed-width table that shows only the rows around the selection (ink-table does not work with ink 6). */
export function Table<R>(props: {
  readonly columns: readonly Column<R>[];
  readonly rows: readonly R[];
  readonly selected?: number;
  readonly height: number;
  readonly marker?: (row: R) => string;
  readonly empty?: ReactNode;
}): ReactNode {
  const { columns, rows, height } = props;
  const selected = props.selected ?? -1;
  const start = windowStart(Math.max(0, selected), rows.length, height);
  const visible = rows.slice(start, start + height);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {'  '}
        {columns.map((c) => fit(c.header, c.width, c.align ?? 'left')).join(' ')}
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
                const color = c.color?.(row);
                return (
                  <Text key={ci} inverse={isSel} {...(color !== undefined ? { color } : {})}>
                    {fit(c.cell(row), c.width, c.align ?? 'left')}
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
