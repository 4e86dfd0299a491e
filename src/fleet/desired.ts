/**
 * The desired Call Home configuration for `push` and `verify` (docs/cli.md): a zod schema,
 * a YAML loader with errors that name the file, the key path and what is expected, and the
 * typed model the planner reads. Keys not named stay as they are on the device; a key set to
 * `null` removes the value from the device.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import {
  ALERT_GROUPS,
  CISCO_TAC_PROFILE,
  LIMITS,
  type AlertGroup,
  type MessageFormat,
  type Periodic,
} from '../domain/callhome.js';
import { SEVERITY_KEYWORDS, type SeverityKeyword } from '../domain/severity.js';
import { AbortError } from '../errors.js';
import { parsePeriodicWords } from '../ios/config/index.js';

/** One desired subscription of a profile. */
export type DesiredSubscription = {
  readonly periodic?: Periodic;
  readonly severity?: SeverityKeyword;
  /** Syslog only; `.*` when absent. */
  readonly pattern?: string;
  /** Syslog only: up to five pattern entries instead of one `severity`/`pattern`. */
  readonly patterns?: readonly { readonly pattern?: string; readonly severity?: SeverityKeyword }[];
};

/** One desired destination profile; absent keys stay as they are. */
export type DesiredProfile = {
  readonly active?: boolean;
  readonly transport?: readonly ('email' | 'http')[];
  readonly email?: readonly string[];
  readonly http?: readonly string[];
  readonly format?: MessageFormat;
  readonly messageSize?: number;
  /** When given, the complete set: groups not listed are unsubscribed. */
  readonly subscriptions?: Readonly<Partial<Record<AlertGroup, DesiredSubscription>>>;
};

/** A text setting: a value, `null` to remove it, or absent to leave it. */
export type DesiredText = string | null | undefined;

/** The desired configuration, as the planner reads it. */
export type DesiredConfig = {
  readonly service?: boolean;
  readonly contactEmail?: DesiredText;
  readonly phoneNumber?: DesiredText;
  readonly streetAddress?: DesiredText;
  readonly customerId?: DesiredText;
  readonly siteId?: DesiredText;
  readonly contractId?: DesiredText;
  readonly senderFrom?: DesiredText;
  readonly senderReplyTo?: DesiredText;
  readonly sourceInterface?: DesiredText;
  readonly sourceIpAddress?: DesiredText;
  readonly vrf?: DesiredText;
  readonly httpProxy?: { readonly host: string; readonly port: number } | null;
  readonly mailServers?: readonly { readonly address: string; readonly priority: number }[];
  readonly rateLimit?: number;
  readonly syslogThrottling?: boolean;
  readonly dataPrivacyLevel?: 'normal' | 'high';
  /** When given, the complete ordered list. */
  readonly snapshotCommands?: readonly string[];
  readonly alertGroups?: Readonly<Partial<Record<AlertGroup, boolean>>>;
  /** Keyed by profile name (case-insensitive on the device). */
  readonly profiles?: Readonly<Record<string, DesiredProfile>>;
};

// IOS cannot carry a double quote inside a quoted argument.
const text = (max: number, what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} has at most ${max} characters`)
    .refine((s) => !s.includes('"'), `${what} cannot contain a double quote (")`);
const word = (max: number, what: string) => text(max, what).regex(/^\S+$/, `${what} cannot contain spaces`);
const email = (what: string) => word(LIMITS.contactEmail, what).regex(/^[^@\s]+@[^@\s]+$/, `${what} must be an e-mail address (name@domain)`);
const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const severity = z.enum(SEVERITY_KEYWORDS, { error: `expected a severity: ${SEVERITY_KEYWORDS.join(', ')}` });

const periodic = z.string().transform((value, ctx): Periodic => {
  const parsed = parsePeriodicWords(value.trim().split(/\s+/));
  if (!parsed) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected "daily HH:MM", "weekly DAY HH:MM", "monthly 1-31 HH:MM" (snapshot also "hourly MM", "interval 1-60")',
    });
    return z.NEVER;
  }
  return parsed;
});

const subscription = z
  .object({
    periodic: periodic.optional(),
    severity: severity.optional(),
    pattern: text(80, 'pattern').optional(),
    patterns: z
      .array(z.object({ pattern: text(80, 'pattern').optional(), severity: severity.optional() }).strict())
      .min(1, 'name at least one pattern')
      .max(5, 'a profile has at most 5 syslog patterns')
      .refine((l) => new Set(l.map((e) => e.pattern ?? '.*')).size === l.length, 'each pattern appears once')
      .optional(),
  })
  .strict()
  .nullable()
  .transform((s) => s ?? {});

const PERIODIC_GROUPS: readonly AlertGroup[] = ['configuration', 'inventory', 'snapshot'];
const SEVERITY_GROUPS: readonly AlertGroup[] = ['diagnostic', 'environment', 'syslog'];

const subscriptions = z
  .partialRecord(z.enum(ALERT_GROUPS, { error: `expected an alert group: ${ALERT_GROUPS.join(', ')}` }), subscription)
  .superRefine((subs, ctx) => {
    for (const [group, sub] of Object.entries(subs) as [AlertGroup, z.infer<typeof subscription>][]) {
      if (sub.periodic && !PERIODIC_GROUPS.includes(group)) {
        ctx.addIssue({ code: 'custom', path: [group, 'periodic'], message: `${group} has no periodic option (only ${PERIODIC_GROUPS.join(', ')})` });
      }
      if (sub.periodic && group !== 'snapshot' && (sub.periodic.kind === 'hourly' || sub.periodic.kind === 'interval')) {
        ctx.addIssue({ code: 'custom', path: [group, 'periodic'], message: 'hourly and interval schedules are for snapshot only' });
      }
      if (sub.severity && !SEVERITY_GROUPS.includes(group)) {
        ctx.addIssue({ code: 'custom', path: [group, 'severity'], message: `${group} has no severity option (only ${SEVERITY_GROUPS.join(', ')})` });
      }
      if (sub.pattern !== undefined && group !== 'syslog') {
        ctx.addIssue({ code: 'custom', path: [group, 'pattern'], message: 'only syslog takes a pattern' });
      }
      if (sub.patterns !== undefined && (group !== 'syslog' || sub.pattern !== undefined || sub.severity !== undefined)) {
        ctx.addIssue({ code: 'custom', path: [group, 'patterns'], message: 'patterns is for syslog only, instead of severity and pattern' });
      }
    }
  });

const profile = z
  .object({
    active: z.boolean().optional(),
    transport: z
      .array(z.enum(['email', 'http'], { error: 'expected email or http' }))
      .min(1, 'name at least one transport (email, http)')
      .optional(),
    email: z.array(email('destination e-mail')).optional(),
    http: z.array(word(256, 'destination URL').regex(/^https?:\/\/\S+$/, 'destination URL must start with http:// or https://')).optional(),
    format: z.enum(['xml', 'long-text', 'short-text'], { error: 'expected xml, long-text or short-text' }).optional(),
    'message-size': z
      .number()
      .int()
      .min(LIMITS.messageSize.min, `message-size is ${LIMITS.messageSize.min}..${LIMITS.messageSize.max} bytes`)
      .max(LIMITS.messageSize.max, `message-size is ${LIMITS.messageSize.min}..${LIMITS.messageSize.max} bytes`)
      .optional(),
    subscriptions: subscriptions.optional(),
  })
  .strict();

const profileName = z
  .string()
  .min(1)
  .max(LIMITS.profileName, `a profile name has at most ${LIMITS.profileName} characters`)
  .regex(/^[^\s"]+$/, 'a profile name cannot contain spaces or quotes')
  .refine((n) => n.toLowerCase() !== 'all', 'a profile cannot be named "all"');

const priority = z
  .number()
  .int()
  .min(LIMITS.priority.min, `priority is ${LIMITS.priority.min}..${LIMITS.priority.max}`)
  .max(LIMITS.priority.max, `priority is ${LIMITS.priority.min}..${LIMITS.priority.max}`);

/** The YAML schema (docs/cli.md "Desired configuration"). */
export const desiredConfigSchema = z
  .object({
    service: z.union([z.enum(['enabled', 'disabled']), z.boolean()], { error: 'expected enabled or disabled' }).optional(),
    'contact-email': nullable(email('contact-email')),
    'phone-number': nullable(
      text(LIMITS.phoneNumber, 'phone-number').regex(/^\+[\d-]+$/, 'phone-number starts with + and holds only digits and -'),
    ),
    'street-address': nullable(text(LIMITS.streetAddress, 'street-address')),
    'customer-id': nullable(text(LIMITS.customerId, 'customer-id')),
    'site-id': nullable(text(LIMITS.siteId, 'site-id')),
    'contract-id': nullable(text(LIMITS.contractId, 'contract-id')),
    sender: z.object({ from: nullable(email('sender from')), 'reply-to': nullable(email('sender reply-to')) }).strict().optional(),
    'source-interface': nullable(word(LIMITS.interfaceName, 'source-interface')),
    'source-ip-address': nullable(word(LIMITS.sourceIp, 'source-ip-address')),
    vrf: nullable(word(64, 'vrf')),
    'http-proxy': z
      .object({
        host: word(LIMITS.proxyHost, 'http-proxy host'),
        port: z.number().int().min(LIMITS.port.min).max(LIMITS.port.max, `port is ${LIMITS.port.min}..${LIMITS.port.max}`),
      })
      .strict()
      .nullable()
      .optional(),
    'mail-servers': z
      .array(z.object({ address: word(LIMITS.mailServerName, 'mail server address'), priority }).strict())
      .max(LIMITS.mailServers, `at most ${LIMITS.mailServers} mail servers`)
      .refine((l) => new Set(l.map((m) => m.address.toLowerCase())).size === l.length, 'each mail server address appears once')
      .optional(),
    'rate-limit': z
      .number()
      .int()
      .min(LIMITS.rateLimit.min, `rate-limit is ${LIMITS.rateLimit.min}..${LIMITS.rateLimit.max} messages per minute`)
      .max(LIMITS.rateLimit.max, `rate-limit is ${LIMITS.rateLimit.min}..${LIMITS.rateLimit.max} messages per minute`)
      .optional(),
    'syslog-throttling': z.boolean().optional(),
    'data-privacy': z.enum(['normal', 'high'], { error: 'expected normal or high' }).optional(),
    'snapshot-commands': z
      .array(text(LIMITS.snapshotCommand, 'snapshot command'))
      .refine((l) => new Set(l).size === l.length, 'each snapshot command appears once')
      .optional(),
    'alert-groups': z.partialRecord(z.enum(ALERT_GROUPS, { error: `expected an alert group: ${ALERT_GROUPS.join(', ')}` }), z.boolean()).optional(),
    profiles: z.record(profileName, profile).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const names = Object.keys(d.profiles ?? {});
    const lower = names.map((n) => n.toLowerCase());
    names.forEach((name, i) => {
      if (lower.indexOf(lower[i] ?? '') !== i) {
        ctx.addIssue({ code: 'custom', path: ['profiles', name], message: 'profile names are case-insensitive; this one is listed twice' });
      }
      const p = d.profiles?.[name];
      if (!p || name.toLowerCase() !== CISCO_TAC_PROFILE.toLowerCase()) return;
      // CiscoTAC-1 (§2.5): xml only, its e-mail destination is fixed, exactly one transport.
      if (p.format !== undefined && p.format !== 'xml') ctx.addIssue({ code: 'custom', path: ['profiles', name, 'format'], message: `${CISCO_TAC_PROFILE} sends xml only` });
      if (p.email !== undefined) ctx.addIssue({ code: 'custom', path: ['profiles', name, 'email'], message: `the e-mail destination of ${CISCO_TAC_PROFILE} cannot be changed` });
      if (p.transport && p.transport.length !== 1) ctx.addIssue({ code: 'custom', path: ['profiles', name, 'transport'], message: `${CISCO_TAC_PROFILE} uses exactly one transport (email or http)` });
      if (p.http && p.http.length !== 1) ctx.addIssue({ code: 'custom', path: ['profiles', name, 'http'], message: `${CISCO_TAC_PROFILE} has exactly one HTTP destination` });
    });
  });

type DesiredYaml = z.infer<typeof desiredConfigSchema>;

function toDesired(y: DesiredYaml): DesiredConfig {
  const profiles: Record<string, DesiredProfile> = {};
  for (const [name, p] of Object.entries(y.profiles ?? {})) {
    profiles[name] = {
      active: p.active,
      transport: p.transport ? [...new Set(p.transport)] : undefined,
      email: p.email,
      http: p.http,
      format: p.format,
      messageSize: p['message-size'],
      subscriptions: p.subscriptions,
    };
  }
  return {
    service: y.service === undefined ? undefined : y.service === true || y.service === 'enabled',
    contactEmail: y['contact-email'],
    phoneNumber: y['phone-number'],
    streetAddress: y['street-address'],
    customerId: y['customer-id'],
    siteId: y['site-id'],
    contractId: y['contract-id'],
    senderFrom: y.sender?.from,
    senderReplyTo: y.sender?.['reply-to'],
    sourceInterface: y['source-interface'],
    sourceIpAddress: y['source-ip-address'],
    vrf: y.vrf,
    httpProxy: y['http-proxy'],
    mailServers: y['mail-servers'],
    rateLimit: y['rate-limit'],
    syslogThrottling: y['syslog-throttling'],
    dataPrivacyLevel: y['data-privacy'],
    snapshotCommands: y['snapshot-commands'],
    alertGroups: y['alert-groups'],
    profiles: y.profiles ? profiles : undefined,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') return `${path}: unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  // A bad record key (a profile name): say what is wrong with the name itself.
  if (issue.code === 'invalid_key') return `${path}: ${issue.issues.map((i) => i.message).join('; ')}`;
  return `${path}: ${issue.message}`;
}

/** Validates an already-parsed document; `source` names it in errors. */
export function parseDesiredConfig(document: unknown, source: string): DesiredConfig {
  const result = desiredConfigSchema.safeParse(document ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${describeIssue(i)}`);
    throw new AbortError(
      `The desired configuration ${source} is not valid:\n${lines.join('\n')}`,
      'Fix the keys listed above; examples/desired.yaml and docs/cli.md ("Desired configuration") show the format.',
    );
  }
  return toDesired(result.data);
}

/** Parses desired-configuration YAML text; `source` (usually the file name) names it in errors. */
export function parseDesiredYaml(text: string, source: string): DesiredConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problem = doc.errors[0];
  if (problem) {
    throw new AbortError(`${source} is not valid YAML: ${problem.message}`, 'Fix the YAML syntax at the line shown.');
  }
  return parseDesiredConfig(doc.toJS({ maxAliasCount: 100 }), source);
}

/** Reads and validates a desired-configuration YAML file. */
export async function loadDesiredConfig(file: string): Promise<DesiredConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? ` (${String(error.code)})` : '';
    throw new AbortError(`Cannot read the desired configuration ${file}${code}.`, 'Check the --config path.');
  }
  return parseDesiredYaml(text, file);
}
