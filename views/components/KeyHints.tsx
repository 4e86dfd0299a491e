import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { bindingAllowed, bindingApplies, bindingLabel, KEY_BINDINGS } from '../../src/console/keymap.js';
import { isAdministrator, type Principal } from '../../src/domain/permissions.js';
import type { ScreenName } from '../../src/console/types.js';

/** One line of the keys that matter on a screen. */
export function KeyHints(props: { readonly hints: readonly (readonly [string, string])[] }): ReactNode {
  return (
    <Text dimColor wrap="truncate-end">
      {props.hints.map(([k, what]) => `${k} ${what}`).join('  ·  ')}
    </Text>
  );
}

/** The `?` overlay: every key the caller's roles allow, and on which screens it works. */
export function HelpOverlay(props: { readonly screen: ScreenName; readonly who?: Principal | null }): ReactNode {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys (Esc closes)</Text>
      {KEY_BINDINGS.filter((b) => bindingAllowed(b, props.who) && (props.who == null || isAdministrator(props.who) || b.screens === 'all' || !b.screens.every((s) => s === 'admin'))).map((b, i) => (
        <Text key={i} {...(bindingApplies(b, props.screen) ? {} : { dimColor: true })}>
          {bindingLabel(b).padEnd(12)} {b.action}
          {b.screens === 'all' ? '' : `  [${b.screens.join(', ')}]`}
        </Text>
      ))}
    </Box>
  );
}
