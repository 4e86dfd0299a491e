import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { terminalSafeLines } from '../../src/util/terminal-text.js';
import { KeyHints } from './KeyHints.js';

/** Scrollable lines of an opened item (message, case, notification, host); text from devices is shown escaped. */
export function DetailLines(props: { readonly lines: readonly string[]; readonly scroll: number; readonly height: number }): ReactNode {
  const lines = props.lines.flatMap((l) => terminalSafeLines(l).split('\n'));
  const start = Math.min(props.scroll, Math.max(0, lines.length - props.height));
  return (
    <Box flexDirection="column">
      {lines.slice(start, start + props.height).map((l, i) => (
        <Text key={i} wrap="wrap">
          {l === '' ? ' ' : l}
        </Text>
      ))}
      <KeyHints hints={[['↑↓ g G', `scroll (${start + 1}/${lines.length})`], ['Esc', 'back']]} />
    </Box>
  );
}
