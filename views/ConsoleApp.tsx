import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useContext, useEffect, type ReactNode } from 'react';
import { formatFilter } from '../src/console/filter.js';
import type { ConsoleIntents } from '../src/console/adapters/intents.js';
import { bindingFor } from '../src/console/keymap.js';
import type { ConsoleStore } from '../src/console/store.js';
import { SCREENS, type ConsoleState, type Prompt } from '../src/console/types.js';
import { assertNever } from '../src/util/assert-never.js';
import { terminalSafe } from '../src/util/terminal-text.js';
import { pendingToken, plural } from '../src/console/selectors.js';
import { principalOf, sessionLine, showsAdmin } from '../src/console/admin.js';
import { AdminScreen } from './screens/AdminScreen.js';
import { HelpOverlay } from './components/KeyHints.js';
import { ProgressLine } from './components/ProgressLine.js';
import { ConnectionBadge } from './components/StatusBadge.js';
import { StoreContext, useConsoleState } from './hooks/use-console-state.js';
import { IntentsContext, useIntents } from './hooks/use-intents.js';
import { LayoutContext } from './hooks/use-layout.js';
import { CasesScreen } from './screens/CasesScreen.js';
import { FleetScreen } from './screens/FleetScreen.js';
import { MailServerScreen } from './screens/MailServerScreen.js';
import { MessageHistoryScreen } from './screens/MessageHistoryScreen.js';
import { RegistrationScreen } from './screens/RegistrationScreen.js';
import { StatisticsScreen } from './screens/StatisticsScreen.js';
import { VerifyScreen } from './screens/VerifyScreen.js';

type Key = Parameters<Parameters<typeof useInput>[0]>[1];

function handlePromptKey(prompt: Exclude<Prompt, { kind: 'none' }>, input: string, key: Key, intents: ConsoleIntents): void {
  if (key.escape) return intents.cancel();
  switch (prompt.kind) {
    case 'help':
      if (input === '?' || input === 'q' || key.return) intents.cancel();
      return;
    case 'confirm-push':
      if (input === 'y' || key.return) intents.confirmPush();
      else if (input === 'n') intents.cancel();
      return;
    case 'confirm-registrations':
      if (input === 'y' || key.return) intents.confirmSelectedRegistrations();
      else if (input === 'n') intents.cancel();
      return;
    case 'confirm-admin':
      if (input === 'y' || key.return) intents.confirmAdmin();
      else if (input === 'n') intents.cancel();
      return;
    case 'command':
    case 'filter':
    case 'token':
      if (key.return) return intents.submitPrompt();
      if (key.backspace || key.delete) return intents.editPrompt(prompt.text.slice(0, -1));
      if (input !== '' && !key.ctrl && !key.meta) intents.editPrompt(prompt.text + input);
      return;
    default:
      assertNever(prompt, 'prompt');
  }
}

/** The key as the key table names it (src/console/keymap.ts). */
function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'Up';
  if (key.downArrow) return 'Down';
  if (key.pageUp) return 'PgUp';
  if (key.pageDown) return 'PgDn';
  if (key.home) return 'Home';
  if (key.end) return 'End';
  if (key.return) return 'Enter';
  if (key.escape) return 'Esc';
  if (input === ' ') return 'Space';
  return input;
}

/** Dispatches a key from the key table; prompts take their keys first. */
function handleKey(state: ConsoleState, input: string, key: Key, intents: ConsoleIntents): void {
  if (state.prompt.kind !== 'none') return handlePromptKey(state.prompt, input, key, intents);
  const name = keyName(input, key);
  // A console with a logged-in user offers only what the roles allow (issue 15).
  const binding = bindingFor(state.screen, name, state.session === null ? null : principalOf(state.session));
  if (binding !== undefined) intents.perform(binding.command, name);
}

function PromptLine(props: { readonly prompt: Prompt; readonly state: ConsoleState }): ReactNode {
  const p = props.prompt;
  switch (p.kind) {
    case 'command':
      return <Text color="cyan">:{p.text}█</Text>;
    case 'filter':
      return <Text color="cyan">/{p.text}█</Text>;
    case 'token': {
      const filled = p.text !== '' && p.text === pendingToken(props.state, p.serial);
      return (
        <Text color="cyan">
          Token for {p.serial}: {'•'.repeat(p.text.length)}█ {filled ? '(from its notification) ' : ''}Enter confirms · Esc cancels
        </Text>
      );
    }
    case 'confirm-registrations':
      return (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text bold>Confirm {plural(p.devices.length, 'pending device')}? (y = confirm, n/Esc = cancel)</Text>
          {p.devices.slice(0, 8).map((d) => (
            <Text key={d.serial}>
              {d.serial.padEnd(14)} {d.token !== null ? <Text color="green">token from its notification</Text> : <Text color="yellow">no token known: skipped</Text>}
            </Text>
          ))}
          {p.devices.length > 8 ? <Text dimColor>… and {p.devices.length - 8} more</Text> : null}
        </Box>
      );
    case 'confirm-push':
      return (
        <Box flexDirection="column" borderStyle="round" paddingX={1}>
          <Text bold>Push to {p.hosts.length} hosts? (y = push, n/Esc = cancel)</Text>
          {p.hosts.slice(0, 8).map((h) => {
            const cmds = p.preview[h] ?? [];
            return (
              <Text key={h}>
                {h.padEnd(8)} {cmds.length === 0 ? <Text color="green">in sync</Text> : <Text color="yellow">{cmds.slice(0, 6).join(' / ')}{cmds.length > 6 ? ` … (${cmds.length})` : ''}</Text>}
              </Text>
            );
          })}
          {p.hosts.length > 8 ? <Text dimColor>… and {p.hosts.length - 8} more</Text> : null}
        </Box>
      );
    case 'confirm-admin':
      return (
        <Box borderStyle="round" paddingX={1}>
          <Text bold>{p.text} (y = yes, n/Esc = cancel)</Text>
        </Box>
      );
    case 'help':
    case 'none':
      return null;
    default:
      return assertNever(p, 'prompt');
  }
}

function Screen(props: { readonly state: ConsoleState; readonly height: number; readonly now: number }): ReactNode {
  const { state, height } = props;
  switch (state.screen) {
    case 'fleet':
      return <FleetScreen state={state} height={height} />;
    case 'messages':
      return <MessageHistoryScreen state={state} height={height} />;
    case 'mail':
      return <MailServerScreen state={state} height={height} />;
    case 'registration':
      return <RegistrationScreen state={state} height={height} now={props.now} />;
    case 'statistics':
      return <StatisticsScreen state={state} height={height} />;
    case 'cases':
      return <CasesScreen state={state} height={height} />;
    case 'verify':
      return <VerifyScreen state={state} height={height} />;
    case 'admin':
      return <AdminScreen state={state} height={height} />;
    default:
      return assertNever(state.screen, 'screen');
  }
}

/**
 * Rows the "logged in" line costs the screen: it uses the row the prompt or the progress line keeps free
 * when neither is shown, so screens keep their height; with both on screen it takes one of its own.
 */
function sessionRows(state: ConsoleState): number {
  const running = Object.values(state.runs).some((r) => r !== undefined && !r.finished);
  return state.session !== null && state.prompt.kind !== 'none' && running ? 1 : 0;
}

function ConsoleFrame(props: { readonly now: () => number; readonly banner: readonly string[] }): ReactNode {
  const state = useConsoleState();
  const store = useContext(StoreContext);
  const intents = useIntents();
  const app = useApp();
  const { stdout } = useStdout();
  const rows = stdout.rows > 0 ? stdout.rows : 30;
  const width = stdout.columns > 0 ? stdout.columns : 80;
  // Keys act on the newest state, not the last published frame, so fast typing is not lost.
  useInput((input, key) => handleKey(store?.getState() ?? state, input, key, intents));
  useEffect(() => {
    if (state.quit) app.exit();
  }, [state.quit, app]);
  const filter = formatFilter(state.filter);
  const now = props.now();
  return (
    <LayoutContext.Provider value={{ width, cell: { timeStyle: state.timeStyle, now } }}>
    <Box flexDirection="column">
      <Box gap={1}>
        {/* The title gives way on a narrow terminal so the eight screen names fit on one line. */}
        {width >= 90 || !showsAdmin(state.session) ? <Text bold color="cyan">callhome</Text> : null}
        {SCREENS.map((s, i) =>
          // The Admin screen is offered to administrators only.
          s === 'admin' && !showsAdmin(state.session) ? null : (
            <Text key={s} inverse={s === state.screen}>
              {i + 1}:{s}
            </Text>
          ),
        )}
      </Box>
      {state.prompt.kind === 'help' ? <HelpOverlay screen={state.screen} who={state.session === null ? null : principalOf(state.session)} /> : <Screen state={state} height={Math.max(5, rows - 8 - props.banner.length - (state.notice !== null ? 2 : 0) - sessionRows(state))} now={now} />}
      <PromptLine prompt={state.prompt} state={state} />
      <ProgressLine runs={state.runs} />
      {props.banner.map((line) => (
        <Text key={line} dimColor wrap="truncate-middle">
          {line}
        </Text>
      ))}
      {state.notice !== null ? (
        // A notice (a result, an error) gets its own line and wraps: it is read in full, never cut.
        <Text wrap="wrap" color={state.notice.level === 'error' ? 'red' : 'green'}>
          {terminalSafe(state.notice.text.replace(/\s+/g, ' '))}
        </Text>
      ) : null}
      {state.session !== null ? (
        // Who the console acts as, for which companies (issue 15): its own line, so the status line keeps its room.
        <Text wrap="truncate-end">
          <Text dimColor>logged in: </Text>
          <Text color="cyan">{terminalSafe(sessionLine(state.session))}</Text>
        </Text>
      ) : null}
      <Text wrap="truncate-end">
        <ConnectionBadge state={state.connection} />
        <Text dimColor>{`  seq ${state.lastSeq}  ${state.received} received  `}</Text>
        {filter !== '' ? <Text color="cyan">{`filter ${filter}  `}</Text> : null}
        <Text dimColor>? keys · q quit</Text>
      </Text>
    </Box>
    </LayoutContext.Provider>
  );
}

/** The operations console: a router over the screens, fed by a console store. */
export function ConsoleApp(props: {
  readonly store: ConsoleStore;
  readonly intents: ConsoleIntents;
  readonly now?: () => number;
  /** Lines kept above the status line (the demo says how to reach it from a second terminal). */
  readonly banner?: readonly string[] | undefined;
}): ReactNode {
  return (
    <StoreContext.Provider value={props.store}>
      <IntentsContext.Provider value={props.intents}>
        <ConsoleFrame now={props.now ?? Date.now} banner={props.banner ?? []} />
      </IntentsContext.Provider>
    </StoreContext.Provider>
  );
}
