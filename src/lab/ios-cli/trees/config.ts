/** `(config)#` commands (spec §2.1, C8–C10, C85) and the `hostname` command. */
import { createHash } from 'node:crypto';
import { LIMITS, defaultCallHomeConfig, type CallHomeConfig } from '../../../domain/callhome.js';
import { deviceHostname, email, hostname, int, ipv4, ipv6, word } from '../args.js';
import { tacProfile } from '../../../ios/config/ops.js';
import { trainOf } from '../../identity.js';
import { arg, kw, optionalTail, type CommandNode, type Handler, type OptionalStep } from '../grammar.js';
import type { CliContext, CliOutcome, CliResult } from '../types.js';
import { both, changeCallHome, modifierNodes, navigationNodes } from './common.js';
import { sendOutcomeText } from './outcome.js';

/** Applies `call-home reporting ...` (spec §2.1 block) and tells the engine. */
function reporting(ctx: CliContext): CliOutcome {
  const mode: 'anonymous' | 'full' = ctx.values.opt('contact') === undefined ? 'anonymous' : 'full';
  const contact = ctx.values.opt('contact');
  const proxyHost = ctx.values.opt('host');
  const serial = ctx.device.identity.serial;
  const failed = changeCallHome(ctx, (c): CallHomeConfig => {
    const tac = tacProfile(c, serial);
    const nextTac = { ...tac, active: true, transportHttp: true, transportEmail: false, mode };
    return {
      ...c,
      serviceEnabled: true,
      ...(contact !== undefined ? { contactEmail: contact } : {}),
      ...(proxyHost !== undefined ? { httpProxy: { host: proxyHost, port: ctx.values.num('port') } } : {}),
      profiles: c.profiles.map((p) => (p === tac ? nextTac : p)),
    };
  });
  if (failed !== undefined) return failed;
  return sendOutcomeText(ctx.device.engine.reportingEnabled(mode));
}

const proxyStep: OptionalStep = (rest, end) => {
  const port = kw('port', 'HTTP proxy port', {
    children: [arg('port', int(LIMITS.port.min, LIMITS.port.max), 'HTTP proxy port number', { run: end, children: rest })],
  });
  return kw('http-proxy', 'HTTP proxy server', {
    children: [
      arg('host', ipv4, 'IP address of HTTP proxy server', { children: [port] }),
      arg('host', ipv6, 'IPv6 address of HTTP proxy server', { children: [port] }),
      arg('host', hostname(LIMITS.proxyHost), 'Name of HTTP proxy server', { children: [port] }),
    ],
  });
};

function callHomeNode(): CommandNode {
  const enter: Handler = (ctx) => {
    if (ctx.form !== 'set') {
      return changeCallHome(ctx, (c) => ({ ...defaultCallHomeConfig(ctx.device.identity.serial, trainOf(ctx.device.identity)), serviceEnabled: c.serviceEnabled }));
    }
    ctx.session.mode = { kind: 'call-home' };
    return undefined;
  };
  return kw('call-home', 'Enter call-home configuration mode', {
    ...both(enter),
    children: [
      kw('reporting', 'Configure call-home reporting (anonymous or Smart Call Home)', {
        children: [
          kw('anonymous', 'Anonymous reporting only', { run: reporting, children: optionalTail([proxyStep], reporting) }),
          kw('contact-email-addr', 'Full reporting (Smart Call Home) with a contact email address', {
            children: [
              arg('contact', email(LIMITS.contactEmail), 'Contact email address (maximum length 200)', {
                run: reporting,
                children: optionalTail([proxyStep], reporting),
              }),
            ],
          }),
        ],
      }),
    ],
  });
}

const service: CommandNode = kw('service', 'Modify use of network based services', {
  children: [
    kw('call-home', 'Enable call-home service', {
      ...both((ctx) => changeCallHome(ctx, (c) => ({ ...c, serviceEnabled: ctx.form === 'set' }))),
    }),
  ],
});

const hostnameNode: CommandNode = (() => {
  const run: Handler = (ctx) => {
    const running = ctx.device.running();
    ctx.device.setRunning({ ...running, hostname: ctx.form === 'set' ? ctx.values.str('name') : 'Router' });
    return undefined;
  };
  return kw('hostname', 'Set system\'s network name', {
    runNo: run,
    children: [arg('name', deviceHostname, 'This system\'s network name', both(run))],
  });
})();

function fingerprint(algorithm: 'md5' | 'sha1', body: string): string {
  const hex = createHash(algorithm).update(body).digest('hex').toUpperCase();
  return (hex.match(/.{8}/g) ?? []).join(' ');
}

/** The paste dialog of `crypto pki authenticate NAME` (spec §10.5), as chained input prompts. */
function authenticate(ctx: CliContext): CliResult {
  const name = ctx.values.str('trustpoint');
  const running = ctx.device.running();
  if (!running.trustpoints.some((t) => t.name === name)) {
    return { kind: 'output', output: `% Could not find trustpoint ${name}; create it with "crypto pki trustpoint ${name}".\n` };
  }
  const lines: string[] = [];
  const accept = (answer: string): Promise<CliResult> => {
    if (!/^y(es?)?$/i.test(answer.trim())) return Promise.resolve({ kind: 'output', output: '% Certificate not imported\n' });
    const now = ctx.device.running();
    ctx.device.setRunning({ ...now, trustpoints: now.trustpoints.map((t) => (t.name === name ? { ...t, authenticated: true } : t)) });
    return Promise.resolve({ kind: 'output', output: 'Trustpoint CA certificate accepted.\n% Certificate successfully imported\n' });
  };
  const collect = (line: string): Promise<CliResult> => {
    const trimmed = line.trim();
    if (trimmed !== '' && trimmed.toLowerCase() !== 'quit') {
      lines.push(trimmed);
      return Promise.resolve({ kind: 'input', output: '', prompt: '', submit: collect });
    }
    if (lines.length === 0) return Promise.resolve({ kind: 'output', output: '% No certificate was entered.\n' });
    const body = lines.join('\n');
    return Promise.resolve({
      kind: 'input',
      output: `Certificate has the following attributes:\n    Fingerprint MD5: ${fingerprint('md5', body)}\n    Fingerprint SHA1: ${fingerprint('sha1', body)}\n`,
      prompt: '% Do you accept this certificate? [yes/no]: ',
      submit: accept,
    });
  };
  return {
    kind: 'input',
    output: 'Enter the base 64 encoded CA certificate.\nEnd with a blank line or the word "quit" on a line by itself\n\n',
    prompt: '',
    submit: collect,
  };
}

const crypto: CommandNode = (() => {
  const trustpoint: Handler = (ctx) => {
    const name = ctx.values.str('trustpoint');
    const running = ctx.device.running();
    if (ctx.form !== 'set') {
      ctx.device.setRunning({ ...running, trustpoints: running.trustpoints.filter((t) => t.name !== name) });
      return undefined;
    }
    if (!running.trustpoints.some((t) => t.name === name)) {
      ctx.device.setRunning({ ...running, trustpoints: [...running.trustpoints, { name, enrollmentTerminal: false, authenticated: false }] });
    }
    ctx.session.mode = { kind: 'trustpoint', name };
    return undefined;
  };
  return kw('crypto', 'Encryption module', {
    children: [
      kw('pki', 'Public Key components', {
        children: [
          kw('trustpoint', 'Define a CA trustpoint', {
            children: [arg('trustpoint', word(64), 'Trustpoint name', both(trustpoint))],
          }),
          kw('authenticate', 'Get the certification authority certificate', {
            children: [arg('trustpoint', word(64), 'Trustpoint name', { run: authenticate })],
          }),
        ],
      }),
    ],
  });
})();

const ipHttp: CommandNode = (() => {
  const run: Handler = (ctx) => {
    const running = ctx.device.running();
    ctx.device.setRunning({ ...running, httpClientSourceInterface: ctx.form === 'set' ? ctx.values.str('interface') : undefined });
    return undefined;
  };
  return kw('ip', 'Global IP configuration subcommands', {
    children: [
      kw('http', 'HTTP client configuration', {
        children: [
          kw('client', 'HTTP client configuration', {
            children: [
              kw('source-interface', 'Specify interface for source address in all HTTP(S) client connections', {
                runNo: run,
                children: [arg('interface', word(LIMITS.interfaceName), 'Interface name', both(run))],
              }),
            ],
          }),
        ],
      }),
    ],
  });
})();

const CONFIG_COMMANDS: readonly CommandNode[] = [callHomeNode(), crypto, hostnameNode, ipHttp, service];

/** The whole `(config)#` tree. */
export function configTree(exec: () => readonly CommandNode[]): readonly CommandNode[] {
  return [...CONFIG_COMMANDS, ...navigationNodes(), ...modifierNodes(() => CONFIG_COMMANDS, exec)];
}
