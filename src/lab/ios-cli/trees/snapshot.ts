/** `(cfg-call-home-snapshot)#` (spec §2.4, C25). */
import { LIMITS } from '../../../domain/callhome.js';
import { text } from '../args.js';
import { arg, kw, type CommandNode, type Handler } from '../grammar.js';
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
