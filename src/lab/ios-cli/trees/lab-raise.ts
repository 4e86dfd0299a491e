/** The hidden `lab raise ...` command (contracts §1) that raises simulated events on the device. */
import { isSeverityKeyword, severityLevel } from '../../../domain/severity.js';
import type { LabEvent } from '../../types.js';
import { int, text, word } from '../args.js';
import { arg, kw, type CommandNode, type Handler } from '../grammar.js';
import type { CliContext, CliOutcome } from '../types.js';
import { sendOutcomeText } from './outcome.js';
import { severityNodes } from './profile.js';

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
/** `lab raise ...`: hidden, privileged EXEC only. */
export const labRaise: CommandNode = kw('lab', 'Lab controls', {
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
