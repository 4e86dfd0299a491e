/** User and privileged EXEC trees (spec §1, §3): modes, terminal, configure, copy/write, show, call-home, lab. */
import { kw, arg, type CommandNode, type Handler } from '../grammar.js';
import { int } from '../args.js';
import type { CliContext, CliOutcome, CliResult } from '../types.js';
import { callHomeExec } from './call-home-exec.js';
import { labRaise } from './lab-raise.js';
import { showTree } from './show.js';

const ok = (output: string): CliResult => ({ kind: 'output', output });

const terminal: CommandNode = (() => {
  const length: Handler = (ctx) => {
    ctx.session.terminalLength = ctx.values.num('lines');
    return undefined;
  };
  const width: Handler = (ctx) => {
    ctx.session.terminalWidth = ctx.values.num('columns');
    return undefined;
  };
  return kw('terminal', 'Set terminal line parameters', {
    children: [
      kw('length', 'Set number of lines on a screen', { children: [arg('lines', int(0, 512), 'Number of lines on screen (0 for no pausing)', { run: length })] }),
      kw('width', 'Set width of the display terminal', { children: [arg('columns', int(0, 512), 'Number of characters on a screen line', { run: width })] }),
    ],
  });
})();

const closeSession: Handler = () => ({ kind: 'close', output: '' });

/** `enable`: asks for the enable secret (three tries, as IOS). */
function enable(ctx: CliContext): CliOutcome {
  if (ctx.session.mode.kind !== 'user') return undefined;
  const attempt = (tries: number) => (input: string): Promise<CliResult> => {
    if (ctx.device.checkEnableSecret(input)) {
      ctx.session.mode = { kind: 'privileged' };
      return Promise.resolve(ok(''));
    }
    if (tries >= 3) return Promise.resolve(ok('% Bad secrets\n\n'));
    return Promise.resolve({ kind: 'password', output: '', prompt: 'Password: ', submit: attempt(tries + 1) });
  };
  return { kind: 'password', output: '', prompt: 'Password: ', submit: attempt(1) };
}

const configure: CommandNode = kw('configure', 'Enter configuration mode', {
  children: [
    kw('terminal', 'Configure from the terminal', {
      run: (ctx) => {
        ctx.session.mode = { kind: 'config' };
        return 'Enter configuration commands, one per line.  End with CNTL/Z.\n';
      },
    }),
  ],
});

async function save(ctx: CliContext): Promise<string> {
  await ctx.device.saveStartup();
  return 'Building configuration...\n[OK]\n';
}

const copy: CommandNode = kw('copy', 'Copy from one file to another', {
  children: [
    kw('running-config', 'Copy from current system configuration', {
      children: [
        kw('startup-config', 'Copy to startup configuration', {
          run: (ctx): CliResult => ({
            kind: 'input',
            output: '',
            prompt: 'Destination filename [startup-config]? ',
            submit: async (answer) => {
              const name = answer.trim();
              if (name !== '' && name !== 'startup-config') return ok(`%Error opening nvram:/${name} (Permission denied)\n`);
              return ok(await save(ctx));
            },
          }),
        }),
      ],
    }),
  ],
});

const write: CommandNode = kw('write', 'Write running configuration to memory, network, or terminal', {
  run: save,
  children: [kw('memory', 'Write to NV memory', { run: save })],
});

const debug: CommandNode = kw('debug', 'Debugging functions', {
  children: [
    kw('call-home', 'Call-home debugging', {
      run: () => undefined,
      children: ['all', 'diagnostic-signature', 'mail-server', 'smart-licensing'].map((k) => kw(k, `Debug call-home ${k}`, { run: () => undefined })),
    }),
  ],
});

export const USER_EXEC: readonly CommandNode[] = [
  kw('enable', 'Turn on privileged commands', { run: enable }),
  kw('exit', 'Exit from the EXEC', { run: closeSession }),
  kw('logout', 'Exit from the EXEC', { run: closeSession }),
  showTree(false),
  terminal,
];

/** Privileged EXEC (`R1#`); also what `do` runs in configuration modes. */
export const PRIVILEGED_EXEC: readonly CommandNode[] = [
  callHomeExec,
  configure,
  copy,
  debug,
  kw('disable', 'Turn off privileged commands', {
    run: (ctx) => {
      ctx.session.mode = { kind: 'user' };
      return undefined;
    },
  }),
  kw('enable', 'Turn on privileged commands', { run: enable }),
  kw('exit', 'Exit from the EXEC', { run: closeSession }),
  labRaise,
  kw('logout', 'Exit from the EXEC', { run: closeSession }),
  showTree(true),
  terminal,
  write,
];
