/**
 * The Call Home section of the running configuration (spec §2.7): the one renderer of IOS
 * call-home configuration text. Default values are left out unless `all` is set; the output
 * replays line by line into a fresh device (and reads back through the interpreter) unchanged.
 */
import {
  ALERT_GROUPS,
  DEFAULT_AAA_USERNAME,
  DEFAULT_RATE_LIMIT,
  MAX_MESSAGE_SIZE,
  SMART_LICENSING_CONTACT,
  newUserProfile,
  tacDefaults,
  type AlertGroup,
  type CallHomeConfig,
  periodicWords,
  type Profile,
  type Subscription,
  type Train,
} from '../../domain/callhome.js';
import { quoteIfNeeded } from './tokens.js';

/** Rendering options: `all` prints defaults too (`show running-config all`); the train defaults to classic. */
export type RenderOptions = { readonly all: boolean; readonly train?: Train };

/** The comment IOS XE prints above the Smart Licensing contact address, inside the call-home section. */
export const XE_CONTACT_COMMENT: readonly string[] = [
  '! If contact email address in call-home is configured as sch-smart-licensing@cisco.com',
  '! the email address configured in Cisco Smart License Portal will be used as contact email address to send SCH notifications.',
];

function subscriptionLines(group: AlertGroup, sub: Subscription, p: Profile): string[] {
  const base = `subscribe-to-alert-group ${group}`;
  if (group === 'syslog' && p.syslogPatterns.length > 0) {
    // A lone `.*` is the plain subscription; beside other patterns it must keep its keyword or it is lost on replay.
    const alone = p.syslogPatterns.length === 1;
    return p.syslogPatterns.map((e) =>
      e.pattern === '.*' && alone
        ? `${base}${e.severity === 'debugging' ? '' : ` severity ${e.severity}`}`
        : `${base} severity ${e.severity} pattern "${e.pattern}"`,
    );
  }
  if (sub.periodic) return [`${base} periodic ${periodicWords(sub.periodic)}`];
  if (sub.severity) return [`${base} severity ${sub.severity}`];
  return [base];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function profileLines(p: Profile, serial: string, all: boolean, train: Train): string[] {
  const d = p.predefined ? tacDefaults(serial, train) : newUserProfile(p.name);
  const out: string[] = [];
  const show = (differs: boolean): boolean => all || differs;
  // IOS XE always writes CiscoTAC-1's state and transport (`active`, `destination transport-method http`).
  const xeTac = train === 'xe' && p.predefined;
  if (xeTac || show(p.active !== d.active)) out.push(p.active ? 'active' : 'no active');
  if (p.predefined && show(p.mode !== d.mode)) out.push(p.mode === 'anonymous' ? 'anonymous-reporting-only' : 'no anonymous-reporting-only');
  if (xeTac) {
    // As IOS XE writes its default: `reporting smart-call-home-data`, `reporting smart-licensing-data`.
    out.push(`${p.reportSmartCallHome ? '' : 'no '}reporting smart-call-home-data`, `${p.reportSmartLicensing ? '' : 'no '}reporting smart-licensing-data`);
  } else {
    if (show(p.reportSmartLicensing !== d.reportSmartLicensing)) out.push(`${p.reportSmartLicensing ? '' : 'no '}reporting smart-licensing-data`);
    if (show(p.reportSmartCallHome !== d.reportSmartCallHome)) out.push(`${p.reportSmartCallHome ? '' : 'no '}reporting smart-call-home-data`);
  }
  if (xeTac) out.push(...(p.transportHttp ? ['destination transport-method http', 'no destination transport-method email'] : ['destination transport-method email']));
  else {
    if (p.transportHttp && show(!d.transportHttp)) out.push('destination transport-method http');
    if (!p.transportEmail && !p.predefined) out.push('no destination transport-method email');
    if (all && p.transportEmail) out.push('destination transport-method email');
  }
  if (!p.predefined) for (const a of p.emailAddresses) out.push(`destination address email ${a}`);
  if (show(!same(p.httpUrls, d.httpUrls))) for (const u of p.httpUrls) out.push(`destination address http ${u}`);
  if (show(p.format !== d.format)) out.push(`destination preferred-msg-format ${p.format}`);
  if (show(p.messageSizeLimit !== MAX_MESSAGE_SIZE)) out.push(`destination message-size-limit ${p.messageSizeLimit}`);
  for (const g of ALERT_GROUPS) {
    const sub = p.subscriptions[g];
    const dsub = d.subscriptions[g];
    const differs = !same(sub, dsub) || (g === 'syslog' && !same(p.syslogPatterns, d.syslogPatterns));
    if (!show(differs)) continue;
    if (dsub && (sub === undefined || g === 'syslog')) out.push(`no subscribe-to-alert-group ${g}`);
    if (sub) out.push(...subscriptionLines(g, sub, p));
  }
  return out;
}

/** The global `service call-home` line: written when on; when off only where that is not the default (IOS XE) or with `all`. */
export function renderServiceLine(c: CallHomeConfig, options: RenderOptions): string | undefined {
  if (c.serviceEnabled) return 'service call-home';
  return options.all || options.train === 'xe' ? 'no service call-home' : undefined;
}

/** The Call Home lines (`call-home` and everything under it), without `service call-home`. */
export function renderCallHomeSection(c: CallHomeConfig, serial: string, options: RenderOptions): string[] {
  const { all } = options;
  const train = options.train ?? 'classic';
  const lines: string[] = ['call-home'];
  const add = (line: string): void => {
    lines.push(` ${line}`);
  };
  const text = (kw: string, v: string | undefined): void => {
    if (v !== undefined) add(`${kw} ${quoteIfNeeded(v)}`);
  };
  if (train === 'xe' && c.contactEmail === SMART_LICENSING_CONTACT) for (const l of XE_CONTACT_COMMENT) add(l);
  text('contact-email-addr', c.contactEmail);
  // IOS XE ships with a contact address, so its removal is written.
  if (train === 'xe' && c.contactEmail === undefined) add('no contact-email-addr');
  text('phone-number', c.phoneNumber);
  text('street-address', c.streetAddress);
  text('customer-id', c.customerId);
  text('site-id', c.siteId);
  text('contract-id', c.contractId);
  text('sender from', c.senderFrom);
  text('sender reply-to', c.senderReplyTo);
  for (const m of c.mailServers) add(`mail-server ${m.host} priority ${m.priority}${m.secure === 'tls' ? ' secure tls' : ''}`);
  text('source-interface', c.sourceInterface);
  text('source-ip-address', c.sourceIpAddress);
  text('vrf', c.vrf);
  if (c.httpProxy) add(`http-proxy "${c.httpProxy.host}" port ${c.httpProxy.port}`);
  if (c.httpServerIdentityCheck === false) add('no http secure server-identity-check');
  else if (all && train === 'xe') add('http secure server-identity-check');
  if (c.httpResolveHostname) add(`http resolve-hostname ${c.httpResolveHostname}`);
  const ds = c.diagnosticSignature;
  if (ds) {
    add('diagnostic-signature');
    if (ds.profile !== undefined) add(` profile ${quoteIfNeeded(ds.profile)}`);
    for (const e of ds.environment) add(` environment ${e.name} ${quoteIfNeeded(e.value)}`);
    add(ds.active ? ' active' : ' no active');
  }
  if (c.aaaAuthorization) add('aaa-authorization');
  else if (all) add('no aaa-authorization');
  if (all || c.aaaUsername !== DEFAULT_AAA_USERNAME) add(`aaa-authorization username ${c.aaaUsername}`);
  if (!c.syslogThrottling) add('no syslog-throttling');
  else if (all) add('syslog-throttling');
  if (all || c.dataPrivacyLevel !== 'normal') add(`data-privacy level ${c.dataPrivacyLevel}`);
  if (c.dataPrivacyHostname) add('data-privacy hostname');
  if (all || c.rateLimit !== DEFAULT_RATE_LIMIT) add(`rate-limit ${c.rateLimit}`);
  for (const g of ALERT_GROUPS) {
    if (!c.alertGroupEnabled[g]) add(`no alert-group ${g}`);
    else if (all) add(`alert-group ${g}`);
  }
  if (all || c.snapshotCommands.length > 0) {
    add('alert-group-config snapshot');
    for (const cmd of c.snapshotCommands) add(` add-command "${cmd}"`);
  }
  const ordered = [...c.profiles.filter((p) => !p.predefined), ...c.profiles.filter((p) => p.predefined)];
  for (const p of ordered) {
    const body = profileLines(p, serial, all, train);
    if (body.length === 0 && p.predefined) continue;
    add(`profile "${p.name}"`);
    for (const l of body) add(` ${l}`);
  }
  return lines;
}

