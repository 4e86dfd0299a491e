/** `(cfg-call-home)#` commands (spec §2.2, C11–C31). */
import { ALERT_GROUPS, DEFAULT_AAA_USERNAME, DEFAULT_RATE_LIMIT, LIMITS, type AlertGroup, type CallHomeConfig } from '../../../domain/callhome.js';
import { email, hostname, int, ipv4, ipv6, phone, text, word } from '../args.js';
import { addMailServer, copyProfile, defaultProfile, deleteProfile, ensureProfile, removeMailServer, renameProfile } from '../../../ios/config/ops.js';
import { trainOf } from '../../identity.js';
import { arg, kw, type CommandNode, type Handler } from '../grammar.js';
import type { CliContext } from '../types.js';
import { both, changeCallHome, modifierNodes, navigationNodes } from './common.js';

type TextField = 'contactEmail' | 'phoneNumber' | 'streetAddress' | 'customerId' | 'siteId' | 'contractId' | 'sourceInterface' | 'sourceIpAddress' | 'vrf' | 'senderFrom' | 'senderReplyTo';

/** A handler that sets a text field from value `name`, or clears it for no/default. */
function setText(field: TextField, name: string): Handler {
  return (ctx: CliContext) =>
    changeCallHome(ctx, (c): CallHomeConfig => (ctx.form === 'set' ? { ...c, [field]: ctx.values.str(name) } : { ...c, [field]: undefined }));
}

/** `WORD field-command <value>` with the value types given. */
function textCommand(word0: string, help: string, field: TextField, values: readonly { type: Parameters<typeof arg>[1]; help: string }[]): CommandNode {
  const handler = setText(field, 'value');
  return kw(word0, help, {
    runNo: handler,
    children: values.map((v) => arg('value', v.type, v.help, both(handler))),
  });
}

const hostArgs = (help: string, children: readonly CommandNode[], extra: Partial<{ run: Handler; runNo: Handler }> = {}): CommandNode[] => [
  arg('host', ipv4, `IP address of ${help}`, { children, ...extra }),
  arg('host', ipv6, `IPv6 address of ${help}`, { children, ...extra }),
  arg('host', hostname(LIMITS.mailServerName), `Name of ${help}`, { children, ...extra }),
];

const mailServer: CommandNode = (() => {
  const add: Handler = (ctx) =>
    ctx.form === 'set'
      ? changeCallHome(ctx, (c) => addMailServer(c, ctx.values.str('host'), ctx.values.num('priority'), ctx.values.has('secure')))
      : changeCallHome(ctx, (c) => removeMailServer(c, ctx.values.str('host')));
  // IOS XE: `mail-server HOST priority N secure tls` (STARTTLS).
  const secure = kw('secure', 'Secure connection to the mail server', {
    train: 'xe',
    children: [kw('tls', 'Use TLS (STARTTLS)', { name: 'secure', ...both(add) })],
  });
  const priority = kw('priority', 'Mail server priority', {
    children: [arg('priority', int(LIMITS.priority.min, LIMITS.priority.max), 'Mail server priority (1 is highest)', { ...both(add), children: [secure] })],
    runNo: add,
  });
  const removeAll: Handler = (ctx) => changeCallHome(ctx, (c) => removeMailServer(c, 'all'));
  return kw('mail-server', 'Configure email server', {
    children: [
      kw('all', 'All mail servers', { runNo: removeAll }),
      arg('host', ipv4, 'IP address of mail server', { children: [priority], runNo: add }),
      arg('host', hostname(LIMITS.mailServerName), 'Host name of mail server (maximum length 64)', { children: [priority], runNo: add }),
    ],
  });
})();

const httpProxy: CommandNode = (() => {
  const set: Handler = (ctx) =>
    changeCallHome(ctx, (c): CallHomeConfig =>
      ctx.form === 'set' ? { ...c, httpProxy: { host: ctx.values.str('host'), port: ctx.values.num('port') } } : { ...c, httpProxy: undefined },
    );
  const port = kw('port', 'HTTP proxy port', {
    runNo: set,
    children: [arg('port', int(LIMITS.port.min, LIMITS.port.max), 'HTTP proxy port number', both(set))],
  });
  return kw('http-proxy', 'Configure HTTP proxy server address and port', { runNo: set, children: hostArgs('HTTP proxy server', [port], { runNo: set }) });
})();

const sender: CommandNode = kw('sender', 'Call home message sender email address', {
  children: [
    kw('from', 'Call home message From email address', {
      runNo: setText('senderFrom', 'value'),
      children: [arg('value', email(LIMITS.contactEmail), 'Email address (maximum length 200)', both(setText('senderFrom', 'value')))],
    }),
    kw('reply-to', 'Call home message Reply-To email address', {
      runNo: setText('senderReplyTo', 'value'),
      children: [arg('value', email(LIMITS.contactEmail), 'Email address (maximum length 200)', both(setText('senderReplyTo', 'value')))],
    }),
  ],
});

const aaa: CommandNode = (() => {
  const toggle: Handler = (ctx) => changeCallHome(ctx, (c) => ({ ...c, aaaAuthorization: ctx.form === 'set' }));
  const user: Handler = (ctx) =>
    changeCallHome(ctx, (c) => ({ ...c, aaaUsername: ctx.form === 'set' ? ctx.values.str('user') : DEFAULT_AAA_USERNAME }));
  return kw('aaa-authorization', 'Enable AAA authorization for call home', {
    ...both(toggle),
    children: [
      kw('username', 'Username for call home AAA authorization', {
        runNo: user,
        children: [arg('user', word(LIMITS.aaaUsername), 'Username (maximum length 64)', both(user))],
      }),
    ],
  });
})();

/** IOS XE `http secure server-identity-check` and `http resolve-hostname default|ipv4-first|ipv6-first`. */
const http: CommandNode = (() => {
  const identity: Handler = (ctx) =>
    changeCallHome(ctx, (c): CallHomeConfig => {
      const { httpServerIdentityCheck: _old, ...rest } = c;
      return ctx.form === 'no' ? { ...rest, httpServerIdentityCheck: false } : rest;
    });
  const resolve: Handler = (ctx) =>
    changeCallHome(ctx, (c): CallHomeConfig => {
      const { httpResolveHostname: _old, ...rest } = c;
      const how = ctx.form === 'set' ? ctx.values.opt('resolve') : undefined;
      return how === 'ipv4-first' || how === 'ipv6-first' ? { ...rest, httpResolveHostname: how } : rest;
    });
  return kw('http', 'Configure call-home HTTP settings', {
    train: 'xe',
    children: [
      kw('secure', 'Secure HTTP (HTTPS) settings', {
        children: [kw('server-identity-check', 'Check the server identity (certificate subject) on HTTPS', both(identity))],
      }),
      kw('resolve-hostname', 'How to resolve the destination host name', {
        runNo: resolve,
        children: [
          kw('default', 'Resolve as the system does', { name: 'resolve', ...both(resolve) }),
          kw('ipv4-first', 'Try IPv4 addresses first', { name: 'resolve', ...both(resolve) }),
          kw('ipv6-first', 'Try IPv6 addresses first', { name: 'resolve', ...both(resolve) }),
        ],
      }),
    ],
  });
})();

const diagnosticSignature: CommandNode = kw('diagnostic-signature', 'Enter call-home diagnostic-signature configuration mode', {
  train: 'xe',
  run: (ctx) => {
    ctx.session.mode = { kind: 'diagnostic-signature' };
    return undefined;
  },
  runNo: (ctx) =>
    changeCallHome(ctx, (c): CallHomeConfig => {
      const { diagnosticSignature: _old, ...rest } = c;
      return rest;
    }),
});

const syslogThrottling: CommandNode = kw('syslog-throttling', 'Enable call-home syslog message throttling', {
  ...both((ctx) => changeCallHome(ctx, (c) => ({ ...c, syslogThrottling: ctx.form !== 'no' }))),
});

const dataPrivacy: CommandNode = (() => {
  const level: Handler = (ctx) =>
    changeCallHome(ctx, (c) => ({ ...c, dataPrivacyLevel: ctx.form === 'set' && ctx.values.str('level') === 'high' ? 'high' : 'normal' }));
  const host: Handler = (ctx) => changeCallHome(ctx, (c) => ({ ...c, dataPrivacyHostname: ctx.form === 'set' }));
  return kw('data-privacy', 'Configure call-home data privacy', {
    children: [
      kw('level', 'Data privacy level', {
        runNo: level,
        children: [
          kw('normal', 'Scrub normal level commands', { name: 'level', ...both(level) }),
          kw('high', 'Scrub normal level commands plus IP domain name and IP address commands', { name: 'level', ...both(level) }),
        ],
      }),
      kw('hostname', 'Scrub hostname as well', both(host)),
    ],
  });
})();

const rateLimit: CommandNode = (() => {
  const set: Handler = (ctx) => changeCallHome(ctx, (c) => ({ ...c, rateLimit: ctx.form === 'set' ? ctx.values.num('rate') : DEFAULT_RATE_LIMIT }));
  return kw('rate-limit', 'Configure call-home message rate-limit threshold', {
    runNo: set,
    children: [arg('rate', int(LIMITS.rateLimit.min, LIMITS.rateLimit.max), 'Call-home message rate-limit threshold (messages per minute)', both(set))],
  });
})();

const alertGroup: CommandNode = (() => {
  const set: Handler = (ctx) =>
    changeCallHome(ctx, (c) => {
      const group = ctx.values.str('group');
      const on = ctx.form !== 'no';
      const next = { ...c.alertGroupEnabled };
      for (const g of ALERT_GROUPS) if (group === 'all' || g === group) next[g] = on;
      return { ...c, alertGroupEnabled: next };
    });
  return kw('alert-group', 'Enable or disable alert-group', {
    children: [
      kw('all', 'Enable all alert-groups', { name: 'group', ...both(set) }),
      ...ALERT_GROUPS.map((g: AlertGroup) => kw(g, `Enable ${g} alert-group`, { name: 'group', ...both(set) })),
    ],
  });
})();

const snapshotConfig: CommandNode = kw('alert-group-config', 'Configure alert-group', {
  children: [
    kw('snapshot', 'Configure snapshot alert-group', {
      run: (ctx) => {
        ctx.session.mode = { kind: 'snapshot' };
        return undefined;
      },
      runNo: (ctx) => changeCallHome(ctx, (c) => ({ ...c, snapshotCommands: [] })),
    }),
  ],
});

const profile: CommandNode = (() => {
  const enter: Handler = (ctx) => {
    const name = ctx.values.str('profile');
    if (ctx.form === 'no') return changeCallHome(ctx, (c) => deleteProfile(c, name));
    if (ctx.form === 'default') return changeCallHome(ctx, (c) => defaultProfile(c, name, ctx.device.identity.serial, trainOf(ctx.device.identity)));
    let stored = name;
    const out = changeCallHome(ctx, (c) => {
      const r = ensureProfile(c, name);
      if (!r.ok) return r;
      stored = r.value.name;
      return { ok: true, value: r.value.config };
    });
    if (out === undefined) ctx.session.mode = { kind: 'profile', profile: stored };
    return out;
  };
  return kw('profile', 'Enter call-home profile configuration mode', {
    children: [arg('profile', text(LIMITS.profileName, 'WORD'), 'Profile name (maximum length 31)', both(enter))],
  });
})();

function profilePair(word0: string, help: string, f: (c: CallHomeConfig, a: string, b: string) => ReturnType<typeof copyProfile>): CommandNode {
  const run: Handler = (ctx) => changeCallHome(ctx, (c) => f(c, ctx.values.str('source'), ctx.values.str('target')));
  return kw(word0, `${help} a call-home profile`, {
    children: [
      kw('profile', 'Call-home profile', {
        children: [
          arg('source', text(LIMITS.profileName, 'WORD'), 'Existing profile name', {
            children: [arg('target', text(LIMITS.profileName, 'WORD'), 'New profile name (maximum length 31)', { run })],
          }),
        ],
      }),
    ],
  });
}

/** The commands of `(cfg-call-home)#` (without navigation). */
export function callHomeCommands(): readonly CommandNode[] {
  return CALL_HOME_COMMANDS;
}

const CALL_HOME_COMMANDS: readonly CommandNode[] = [
  textCommand('contact-email-addr', 'System Contact\'s Email address', 'contactEmail', [
    { type: email(LIMITS.contactEmail), help: 'Email address (maximum length 200)' },
  ]),
  textCommand('phone-number', 'Phone number of the contact person', 'phoneNumber', [
    { type: phone(LIMITS.phoneNumber), help: 'Phone number (+ followed by digits and -, maximum length 16)' },
  ]),
  textCommand('street-address', 'Street address for RMA part shipments', 'streetAddress', [
    { type: text(LIMITS.streetAddress), help: 'Street address (maximum length 200, quote it if it has spaces)' },
  ]),
  textCommand('customer-id', 'Customer identification for Cisco Smart Call Home', 'customerId', [
    { type: text(LIMITS.customerId), help: 'Customer ID (maximum length 64)' },
  ]),
  textCommand('site-id', 'Site identification for Cisco Smart Call Home', 'siteId', [{ type: text(LIMITS.siteId), help: 'Site ID (maximum length 200)' }]),
  textCommand('contract-id', 'Contract identification for Cisco Smart Call Home', 'contractId', [
    { type: text(LIMITS.contractId), help: 'Contract ID (maximum length 64)' },
  ]),
  mailServer,
  sender,
  textCommand('source-interface', 'Source interface name for call-home messages', 'sourceInterface', [
    { type: word(LIMITS.interfaceName), help: 'Interface name (maximum length 64)' },
  ]),
  textCommand('source-ip-address', 'Source IP address for call-home messages', 'sourceIpAddress', [
    { type: ipv4, help: 'IPv4 source address' },
    { type: ipv6, help: 'IPv6 source address' },
  ]),
  textCommand('vrf', 'VRF instance for call-home email messages', 'vrf', [{ type: word(32), help: 'VPN Routing/Forwarding instance name' }]),
  httpProxy,
  http,
  diagnosticSignature,
  aaa,
  syslogThrottling,
  dataPrivacy,
  rateLimit,
  alertGroup,
  snapshotConfig,
  profile,
  profilePair('copy', 'Copy', copyProfile),
  profilePair('rename', 'Rename', renameProfile),
];

/** The whole `(cfg-call-home)#` tree. */
export function callHomeTree(exec: () => readonly CommandNode[]): readonly CommandNode[] {
  return [...CALL_HOME_COMMANDS, ...navigationNodes(), ...modifierNodes(callHomeCommands, exec)];
}
