/**
 * The lab's IOS CLI engine: a synchronous-where-possible interpreter the SSH session layer calls
 * line by line. It knows modes, prompts, the command trees, IOS errors, `?` help and pipes; it
 * changes the device only through the narrow CliDevice interface (types.ts).
 *
 * Session-layer contract:
 * - Create one `Cli` per device (`createCli(device)`) and one SessionState per session
 *   (`newSessionState()`, starting in user EXEC).
 * - For each line the user enters (without the line end), call `execute(line, session)` and
 *   print `result.output` with `\n` turned into `\r\n`, paged by `session.terminalLength`.
 *   Then:
 *   - `output`: print `prompt(session)` (the mode may have changed);
 *   - `password`: print `result.prompt`, read a line WITHOUT echo, call `result.submit(line)`
 *     and handle its result the same way (this is `enable`);
 *   - `input`: print `result.prompt`, read a line WITH echo (Enter alone is the empty string),
 *     call `result.submit(line)` (the `copy running-config startup-config` confirmation and
 *     the `crypto pki authenticate` paste dialog);
 *   - `close`: print the output and close the channel (`exit`/`logout` in EXEC).
 * - Ctrl-Z: call `execute(CTRL_Z, session)` (or the line followed by CTRL_Z): the line runs,
 *   then configuration mode ends.
 * - `?`: call `help(lineBeforeQuestionMark, session)`, print the text, then print the prompt and
 *   the line again without the `?`, as IOS does.
 * - The caret line of `% Invalid input` is indented by the prompt length, assuming the session
 *   echoed `prompt + line` just before (interactive use). An exec request prints it the same way.
 *
 * Parser behaviour worth knowing (IOS-like choices):
 * - Keywords match case-insensitively by unique prefix; an exact keyword wins over longer ones;
 *   keywords win over arguments. Two candidates → `% Ambiguous command:  "LINE"`.
 * - The caret marks where the offending word stops matching any keyword (its first character
 *   for arguments: bad type, length or range). A single unknown word in EXEC is treated as a
 *   host name to connect to, as IOS does (`Translating "x"` …).
 * - A line that fails in a configuration sub-mode is tried in the enclosing modes; when it
 *   parses there, it runs and the session moves to that mode (IOS does the same).
 * - Configuration prompts keep the first 20 characters of the hostname (modes.ts).
 * - `| include|exclude|begin|section|count REGEX` works on commands that print; regexes that
 *   could backtrack exponentially are refused (the whole lab shares one event loop).
 * - Lines are `\n`-terminated; the session layer converts to `\r\n`.
 */
import type { CliMode, SessionState } from '../types.js';
import { visible, type CommandNode } from './grammar.js';
import type { Train } from '../../domain/callhome.js';
import { trainOf } from '../identity.js';
import { diagnosticSignatureTree } from './trees/diagnostic-signature.js';
import { canEnd, listChoices, listCompletions } from './help.js';
import { INCOMPLETE, UNRECOGNIZED, ambiguous, invalidInput, unknownExecWord } from './messages.js';
import { helpHeading, isConfigMode, parentMode, promptFor } from './modes.js';
import { walk, walkForHelp, matchToken, type Walk } from './parser.js';
import { PIPE_TREE, applyFilter, makeFilter, isFilterKind, type OutputFilter } from './pipe.js';
import { tokenize, type Token } from '../../ios/config/tokens.js';
import { callHomeTree } from './trees/call-home.js';
import { leaveConfig } from './trees/common.js';
import { configTree } from './trees/config.js';
import { PRIVILEGED_EXEC, USER_EXEC } from './trees/exec.js';
import { profileTree } from './trees/profile.js';
import { snapshotTree } from './trees/snapshot.js';
import { trustpointTree } from './trees/trustpoint.js';
import type { CliContext, CliDevice, CliOutcome, CliResult } from './types.js';
import { assertNever } from '../../util/assert-never.js';

export type { CliDevice, CliResult, RunningConfig, Trustpoint } from './types.js';
export { renderConfig, showRunningConfig, showStartupConfig } from './running-config.js';
export { renderCallHomeSection } from '../../ios/config/render.js';
export { promptFor, CONFIG_PROMPT_HOSTNAME_MAX } from './modes.js';

/** The Ctrl-Z character, as the session layer passes it. */
export const CTRL_Z = '\u001a';

/** The CLI of one device. */
/** Where a command's early text goes (the session's terminal), before its result. */
export type Progress = (text: string) => void;

export type Cli = {
  /** Runs one input line in a session. Never throws: failures print as IOS `%` lines. */
  execute(line: string, session: SessionState, progress?: Progress): Promise<CliResult>;
  /** The prompt for the session's mode, e.g. `R1(cfg-call-home)#`. */
  prompt(session: SessionState): string;
  /** `?` help for the text typed before the `?`. */
  help(partialLine: string, session: SessionState): string;
};

/** A new session: user EXEC, 24 lines, 80 columns (IOS vty defaults). */
export function newSessionState(): SessionState {
  return { mode: { kind: 'user' }, terminalLength: 24, terminalWidth: 80 };
}

const exec = (): readonly CommandNode[] => PRIVILEGED_EXEC;
const TREES = {
  config: configTree(exec),
  callHome: callHomeTree(exec),
  profile: profileTree(exec),
  snapshot: snapshotTree(exec),
  trustpoint: trustpointTree(exec),
  diagnosticSignature: diagnosticSignatureTree(exec),
};

/** The command tree of a mode. */
export function treeFor(mode: CliMode): readonly CommandNode[] {
  switch (mode.kind) {
    case 'user':
      return USER_EXEC;
    case 'privileged':
      return PRIVILEGED_EXEC;
    case 'config':
      return TREES.config;
    case 'call-home':
      return TREES.callHome;
    case 'profile':
      return TREES.profile;
    case 'snapshot':
      return TREES.snapshot;
    case 'trustpoint':
      return TREES.trustpoint;
    case 'diagnostic-signature':
      return TREES.diagnosticSignature;
    default:
      return assertNever(mode, 'CLI mode');
  }
}

const out = (output: string): CliResult => ({ kind: 'output', output });

function normalize(outcome: CliOutcome): CliResult {
  if (outcome === undefined) return out('');
  if (typeof outcome === 'string') return out(outcome);
  return outcome;
}

/** Parses the text after `|`: a filter keyword then the regular expression (rest of the line). */
function parsePipe(line: string, pipeStart: number, promptLength: number): { filter: OutputFilter } | { error: string } {
  const rest = line.slice(pipeStart + 1);
  const { tokens } = tokenize(rest);
  const first = tokens[0];
  if (!first) return { error: INCOMPLETE };
  const m = matchToken(PIPE_TREE, first);
  if (m.kind === 'ambiguous') return { error: ambiguous(line) };
  if (m.kind === 'none' || m.node.kind !== 'keyword' || !isFilterKind(m.node.word)) {
    return { error: invalidInput(promptLength + pipeStart + 1 + (m.kind === 'none' ? m.caret : first.start)) };
  }
  const regexSource = rest.slice(first.start + first.text.length).trim();
  if (regexSource === '') return { error: INCOMPLETE };
  const filter = makeFilter(m.node.word, regexSource);
  if (!filter) return { error: invalidInput(promptLength + pipeStart + 1 + first.start + first.text.length + 1) };
  return { filter };
}

/** Creates the CLI for a device. */
export function createCli(device: CliDevice): Cli {
  const prompt = (session: SessionState): string => promptFor(device.running().hostname, session.mode);
  // IOS XE-only commands are unknown to a classic IOS device (parsing, help and completion alike).
  const train = trainOf(device.identity);

  async function run(line: string, session: SessionState, progress: Progress | undefined): Promise<CliResult> {
    const promptLength = prompt(session).length;
    const { tokens, pipeStart } = tokenize(line);
    if (tokens.length === 0) return out(pipeStart === undefined ? '' : invalidInput(promptLength + pipeStart));

    let result: Walk = walk(treeFor(session.mode), tokens, 'set', train);
    if (result.kind === 'invalid' && isConfigMode(session.mode)) {
      // IOS tries a line that fails in a sub-mode in the enclosing modes and moves there.
      for (let mode = parentMode(session.mode); mode && isConfigMode(mode); mode = parentMode(mode)) {
        const parentWalk = walk(treeFor(mode), tokens, 'set', train);
        if (parentWalk.kind === 'ok') {
          session.mode = mode;
          result = parentWalk;
          break;
        }
        // The caret marks the furthest point any mode's parser reached.
        if (parentWalk.kind === 'invalid' && result.kind === 'invalid' && parentWalk.caret > result.caret) result = parentWalk;
      }
    }
    switch (result.kind) {
      case 'empty':
        return out('');
      case 'incomplete':
        return out(INCOMPLETE);
      case 'ambiguous':
        return out(ambiguous(line));
      case 'invalid': {
        const single = tokens.length === 1 && pipeStart === undefined && tokens[0];
        if (single && !isConfigMode(session.mode) && result.caret === single.start && !single.quoted) {
          return out(unknownExecWord(single.text));
        }
        return out(invalidInput(promptLength + result.caret));
      }
      case 'ok':
        break;
      default:
        return assertNever(result, 'walk');
    }
    let filter: OutputFilter | undefined;
    if (pipeStart !== undefined) {
      if (!result.pipe) return out(invalidInput(promptLength + pipeStart));
      const p = parsePipe(line, pipeStart, promptLength);
      if ('error' in p) return out(p.error);
      filter = p.filter;
    }
    // Early text goes out at once only when nothing filters it; otherwise it leads the result.
    let early = '';
    const ctx: CliContext = {
      device,
      session,
      values: result.values,
      form: result.form,
      line,
      execute: (next) => cli.execute(next, session, progress),
      progress: (text) => {
        if (progress && !filter) progress(text);
        else early += text;
      },
    };
    const handled = normalize(await result.handler(ctx));
    const r = early !== '' && handled.kind === 'output' ? out(early + handled.output) : handled;
    return filter && r.kind === 'output' ? out(applyFilter(r.output, filter)) : r;
  }

  const cli: Cli = {
    prompt,
    async execute(rawLine, session, progress) {
      const ctrlZ = rawLine.includes(CTRL_Z);
      const line = rawLine.split(CTRL_Z).join('');
      try {
        const r = await run(line, session, progress);
        if (ctrlZ && isConfigMode(session.mode)) {
          leaveConfig({ device, session });
          return r.kind === 'output' ? out(r.output) : r;
        }
        return r;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return out(`% Command failed: ${message}\n`);
      }
    },
    help(partialLine, session) {
      const line = partialLine.endsWith('?') ? partialLine.slice(0, -1) : partialLine;
      const promptLength = prompt(session).length;
      const { tokens, pipeStart, trailingSpace } = tokenize(line);
      if (pipeStart !== undefined) return pipeHelp(line, pipeStart, session, promptLength);
      const roots = visible(treeFor(session.mode), train);
      if (tokens.length === 0) return `${helpHeading(session.mode)}\n${listChoices(roots, false, false)}`;
      return helpAt(roots, tokens, trailingSpace, line, promptLength, session.terminalWidth, train);
    },
  };

  function pipeHelp(line: string, pipeStart: number, session: SessionState, promptLength: number): string {
    const command = walk(treeFor(session.mode), tokenize(line.slice(0, pipeStart)).tokens, 'set', train);
    if (command.kind !== 'ok' || !command.pipe) return invalidInput(promptLength + pipeStart);
    const rest = line.slice(pipeStart + 1);
    const { tokens, trailingSpace } = tokenize(rest);
    if (tokens.length >= 2) return 'LINE    Regular Expression\n\n';
    return helpAt(PIPE_TREE, tokens, trailingSpace, line, promptLength + pipeStart + 1, session.terminalWidth);
  }

  return cli;
}

function helpAt(
  roots: readonly CommandNode[],
  tokens: readonly Token[],
  trailingSpace: boolean,
  line: string,
  promptLength: number,
  width: number,
  train?: Train,
): string {
  const complete = trailingSpace ? tokens : tokens.slice(0, -1);
  const w = walkForHelp(roots, complete, train);
  if (w.kind === 'ambiguous') return ambiguous(line);
  if (w.kind === 'invalid') return invalidInput(promptLength + w.caret);
  if (trailingSpace) return listChoices(w.candidates, canEnd(w.last, w.form), w.pipe);
  const partial = tokens[tokens.length - 1];
  if (!partial) return listChoices(roots, false, false);
  const list = listCompletions(w.candidates, partial.text, width);
  if (list !== null) return list;
  return tokens.length === 1 ? UNRECOGNIZED : invalidInput(promptLength + partial.start);
}
