/** `(cfg-call-home-profile)#` commands (spec §2.3, C32–C44). */
import {
  ALERT_GROUPS,
  LIMITS,
  MAX_MESSAGE_SIZE,
  ciscoTacProfile,
  tacDefaults,
  newUserProfile,
  type AlertGroup,
  type Periodic,
  type Profile,
  type Subscription,
  WEEKDAYS,
} from '../../../domain/callhome.js';
import { SEVERITY_KEYWORDS, isSeverityKeyword, type SeverityKeyword } from '../../../domain/severity.js';
import { err, ok } from '../../../util/result.js';
import { email, int, regex, time, url } from '../args.js';
import { INCOMPLETE } from '../messages.js';
import { isSafeRegex } from '../pipe.js';
import { setActive, setReporting, setTransport, unsubscribe } from '../../../ios/config/ops.js';
import { arg, kw, optionalTail, type CommandNode, type Handler, type OptionalStep } from '../grammar.js';
import type { CliContext } from '../types.js';
import type { DeviceIdentity } from '../../types.js';
import { trainOf } from '../../identity.js';
import { both, changeProfile, modifierNodes, navigationNodes } from './common.js';

const SEVERITY_HELP: Record<SeverityKeyword, string> = {
  catastrophic: 'Network wide catastrophic failure',
  disaster: 'Significant network impact',
  fatal: 'System is unusable',
  critical: 'Critical conditions, immediate attention needed',
  major: 'Major conditions',
  minor: 'Minor conditions',
  warning: 'Warning conditions',
  notification: 'Basic notification and informational messages',
  normal: 'Normal event signifying return to normal state',
  debugging: 'Debugging messages',
};

/** `severity {catastrophic|...|debugging}` keyword nodes. */
export function severityNodes(options: { children?: readonly CommandNode[]; run?: Handler; runNo?: Handler } = {}): CommandNode[] {
  return [...SEVERITY_KEYWORDS].reverse().map((s) => kw(s, SEVERITY_HELP[s], { name: 'severity', ...options }));
}

const defaultsOf = (p: Profile, identity: DeviceIdentity): Profile => (p.predefined ? tacDefaults(identity.serial, trainOf(identity)) : newUserProfile(p.name));

const active: CommandNode = kw('active', 'Activate the current profile', {
  ...both((ctx) =>
    changeProfile(ctx, (p, c) => {
      const on = ctx.form === 'set' ? true : ctx.form === 'no' ? false : defaultsOf(p, ctx.device.identity).active;
      return setActive(c, p, on);
    }),
  ),
});

const transport: CommandNode = (() => {
  const run: Handler = (ctx) => {
    // `default destination transport-method` resets both; `no` must name the method to turn off.
    if (ctx.form === 'no' && !ctx.values.has('method')) return INCOMPLETE;
    return changeProfile(ctx, (p) => {
      if (ctx.form === 'default') {
        const d = defaultsOf(p, ctx.device.identity);
        return { ...p, transportEmail: d.transportEmail, transportHttp: d.transportHttp };
      }
      const method = ctx.values.str('method') === 'http' ? 'http' : 'email';
      return setTransport(p, method, ctx.form === 'set');
    });
  };
  return kw('transport-method', 'To specify transport method for this profile', {
    runNo: run,
    children: [
      kw('email', 'Email transport method', { name: 'method', ...both(run) }),
      kw('http', 'HTTP transport method', { name: 'method', ...both(run) }),
    ],
  });
})();

const address: CommandNode = (() => {
  const emailRun: Handler = (ctx) =>
    changeProfile(ctx, (p) => {
      if (p.predefined) return err(`% Destination email address of profile ${p.name} cannot be modified.\n`);
      const value = ctx.form === 'set' ? ctx.values.str('address') : ctx.values.opt('address');
      if (ctx.form === 'set') {
        if (p.emailAddresses.some((a) => a.toLowerCase() === value?.toLowerCase())) return p;
        return { ...p, emailAddresses: [...p.emailAddresses, ctx.values.str('address')] };
      }
      return { ...p, emailAddresses: value === undefined ? [] : p.emailAddresses.filter((a) => a.toLowerCase() !== value.toLowerCase()) };
    });
  const httpRun: Handler = (ctx) =>
    changeProfile(ctx, (p) => {
      const value = ctx.values.opt('url');
      if (ctx.form === 'set') {
        if (p.httpUrls.includes(ctx.values.str('url'))) return p;
        // CiscoTAC-1 has one HTTP destination (Call Home v3 lets it change; spec §2.5).
        return { ...p, httpUrls: p.predefined ? [ctx.values.str('url')] : [...p.httpUrls, ctx.values.str('url')] };
      }
      if (p.predefined) return { ...p, httpUrls: ciscoTacProfile('').httpUrls };
      return { ...p, httpUrls: value === undefined ? [] : p.httpUrls.filter((u) => u !== value) };
    });
  return kw('address', 'To specify destination address(es) for this profile', {
    children: [
      kw('email', 'Email address', {
        runNo: emailRun,
        children: [arg('address', email(LIMITS.contactEmail), 'Email address (maximum length 200)', both(emailRun))],
      }),
      kw('http', 'HTTP address', {
        runNo: httpRun,
        children: [arg('url', url, 'HTTP or HTTPS URL', both(httpRun))],
      }),
    ],
  });
})();

const format: CommandNode = (() => {
  const run: Handler = (ctx) =>
    changeProfile(ctx, (p) => {
      const f = ctx.form === 'set' ? ctx.values.str('format') : 'xml';
      if (p.predefined && f !== 'xml') return err(`% Message format of profile ${p.name} cannot be modified; it is xml only.\n`);
      return { ...p, format: f === 'long-text' ? 'long-text' : f === 'short-text' ? 'short-text' : 'xml' };
    });
  return kw('preferred-msg-format', 'To specify preferred message format for this profile', {
    runNo: run,
    children: [
      kw('long-text', 'Plain text message format', { name: 'format', ...both(run) }),
      kw('short-text', 'Short text message format', { name: 'format', ...both(run) }),
      kw('xml', 'XML message format', { name: 'format', ...both(run) }),
    ],
  });
})();

const messageSize: CommandNode = (() => {
  const run: Handler = (ctx) =>
    changeProfile(ctx, (p) => ({ ...p, messageSizeLimit: ctx.form === 'set' ? ctx.values.num('bytes') : MAX_MESSAGE_SIZE }));
  return kw('message-size-limit', 'To specify message size limit for this profile', {
    runNo: run,
    children: [arg('bytes', int(LIMITS.messageSize.min, LIMITS.messageSize.max), 'Message size limit in bytes', both(run))],
  });
})();

const destination: CommandNode = kw('destination', 'Message destination related configuration', {
  children: [address, messageSize, format, transport],
});

/** Periodic choices; `snapshot` adds hourly and interval. */
function periodicNode(run: Handler, snapshot: boolean): CommandNode {
  const at = (help: string): CommandNode => arg('time', time, help, both(run));
  const choices: CommandNode[] = [
    kw('daily', 'Daily call-home message', { name: 'period', children: [at('Time of day (hh:mm)')] }),
    kw('weekly', 'Weekly call-home message', {
      name: 'period',
      children: WEEKDAYS.map((d) => kw(d, `${d[0]?.toUpperCase()}${d.slice(1)}`, { name: 'day', children: [at('Time of day (hh:mm)')] })),
    }),
    kw('monthly', 'Monthly call-home message', {
      name: 'period',
      children: [arg('date', int(LIMITS.monthlyDate.min, LIMITS.monthlyDate.max), 'Day of the month', { children: [at('Time of day (hh:mm)')] })],
    }),
  ];
  if (snapshot) {
    choices.push(
      kw('hourly', 'Hourly call-home message', { name: 'period', children: [arg('minute', int(0, 59), 'Minute of the hour', both(run))] }),
      kw('interval', 'Call-home message at an interval', { name: 'period', children: [arg('minutes', int(1, 60), 'Interval in minutes', both(run))] }),
    );
  }
  return kw('periodic', 'Configure periodic call-home message', { children: choices });
}

function periodicOf(ctx: CliContext): Periodic | undefined {
  const v = ctx.values;
  const period = v.opt('period');
  const minutes = v.has('time') ? v.num('time') : 0;
  const hh = Math.floor(minutes / 60);
  const mm = minutes % 60;
  switch (period) {
    case 'daily':
      return { kind: 'daily', hh, mm };
    case 'weekly':
      return { kind: 'weekly', day: v.pick('day', WEEKDAYS), hh, mm };
    case 'monthly':
      return { kind: 'monthly', date: v.num('date'), hh, mm };
    case 'hourly':
      return { kind: 'hourly', mm: v.num('minute') };
    case 'interval':
      return { kind: 'interval', minutes: v.num('minutes') };
    default:
      return undefined;
  }
}

function severityOf(ctx: CliContext): SeverityKeyword | undefined {
  const s = ctx.values.opt('severity');
  return s !== undefined && isSeverityKeyword(s) ? s : undefined;
}

const subscribe: CommandNode = (() => {
  const run: Handler = (ctx) =>
    changeProfile(ctx, (p) => {
      const group = ctx.values.pick('group', [...ALERT_GROUPS, 'all'] as const);
      if (ctx.form !== 'set') {
        if (ctx.form === 'default' && p.predefined) {
          const d = tacDefaults(ctx.device.identity.serial, trainOf(ctx.device.identity));
          if (group === 'all') return { ...p, subscriptions: d.subscriptions, syslogPatterns: d.syslogPatterns };
          const cleared = unsubscribe(p, group);
          const sub = d.subscriptions[group];
          return {
            ...cleared,
            subscriptions: sub ? { ...cleared.subscriptions, [group]: sub } : cleared.subscriptions,
            syslogPatterns: group === 'syslog' ? d.syslogPatterns : cleared.syslogPatterns,
          };
        }
        return unsubscribe(p, group);
      }
      if (group === 'all') {
        const subs: Partial<Record<AlertGroup, Subscription>> = { ...p.subscriptions };
        for (const g of ALERT_GROUPS) subs[g] ??= {};
        return { ...p, subscriptions: subs };
      }
      const severity = severityOf(ctx);
      const periodic = periodicOf(ctx);
      const sub: Subscription = { ...(severity ? { severity } : {}), ...(periodic ? { periodic } : {}) };
      const next: Profile = { ...p, subscriptions: { ...p.subscriptions, [group]: sub } };
      if (group !== 'syslog') return next;
      const pattern = ctx.values.opt('pattern');
      if (pattern === undefined && p.syslogPatterns.length === 0) return next;
      const entry = { pattern: pattern ?? '.*', severity: severity ?? 'debugging' };
      return { ...next, syslogPatterns: [...p.syslogPatterns.filter((e) => e.pattern !== entry.pattern), entry] };
    });
  const opts = { name: 'group' } as const;
  const severityStep: OptionalStep = (rest, end) =>
    kw('severity', 'Severity level', { children: severityNodes({ children: rest, ...both(end) }) });
  const patternStep: OptionalStep = (_rest, end) =>
    kw('pattern', 'Syslog message pattern to be matched', {
      children: [arg('pattern', regex(80, isSafeRegex), 'Regular expression (quote it if it has spaces)', both(end))],
    });
  const periodicGroup = (g: AlertGroup, snapshot: boolean): CommandNode =>
    kw(g, `Subscribe to ${g} alert group`, { ...opts, ...both(run), children: [periodicNode(run, snapshot)] });
  const severityGroup = (g: AlertGroup): CommandNode =>
    kw(g, `Subscribe to ${g} alert group`, { ...opts, ...both(run), children: optionalTail([severityStep], run) });
  return kw('subscribe-to-alert-group', 'Subscribe to alert-group', {
    children: [
      kw('all', 'Subscribe to all alert groups', { ...opts, ...both(run) }),
      periodicGroup('configuration', false),
      kw('crash', 'Subscribe to crash and traceback alert group', { ...opts, ...both(run) }),
      severityGroup('diagnostic'),
      severityGroup('environment'),
      periodicGroup('inventory', false),
      periodicGroup('snapshot', true),
      kw('syslog', 'Subscribe to syslog alert group', { ...opts, ...both(run), children: optionalTail([severityStep, patternStep], run) }),
    ],
  });
})();

const anonymous: CommandNode = kw('anonymous-reporting-only', 'Set the profile to anonymous reporting only', {
  ...both((ctx) =>
    changeProfile(ctx, (p) => {
      if (!p.predefined) return err(`% Anonymous reporting applies to the predefined profile only, not to ${p.name}.\n`);
      return ok({ ...p, mode: ctx.form === 'set' ? 'anonymous' : 'full' });
    }),
  ),
});

const reporting: CommandNode = (() => {
  const run: Handler = (ctx) =>
    changeProfile(ctx, (p, c) => {
      const what = ctx.values.opt('data');
      if (ctx.form === 'default' || what === undefined) {
        const d = defaultsOf(p, ctx.device.identity);
        return ok({ ...p, reportSmartCallHome: d.reportSmartCallHome, reportSmartLicensing: d.reportSmartLicensing });
      }
      const on = ctx.form === 'set';
      const sch = what === 'all' || what === 'smart-call-home-data' ? on : p.reportSmartCallHome;
      const lic = what === 'all' || what === 'smart-licensing-data' ? on : p.reportSmartLicensing;
      return setReporting(c, p, sch, lic);
    });
  return kw('reporting', 'Specify the data to report', {
    runNo: run,
    children: [
      kw('all', 'Report Smart Call Home and Smart Licensing data', { name: 'data', ...both(run) }),
      kw('smart-call-home-data', 'Report Smart Call Home data', { name: 'data', ...both(run) }),
      kw('smart-licensing-data', 'Report Smart Licensing data', { name: 'data', ...both(run) }),
    ],
  });
})();

const PROFILE_COMMANDS: readonly CommandNode[] = [active, anonymous, destination, reporting, subscribe];

/** The commands of `(cfg-call-home-profile)#` without navigation. */
export function profileCommands(): readonly CommandNode[] {
  return PROFILE_COMMANDS;
}

/** The whole `(cfg-call-home-profile)#` tree. */
export function profileTree(exec: () => readonly CommandNode[]): readonly CommandNode[] {
  return [...PROFILE_COMMANDS, ...navigationNodes(), ...modifierNodes(profileCommands, exec)];
}
