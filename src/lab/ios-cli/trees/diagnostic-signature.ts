/** IOS XE `(cfg-call-home-diag-sign)#`: `[no] active`, `[no] profile NAME`, `[no] environment ds_NAME VALUE`. */
import { LIMITS, type DiagnosticSignatureConfig } from '../../../domain/callhome.js';
import { text, word } from '../args.js';
import { arg, kw, type CommandNode, type Handler } from '../grammar.js';
import type { CliContext } from '../types.js';
import { both, changeCallHome, modifierNodes, navigationNodes } from './common.js';

type Mutable = { -readonly [K in keyof DiagnosticSignatureConfig]: DiagnosticSignatureConfig[K] };

/** Applies a change; the default state (active over CiscoTAC-1, no environment) is stored as absent. */
function changeDs(ctx: CliContext, f: (ds: Mutable) => void): ReturnType<typeof changeCallHome> {
  return changeCallHome(ctx, (c) => {
    const ds: Mutable = { active: true, environment: [], ...c.diagnosticSignature };
    f(ds);
    const isDefault = ds.active && ds.profile === undefined && ds.environment.length === 0;
    const { diagnosticSignature: _old, ...rest } = c;
    return isDefault ? rest : { ...rest, diagnosticSignature: ds };
  });
}

const active: CommandNode = kw('active', 'Enable diagnostic-signature', {
  ...both((ctx) => changeDs(ctx, (ds) => void (ds.active = ctx.form !== 'no'))),
});

const profile: CommandNode = (() => {
  const run: Handler = (ctx) =>
    changeDs(ctx, (ds) => {
      if (ctx.form === 'set') ds.profile = ctx.values.str('profile');
      else delete ds.profile;
    });
  return kw('profile', 'Specify a profile for diagnostic-signature download', {
    runNo: run,
    children: [arg('profile', text(LIMITS.profileName, 'WORD'), 'Profile name', both(run))],
  });
})();

const environment: CommandNode = (() => {
  const run: Handler = (ctx) => {
    const name = ctx.values.str('name');
    if (!/^ds_\w+$/.test(name)) return '% Environment variable names start with "ds_".\n';
    return changeDs(ctx, (ds) => {
      const rest = ds.environment.filter((e) => e.name !== name);
      ds.environment = ctx.form === 'set' ? [...rest, { name, value: ctx.values.str('value') }] : rest;
    });
  };
  return kw('environment', 'Set an environment variable for diagnostic-signature', {
    children: [
      arg('name', word(32), 'Environment variable name, starting with ds_', {
        runNo: run,
        children: [arg('value', text(128, 'WORD'), 'Environment variable value', both(run))],
      }),
    ],
  });
})();

const COMMANDS: readonly CommandNode[] = [active, environment, profile];

/** The whole `(cfg-call-home-diag-sign)#` tree. */
export function diagnosticSignatureTree(exec: () => readonly CommandNode[]): readonly CommandNode[] {
  return [...COMMANDS, ...navigationNodes(), ...modifierNodes(() => COMMANDS, exec)];
}
