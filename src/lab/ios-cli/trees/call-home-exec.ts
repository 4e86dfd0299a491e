/** `call-home test|send|request ...` EXEC actions (spec §3.1–3.4, C45–C54). */
import { ALERT_GROUPS, LIMITS, type AlertGroup } from '../../../domain/callhome.js';
import { email, text, word } from '../args.js';
import { arg, kw, optionalTail, type CommandNode, type Handler, type OptionalStep } from '../grammar.js';
import { sendOutcomeText } from './outcome.js';

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

/** `call-home ...` in privileged EXEC. */
export const callHomeExec: CommandNode = kw('call-home', 'Call-home commands', {
  children: [requestNode, kw('send', 'Send a call-home message', { children: [sendAlertGroup, sendCli] }), testNode],
});

