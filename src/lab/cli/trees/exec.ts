/** User and privileged EXEC commands (spec §3, C45–C61) and the hidden `lab raise` command. */
import { ALERT_GROUPS, LIMITS, type AlertGroup } from '../../../domain/callhome.js';
import { isSeverityKeyword, severityLevel } from '../../../domain/severity.js';
import * as show from '../../show/index.js';
import * as platform from '../platform-show.js';
import type { LabEvent } from '../../types.js';
import { email, int, text, word } from '../args.js';
import { arg, kw, optionalTail, type CommandNode, type Handler, type OptionalStep } from '../grammar.js';
import { showRunningConfig, showStartupConfig } from '../running-config.js';
import type { CliContext, CliOutcome, CliResult } from '../types.js';
import { sendOutcomeText } from './outcome.js';
import { severityNodes } from './profile.js';

const ok = (output: string): CliResult => ({ kind: 'output', output });

/** A show command that renders from the device view. */
function showNode(word0: string, help: string, render: (ctx: CliContext) => string | Promise<string>, children: readonly CommandNode[] = []): CommandNode {
  return kw(word0, help, { run: render, pipe: true, children });
}

const callHomeShow: CommandNode = showNode('call-home', 'Show command for call home', (ctx) => show.showCallHome(ctx.device.view()), [
  showNode('alert-group', 'Show call-home alert-group information', (ctx) => show.showCallHomeAlertGroup(ctx.device.view())),
  showNode('detail', 'Show call-home detail information', (ctx) => show.showCallHomeDetail(ctx.device.view())),
  kw('mail-server', 'Show call-home mail-server information', {
    children: [showNode('status', 'Show call-home mail-server status', (ctx) => show.showCallHomeMailServerStatus(ctx.device.view()))],
  }),
  kw('profile', 'Show call-home profile information', {
    children: [
      showNode('all', 'Show all call-home profiles', (ctx) => show.showCallHomeProfile(ctx.device.view(), 'all')),
      arg('profile', text(LIMITS.profileName, 'WORD'), 'Profile name', {
        pipe: true,
        run: (ctx) => show.showCallHomeProfile(ctx.device.view(), ctx.values.str('profile')),
      }),
    ],
  }),
  showNode('statistics', 'Show call-home statistics', (ctx) => show.showCallHomeStatistics(ctx.device.view())),
]);

const privilegeShow = showNode('privilege', 'Show current privilege level', (ctx) => show.showPrivilege(ctx.session.mode.kind === 'user' ? 1 : 15));

// The platform commands Call Home attaches (spec §4.2); canned, see platform-show.ts.
const platformShows = (): CommandNode[] => [
  kw('diag', 'Show diagnostic information for port adapters/modules', {
    children: [
      kw('all', 'All slots', {
        children: [kw('eeprom', 'EEPROM contents', { children: [showNode('detail', 'Detailed EEPROM contents', (ctx) => platform.showDiagEeprom(ctx.device.identity))] })],
      }),
    ],
  }),
  kw('diagnostic', 'Show diagnostic information', {
    children: [kw('result', 'Diagnostic results', { children: [showNode('all', 'All modules', () => platform.showDiagnosticResult())] })],
  }),
  showNode('environment', 'Environmental monitor statistics', () => platform.showEnvironment()),
  kw('license', 'Show license information', { children: [showNode('all', 'All license information', (ctx) => platform.showLicenseAll(ctx.device.identity))] }),
  showNode('platform', 'Show platform information', (ctx) => platform.showPlatform(ctx.device.identity), [
    kw('hardware', 'Hardware information', {
      children: [
        kw('qfp', 'QFP information', {
          children: [
            kw('active', 'Active instance', {
              children: [
                kw('infrastructure', 'Infrastructure information', {
                  children: [
                    kw('chipset', 'Chipset information', {
                      children: [arg('chip', int(0, 7), 'Chipset number', { children: [showNode('capabilities', 'Chipset capabilities', () => platform.showQfpCapabilities())] })],
                    }),
                  ],
                }),
              ],
            }),
          ],
        }),
      ],
    }),
    kw('software', 'Software information', {
      children: [kw('vnic-if', 'Virtual NIC interfaces', { children: [showNode('interface-mapping', 'Interface mapping', (ctx) => platform.showVnicMapping(ctx.device.identity))] })],
    }),
  ]),
  showNode('region', 'Region Manager status', () => platform.showRegion()),
  showNode('stacks', 'Process stack utilization', () => platform.showStack()),
];

function showTree(privileged: boolean): CommandNode {
  const common: CommandNode[] = [
    callHomeShow,
    showNode('clock', 'Display the system clock', (ctx) => show.showClock(ctx.device.view())),
    showNode('inventory', 'Show the physical inventory', (ctx) => show.showInventory(ctx.device.view())),
    privilegeShow,
    showNode('version', 'System hardware and software status', (ctx) => show.showVersion(ctx.device.view())),
  ];
  const more: CommandNode[] = privileged
    ? [
        ...platformShows(),
        showNode('logging', 'Show the contents of logging buffers', (ctx) => show.showLogging(ctx.device.view())),
        showNode('running-config', 'Current operating configuration', (ctx) => showRunningConfig(ctx.device.running(), ctx.device.identity, false), [
          showNode('all', 'Configuration with defaults', (ctx) => showRunningConfig(ctx.device.running(), ctx.device.identity, true)),
        ]),
        showNode('startup-config', 'Contents of startup configuration', (ctx) => showStartupConfig(ctx.device.startup(), ctx.device.identity)),
      ]
    : [];
  return kw('show', 'Show running system information', { children: [...common, ...more] });
}

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

// call-home EXEC actions (spec §3.1–3.4).
const profileStep: OptionalStep = (rest, end) =>
  kw('profile', 'Call-home profile', { children: [arg('profile', text(LIMITS.profileName, 'WORD'), 'Profile name', { run: end, children: rest })] });
const ccoidStep: OptionalStep = (rest, end) =>
  kw('ccoid', 'Cisco.com user ID to receive the report', { children: [arg('ccoid', word(64), 'Cisco.com user ID', { run: end, children: rest })] });

const testRun: Handler = (ctx) => {
  const profile = ctx.values.str('profile');
  const outcome = ctx.device.engine.test(profile, ctx.values.opt('message'));
  return outcome.kind === 'queued' ? `Sending test message to ${profile}...\n` : sendOutcomeText(outcome);
};
const testNode: CommandNode = kw('test', 'Send a call-home test message to a profile', {
  children: [profileStep([], testRun), arg('message', text(100), 'Test message text (quote it if it has spaces)', { children: [profileStep([], testRun)] })],
});

const sendAlertGroupRun: Handler = (ctx) => {
  const group = ctx.values.pick('group', ALERT_GROUPS);
  const module = ctx.values.opt('module');
  const profile = ctx.values.opt('profile');
  return sendOutcomeText(
    ctx.device.engine.sendAlertGroup(group, { ...(profile !== undefined ? { profile } : {}), ...(module !== undefined ? { module } : {}) }),
  );
};
const manualGroups: readonly AlertGroup[] = ALERT_GROUPS.filter((g) => g === 'configuration' || g === 'crash' || g === 'inventory' || g === 'snapshot');
const sendAlertGroup: CommandNode = kw('alert-group', 'Send an alert-group message', {
  children: [
    ...manualGroups.map((g) =>
      kw(g, `Send ${g} alert-group message`, { name: 'group', run: sendAlertGroupRun, children: optionalTail([profileStep], sendAlertGroupRun) }),
    ),
    kw('diagnostic', 'Send diagnostic alert-group message', {
      name: 'group',
      children: ['module', 'slot', 'switch'].map((k) =>
        kw(k, `Diagnostic results of a ${k}`, {
          children: [arg('module', word(16), `${k[0]?.toUpperCase()}${k.slice(1)} number`, { run: sendAlertGroupRun, children: optionalTail([profileStep], sendAlertGroupRun) })],
        }),
      ),
    }),
  ],
});

const sendCliRun: Handler = (ctx) => {
  const commands = ctx.values.str('cli').split(';').map((c) => c.trim()).filter((c) => c !== '');
  if (commands.length === 0) return '% No command to send; give the commands quoted and separated by ";".\n';
  const to = ctx.values.opt('email');
  const http = ctx.values.has('http');
  const sr = ctx.values.opt('sr');
  const dest = ctx.values.opt('destination');
  const fmt = ctx.values.opt('format');
  if (http && dest === undefined && sr === undefined) {
    return '% A destination email address or a TAC service request number is required with http.\n';
  }
  if (!http && to === undefined && sr === undefined) {
    return '% A TAC service request number is required when no email address is given.\n';
  }
  return sendOutcomeText(
    ctx.device.engine.sendCli(commands, {
      ...(to !== undefined ? { email: to } : {}),
      ...(fmt === 'xml' || fmt === 'long-text' ? { format: fmt } : {}),
      ...(http ? { http: true } : {}),
      ...(dest !== undefined ? { destinationEmail: dest } : {}),
      ...(sr !== undefined ? { serviceRequest: sr } : {}),
    }),
  );
};
const srNode = (end: Handler): CommandNode =>
  kw('tac-service-request', 'TAC service request number', { children: [arg('sr', word(32), 'Service request number', { run: end })] });
const sendCli: CommandNode = arg('cli', text(1024), 'CLI command(s), quoted and separated by ";"', {
  run: sendCliRun,
  children: [
    kw('email', 'Send the output to an email address', {
      children: [
        arg('email', email(LIMITS.contactEmail), 'Email address', {
          run: sendCliRun,
          children: [
            kw('msg-format', 'Message format', {
              children: (['long-text', 'xml'] as const).map((f) =>
                kw(f, f === 'xml' ? 'XML message format' : 'Plain text message format', { name: 'format', run: sendCliRun, children: [srNode(sendCliRun)] }),
              ),
            }),
            srNode(sendCliRun),
          ],
        }),
      ],
    }),
    kw('http', 'Send the output over HTTP to the CiscoTAC-1 profile URL', {
      name: 'http',
      run: sendCliRun,
      children: [
        kw('destination-email-address', 'Email address the backend forwards the output to', {
          children: [arg('destination', email(LIMITS.contactEmail), 'Email address', { run: sendCliRun, children: [srNode(sendCliRun)] })],
        }),
        srNode(sendCliRun),
      ],
    }),
    srNode(sendCliRun),
  ],
});

const REQUEST_KINDS = ['output-analysis', 'config-sanity', 'bugs-list', 'command-reference', 'product-advisory'] as const;

const requestRun: Handler = (ctx) => {
  const kind = ctx.values.pick('kind', REQUEST_KINDS);
  const command = ctx.values.opt('command');
  const profile = ctx.values.opt('profile');
  const ccoid = ctx.values.opt('ccoid');
  return sendOutcomeText(
    ctx.device.engine.request(kind, {
      ...(command !== undefined ? { command } : {}),
      ...(profile !== undefined ? { profile } : {}),
      ...(ccoid !== undefined ? { ccoid } : {}),
    }),
  );
};
const requestNode: CommandNode = kw('request', 'Send a request to Cisco', {
  children: [
    kw('output-analysis', 'Analyse the output of a show command', {
      name: 'kind',
      children: [arg('command', text(128), 'Show command, quoted', { run: requestRun, children: optionalTail([profileStep, ccoidStep], requestRun) })],
    }),
    ...(
      [
        ['bugs-list', 'Known bugs in the running release'],
        ['command-reference', 'Reference links for the commands in the running configuration'],
        ['config-sanity', 'Best-practice check of the running configuration'],
        ['product-advisory', 'Product advisories (PSIRT, EoL/EoS, field notices)'],
      ] as const
    ).map(([k, help]) => kw(k, help, { name: 'kind', run: requestRun, children: optionalTail([profileStep, ccoidStep], requestRun) })),
  ],
});

const callHomeExec: CommandNode = kw('call-home', 'Call-home commands', {
  children: [requestNode, kw('send', 'Send a call-home message', { children: [sendAlertGroup, sendCli] }), testNode],
});

const debug: CommandNode = kw('debug', 'Debugging functions', {
  children: [
    kw('call-home', 'Call-home debugging', {
      run: () => undefined,
      children: ['all', 'diagnostic-signature', 'mail-server', 'smart-licensing'].map((k) => kw(k, `Debug call-home ${k}`, { run: () => undefined })),
    }),
  ],
});

// `lab raise ...` (contracts §1): hidden, privileged EXEC.
function raise(ctx: CliContext, event: LabEvent): CliOutcome {
  return sendOutcomeText(ctx.device.raise(event));
}
const severityOf = (ctx: CliContext): number => {
  const s = ctx.values.str('severity');
  return isSeverityKeyword(s) ? severityLevel(s) : 0;
};
const eventText = (run: Handler): CommandNode[] => [
  arg('event', word(64), 'Event name', { children: [arg('text', text(1024), 'Description, quoted', { run })] }),
];
const labRaise: CommandNode = kw('lab', 'Lab controls', {
  hidden: true,
  children: [
    kw('raise', 'Raise a simulated event', {
      children: [
        kw('syslog', 'Raise a syslog message', {
          children: [
            arg('level', int(0, 7), 'Syslog level', {
              children: [
                arg('facility', word(32), 'Facility', {
                  children: [
                    arg('mnemonic', word(64), 'Mnemonic', {
                      children: [
                        arg('text', text(1024), 'Message text, quoted', {
                          run: (ctx) =>
                            raise(ctx, {
                              kind: 'syslog',
                              syslogLevel: ctx.values.num('level'),
                              facility: ctx.values.str('facility').toUpperCase(),
                              mnemonic: ctx.values.str('mnemonic').toUpperCase(),
                              text: ctx.values.str('text'),
                            }),
                        }),
                      ],
                    }),
                  ],
                }),
              ],
            }),
          ],
        }),
        ...(['diagnostic', 'environment'] as const).map((k) =>
          kw(k, `Raise a ${k} event`, {
            children: severityNodes({
              children: eventText((ctx) =>
                raise(ctx, { kind: k, severity: severityOf(ctx), eventName: ctx.values.str('event').toUpperCase(), description: ctx.values.str('text') }),
              ),
            }),
          }),
        ),
        kw('crash', 'Raise a crash event', {
          children: (['SYSTEM_CRASH', 'TRACEBACK'] as const).map((e) =>
            kw(e, e === 'SYSTEM_CRASH' ? 'System crash' : 'Software traceback', {
              children: [arg('text', text(1024), 'Description, quoted', { run: (ctx) => raise(ctx, { kind: 'crash', eventName: e, description: ctx.values.str('text') }) })],
            }),
          ),
        }),
        kw('inventory', 'Raise an inventory event', {
          children: (['COLD_BOOT', 'FRU_INSERT', 'FRU_REMOVE'] as const).map((e) =>
            kw(e, `Inventory event ${e}`, {
              run: (ctx) => raise(ctx, { kind: 'inventory', eventName: e, description: e === 'COLD_BOOT' ? 'Cold boot' : e === 'FRU_INSERT' ? 'FRU inserted' : 'FRU removed' }),
            }),
          ),
        }),
        kw('configuration', 'Raise a configuration change event', {
          run: (ctx) => raise(ctx, { kind: 'configuration', description: 'Configuration changed' }),
        }),
      ],
    }),
  ],
});

/** User EXEC (`R1>`). */
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
