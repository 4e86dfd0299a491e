/** Helpers shared by the mode trees: navigation nodes and configuration updates. */
import type { CallHomeConfig, Profile } from '../../../domain/callhome.js';
import type { Result } from '../../../util/result.js';
import { findProfile, updateProfile, type Update } from '../../../ios/config/ops.js';
import { kw, type CommandNode, type Handler } from '../grammar.js';
import { parentMode } from '../modes.js';
import type { CliContext, CliOutcome } from '../types.js';

/** Leaves configuration mode: back to privileged EXEC, logging it as IOS does. */
export function leaveConfig(ctx: Pick<CliContext, 'device' | 'session'>): CliOutcome {
  ctx.session.mode = { kind: 'privileged' };
  ctx.device.log(`%SYS-5-CONFIG_I: Configured from console by vty0`);
  return undefined;
}

const exitHandler: Handler = (ctx) => {
  const parent = parentMode(ctx.session.mode);
  if (!parent || parent.kind === 'privileged') return leaveConfig(ctx);
  ctx.session.mode = parent;
  return undefined;
};

/** `exit` and `end`, present in every configuration mode. */
export function navigationNodes(): CommandNode[] {
  return [
    kw('exit', 'Exit from the current mode', { run: exitHandler }),
    kw('end', 'Exit from configure mode', { run: leaveConfig }),
  ];
}

/** `do`, `no` and `default` for a configuration mode whose commands are `commands()`. */
export function modifierNodes(commands: () => readonly CommandNode[], exec: () => readonly CommandNode[]): CommandNode[] {
  return [
    kw('do', 'To run exec commands in config mode', { children: exec, form: 'set' }),
    kw('no', 'Negate a command or set its defaults', { children: commands, form: 'no' }),
    kw('default', 'Set a command to its defaults', { children: commands, form: 'default' }),
  ];
}

/** Applies an update to the Call Home configuration; prints the error line when refused. */
export function changeCallHome(ctx: CliContext, f: (c: CallHomeConfig) => Update | CallHomeConfig): CliOutcome {
  const running = ctx.device.running();
  const r = f(running.callHome);
  if ('ok' in r) {
    if (!r.ok) return r.error;
    ctx.device.setRunning({ ...running, callHome: r.value });
  } else {
    ctx.device.setRunning({ ...running, callHome: r });
  }
  return undefined;
}

/** The profile the session is configuring (`cfg-call-home-profile` mode). */
export function sessionProfile(ctx: CliContext): string {
  const mode = ctx.session.mode;
  return mode.kind === 'profile' ? mode.profile : '';
}

/** Applies a change to the session's profile. */
export function changeProfile(
  ctx: CliContext,
  f: (p: Profile, config: CallHomeConfig) => Result<Profile, string> | Profile,
): CliOutcome {
  const name = sessionProfile(ctx);
  return changeCallHome(ctx, (c) => {
    if (!findProfile(c, name)) return { ok: false, error: `% Profile ${name} no longer exists; enter it again with "profile NAME".\n` };
    return updateProfile(c, name, (p) => {
      const r = f(p, c);
      return 'ok' in r ? r : { ok: true, value: r };
    });
  });
}

/** A handler for both the plain and the no/default form. */
export function both(run: Handler): { run: Handler; runNo: Handler } {
  return { run, runNo: run };
}
