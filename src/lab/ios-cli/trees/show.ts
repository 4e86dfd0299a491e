/** The `show` tree: routes to the show renderers (src/lab/show) and the canned platform output. */
import * as show from '../../show/index.js';
import { LIMITS } from '../../../domain/callhome.js';
import { int, text, word } from '../args.js';
import { arg, kw, type CommandNode } from '../grammar.js';
import * as platform from '../platform-show.js';
import * as xe from '../../show/xe-call-home.js';
import { DIAGNOSTIC_SIGNATURE_VIEW_NAMES } from '../../../ios/layout/xe-commands.js';
import { showRunningConfig, showStartupConfig } from '../running-config.js';
import type { CliContext } from '../types.js';

/** A show command that renders from the device view. */
function showNode(word0: string, help: string, render: (ctx: CliContext) => string | Promise<string>, children: readonly CommandNode[] = []): CommandNode {
  return kw(word0, help, { run: render, pipe: true, children });
}

const callHomeShow: CommandNode = showNode('call-home', 'Show command for call home', (ctx) => show.showCallHome(ctx.device.view()), [
  showNode('alert-group', 'Show call-home alert-group information', (ctx) => show.showCallHomeAlertGroup(ctx.device.view())),
  showNode('detail', 'Show call-home detail information', (ctx) => show.showCallHomeDetail(ctx.device.view())),
  kw('mail-server', 'Show call-home mail-server information', {
    children: [showNode('status', 'Show call-home mail-server status', (ctx) => show.showCallHomeMailServerStatus(ctx.device.view(), (t) => ctx.progress(t)))],
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
  ...xeCallHomeShows(),
]);

/** The `show call-home` commands only IOS XE has. */
function xeCallHomeShows(): CommandNode[] {
  const views = (dsId: boolean): CommandNode[] =>
    DIAGNOSTIC_SIGNATURE_VIEW_NAMES.map((v) =>
      showNode(v, `Show diagnostic-signature ${v}`, (ctx) => xe.renderShowCallHomeDiagnosticSignatureView(v, dsId ? ctx.values.str('ds') : undefined)),
    );
  return [
    kw('version', 'Show call-home version', { train: 'xe', pipe: true, run: () => xe.renderShowCallHomeVersion() }),
    kw('events', 'Show active call-home events', {
      train: 'xe',
      pipe: true,
      run: (ctx) => xe.renderShowCallHomeEvents(xe.eventRows(ctx.device.running().callHome, (p, g) => ctx.device.view().lastTriggered?.(p, g))),
    }),
    kw('smart-licensing', 'Show call-home smart-licensing information', {
      train: 'xe',
      pipe: true,
      run: (ctx) => xe.renderShowCallHomeSmartLicensing(ctx.device.running().callHome),
      children: [showNode('statistics', 'Show smart-licensing message statistics', (ctx) => xe.renderShowCallHomeSmartLicensingStatistics(ctx.device.view().statistics))],
    }),
    kw('diagnostic-signature', 'Show diagnostic-signature information', {
      train: 'xe',
      pipe: true,
      run: (ctx) => xe.renderShowCallHomeDiagnosticSignature(ctx.device.running().callHome),
      children: [
        ...views(false),
        arg('ds', word(16), 'Diagnostic signature ID', {
          pipe: true,
          run: (ctx) => `% Diagnostic signature ${ctx.values.str('ds')} is not downloaded.\n`,
          children: views(true),
        }),
      ],
    }),
  ];
}

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

/** `show ...` for user EXEC (`privileged` false) or privileged EXEC. */
export function showTree(privileged: boolean): CommandNode {
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

