/** `(ca-trustpoint)#` (spec §10.5, C85): enough for the guide's HTTPS set-up dialog. */
import { kw, type CommandNode } from '../grammar.js';
import type { CliContext, CliOutcome } from '../types.js';
import { both, modifierNodes, navigationNodes } from './common.js';

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
