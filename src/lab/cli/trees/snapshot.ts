/** `(cfg-call-home-snapshot)#` (spec §2.4, C25) and `(ca-trustpoint)#` (spec §10.5, C85). */
import { LIMITS } from '../../../domain/callhome.js';
import { text } from '../args.js';
import { arg, kw, type CommandNode, type Handler } from '../grammar.js';
import type { CliContext, CliOutcome } from '../types.js';
import { both, changeCallHome, modifierNodes, navigationNodes } from './common.js';

const addCommand: CommandNode = (() => {
  const run: Handler = (ctx) =>
    changeCallHome(ctx, (c) => {
      const cmd = ctx.values.str('command');
      const rest = c.snapshotCommands.filter((x) => x !== cmd);
      return { ...c, snapshotCommands: ctx.form === 'set' ? [...rest, cmd] : rest };
    });
  return kw('add-command', 'Add a command to the snapshot alert-group', {
    children: [arg('command', text(LIMITS.snapshotCommand), 'Command string, quoted (maximum length 128)', both(run))],
  });
})();

const SNAPSHOT_COMMANDS: readonly CommandNode[] = [addCommand];

/** The whole `(cfg-call-home-snapshot)#` tree. */
export function snapshotTree(exec: () => readonly CommandNode[]): readonly CommandNode[] {
  return [...SNAPSHOT_COMMANDS, ...navigationNodes(), ...modifierNodes(() => SNAPSHOT_COMMANDS, exec)];
}

function changeTrustpoint(ctx: CliContext, enrollmentTerminal: boolean): CliOutcome {
  const mode = ctx.session.mode;
  if (mode.kind !== 'trustpoint') return undefined;
  const running = ctx.device.running();
  ctx.device.setRunning({
    ...running,
    trustpoints: running.trustpoints.map((t) => (t.name === mode.name ? { ...t, enrollmentTerminal } : t)),
  });
  return undefined;
}

const TRUSTPOINT_COMMANDS: readonly CommandNode[] = [
  kw('enrollment', 'Enrollment parameters', {
    runNo: (ctx) => changeTrustpoint(ctx, false),
    children: [kw('terminal', 'Enroll via the terminal (cut-and-paste)', both((ctx) => changeTrustpoint(ctx, ctx.form === 'set')))],
  }),
  kw('revocation-check', 'Revocation checking options', {
    children: [kw('none', 'Ignore revocation check', both(() => undefined))],
  }),
];

/** The whole `(ca-trustpoint)#` tree. */
export function trustpointTree(exec: () => readonly CommandNode[]): readonly CommandNode[] {
  return [...TRUSTPOINT_COMMANDS, ...navigationNodes(), ...modifierNodes(() => TRUSTPOINT_COMMANDS, exec)];
}
