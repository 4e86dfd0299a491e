/**
 * Replies to `call-home request` messages (spec §3.10, S48, N27): output-analysis, config-sanity,
 * bugs-list, command-reference, product-advisory and registration-info, each built from what the service
 * has — the command output the request carries, the device's stored inventory / configuration /
 * registration, and the shipped tables src/backend/data/bugs.yaml and advisories.yaml — and mailed to
 * the `ccoid` user, else the device contact.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CallHomeMessage } from '../../domain/message.js';
import { AbortError } from '../../errors.js';
import type { ProcessingResults } from '../store/types.js';
import { findAttachment, outputOf, readCommand } from './command-output.js';
import { configText, technologiesOf } from './configuration.js';
import type { TxContext } from './context.js';
import { imageFrom, parseShowInventory, parseShowVersion } from './inventory.js';
import { isSingleAddress } from './notify.js';
import { raiseTrigger } from './processing-notices.js';
// reports: the one advisory table and its matching (also the Product Alerts report, S75).
import { matchAdvisories } from '../reports/advisories.js';

export const REQUEST_KINDS = ['output-analysis', 'config-sanity', 'bugs-list', 'command-reference', 'product-advisory', 'registration-info'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The request a message makes: its sub-type (as the lab and IOS send it), else its event name or description. */
export function requestKindOf(m: CallHomeMessage): RequestKind | null {
  for (const candidate of [m.subType, m.eventName, m.description.split(':')[0] ?? '']) {
    const k = candidate.trim().toLowerCase();
    if ((REQUEST_KINDS as readonly string[]).includes(k)) return k as RequestKind;
  }
  return null;
}

// ---- the shipped tables -------------------------------------------------------------------------

const BugSchema = z.object({
  id: z.string(),
  title: z.string(),
  severity: z.number().int().min(1).max(6),
  versions: z.array(z.string()),
  fixedIn: z.array(z.string()).default([]),
  platforms: z.array(z.string()).default([]),
  technology: z.string().optional(),
  url: z.string(),
});
export type Bug = z.infer<typeof BugSchema>;

let bugs: readonly Bug[] | null = null;

/** The shipped bug table (read once). A broken table is an error naming the entry, never a wrong reply. */
export function bugTable(): readonly Bug[] {
  if (bugs) return bugs;
  const file = fileURLToPath(new URL('../data/bugs.yaml', import.meta.url));
  const parsed = z.object({ bugs: z.array(BugSchema) }).safeParse(parseYaml(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new AbortError(`The bug table ${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  bugs = parsed.data.bugs;
  return bugs;
}

/** True when `version` is one of `patterns`: exact, or a prefix ending in `*`. */
export function versionMatches(version: string, patterns: readonly string[]): boolean {
  // `17.03.04a` (IOS XE's padded form) is 17.3.4a.
  const v = version.trim().toLowerCase().replace(/\.0+(?=\d)/g, '.');
  return v !== '' && patterns.some((p) => (p.endsWith('*') ? v.startsWith(p.slice(0, -1).toLowerCase()) : v === p.toLowerCase()));
}

/** True when one of `names` (model, series, component PIDs) starts with one of `products` (case-insensitive). */
function productMatches(names: readonly string[], products: readonly string[]): boolean {
  const lower = names.filter((n) => n !== '').map((n) => n.toLowerCase());
  return products.some((p) => lower.some((n) => n.startsWith(p.toLowerCase())));
}

// ---- the reports ---------------------------------------------------------------------------------

/** A reply: its heading and lines, and how many findings it lists. */
type Reply = { readonly lines: readonly string[]; readonly items: number };

/** The running configuration the request carries, else the one the service has stored. */
async function runningConfig(ctx: TxContext, m: CallHomeMessage): Promise<{ text: string; from: string } | null> {
  const out = readCommand(m.attachments, /^show running-config(?: all)?$/);
  if (out?.ok) return { text: configText(out.text), from: out.command };
  const stored = (await ctx.store.getDevice(m.serialNumber))?.configuration?.running ?? null;
  return stored === null ? null : { text: stored, from: 'the configuration the service last received' };
}

/** The software version the request's show version names, else the message's. */
function versionOf(m: CallHomeMessage): string {
  const out = readCommand(m.attachments, /^show version$/);
  return imageFrom(m, out?.ok ? out.text : null).version;
}

type Finding = { readonly id: string; readonly level: 'high' | 'medium' | 'low'; readonly text: string };

/** Best-practice checks of a running configuration (config-sanity). */
export function configFindings(config: string): Finding[] {
  const has = (re: RegExp): boolean => re.test(config);
  const vty = [...config.matchAll(/^line vty[^\n]*\n((?:[ \t]+[^\n]*\n?)*)/gm)].map((x) => x[1] ?? '');
  const findings: Finding[] = [];
  const add = (cond: boolean, id: string, level: Finding['level'], text: string): void => {
    if (cond) findings.push({ id, level, text });
  };
  add(has(/^enable password\b/m), 'enable-password', 'high', '"enable password" is stored with weak or no encryption: use "enable secret" (algorithm-type scrypt).');
  add(has(/^username \S+ (?:privilege \d+ )?password\b/m), 'username-password', 'high', 'A local user has a "password" instead of a "secret": use "username NAME secret".');
  add(has(/^snmp-server community (public|private)\b/m), 'snmp-default-community', 'high', 'SNMP uses a well-known community string (public/private): change it, restrict it with an ACL, or move to SNMPv3.');
  add(vty.some((b) => /transport input (?:all|telnet)/.test(b)), 'vty-telnet', 'high', 'The vty lines accept Telnet: allow SSH only ("transport input ssh").');
  add(!has(/^service password-encryption\b/m), 'password-encryption', 'medium', '"service password-encryption" is off: type-7 passwords are stored in clear.');
  add(has(/^ip http server\b/m), 'http-server', 'medium', 'The unencrypted HTTP server is on: use "no ip http server" and "ip http secure-server".');
  add(has(/^ip ssh\b|transport input .*ssh/m) && !has(/^ip ssh version 2\b/m), 'ssh-version', 'medium', 'SSH version 1 is allowed: set "ip ssh version 2".');
  add(!has(/^aaa new-model\b/m), 'aaa', 'medium', 'AAA is off ("no aaa new-model"): central authentication and accounting are not used.');
  add(vty.length > 0 && vty.some((b) => !/access-class /.test(b)), 'vty-acl', 'medium', 'A vty line has no "access-class": management access is open to every source address.');
  add(/exec-timeout 0(?: 0)?\b/.test(config), 'exec-timeout', 'low', '"exec-timeout 0 0" keeps idle sessions open forever: set a timeout (e.g. 10 0).');
  add(!has(/^ntp server\b/m), 'ntp', 'low', 'No NTP server: log and Call Home time stamps may drift.');
  add(!has(/^logging host\b|^logging \d+\.\d+\.\d+\.\d+/m), 'syslog-server', 'low', 'No remote syslog server ("logging host"): logs are lost at reload.');
  add(!has(/^service timestamps log datetime\b/m), 'log-timestamps', 'low', 'Log messages carry no date and time ("service timestamps log datetime msec").');
  return findings;
}

/** config-sanity: best-practice findings for the running configuration. */
async function configSanity(ctx: TxContext, m: CallHomeMessage): Promise<Reply> {
  const config = await runningConfig(ctx, m);
  if (!config) return { lines: ['No running configuration is available: the request carried none and the service has received none.'], items: 0 };
  const findings = configFindings(config.text);
  return {
    lines: [`Checked: ${config.from}.`, ...(findings.length === 0 ? ['No findings: the configuration follows every checked practice.'] : findings.map((f) => `[${f.level}] ${f.id}: ${f.text}`))],
    items: findings.length,
  };
}

/** bugs-list: known bugs for the running version, platform and the features in use. */
async function bugsList(ctx: TxContext, m: CallHomeMessage): Promise<Reply> {
  const version = versionOf(m);
  const config = await runningConfig(ctx, m);
  const inUse = new Set(technologiesOf(config?.text ?? '').map((t) => t.subTechnology.toLowerCase()));
  const found = bugTable().filter(
    (b) => versionMatches(version, b.versions) && (b.platforms.length === 0 || productMatches([m.model], b.platforms)) && (b.technology === undefined || inUse.has(b.technology.toLowerCase())),
  );
  return {
    lines: [
      `Software version: ${version || '(unknown)'}; platform: ${m.model || '(unknown)'}; features in use: ${[...inUse].sort().join(', ') || '(no configuration available)'}.`,
      ...(found.length === 0 ? ['No known bugs match this version, platform and feature set.'] : found.map((b) => `${b.id} (severity ${b.severity}): ${b.title}. Fixed in ${b.fixedIn.join(', ') || '(no fix yet)'}. ${b.url}`)),
    ],
    items: found.length,
  };
}

/** Configuration command families → the command reference that documents them. */
const REFERENCES: readonly (readonly [RegExp, string])[] = [
  [/^(interface|vlan|spanning-tree)\b/, 'Interface and Hardware Component Command Reference'],
  [/^(router|ip route|ipv6 route|ipv6 unicast-routing)\b/, 'IP Routing Command Reference'],
  [/^(crypto|aaa|username|enable|radius|tacacs|zone|ip access-list|access-list)\b/, 'Security Command Reference'],
  [/^(ip ssh|ip http|ip domain|ip name-server|ip dhcp|ip nat|ip sla|ntp|ip forward-protocol)\b/, 'IP Application Services / Addressing Command Reference'],
  [/^(snmp-server|logging|call-home|service call-home|flow|event manager)\b/, 'Network Management Command Reference'],
  [/^(class-map|policy-map)\b/, 'Quality of Service Solutions Command Reference'],
  [/^(mpls|vrf)\b/, 'MPLS Command Reference'],
  [/^(license|platform|redundancy|boot|line|hostname|version|service|banner|clock|archive)\b/, 'Configuration Fundamentals Command Reference'],
];

/** The command reference list for the device's software train. */
function referenceIndex(version: string): string {
  return /^1[67]\./.test(version)
    ? 'https://www.cisco.com/c/en/us/support/ios-nx-os-software/ios-xe-17/products-command-reference-list.html'
    : 'https://www.cisco.com/c/en/us/support/ios-nx-os-software/ios-15-2m-t/products-command-reference-list.html';
}

/** command-reference: reference links for every command in the running configuration. */
async function commandReference(ctx: TxContext, m: CallHomeMessage): Promise<Reply> {
  const config = await runningConfig(ctx, m);
  if (!config) return { lines: ['No running configuration is available: the request carried none and the service has received none.'], items: 0 };
  const commands = new Map<string, string>();
  for (const line of config.text.split('\n')) {
    if (line === '' || /^[\s!]/.test(line) || line === 'end') continue;
    const words = line.replace(/^no /, '').split(/\s+/);
    // Two words name the command for the families that need them (ip ssh, ip route, crypto pki…).
    const command = ['ip', 'ipv6', 'crypto', 'service', 'license', 'platform', 'logging', 'snmp-server'].includes(words[0] ?? '') ? words.slice(0, 2).join(' ') : (words[0] ?? '');
    if (command && !commands.has(command)) commands.set(command, REFERENCES.find(([re]) => re.test(command))?.[1] ?? 'Master Command List');
  }
  const index = referenceIndex(versionOf(m));
  return { lines: [`Command references for this release: ${index}`, ...[...commands].sort(([a], [b]) => a.localeCompare(b)).map(([c, book]) => `${c}: ${book}`)], items: commands.size };
}

/** product-advisory: PSIRT, field notices and EoL/EoS notices for the chassis, its components and version. */
async function productAdvisory(ctx: TxContext, m: CallHomeMessage): Promise<Reply> {
  const inventory = readCommand(m.attachments, /^show inventory(?: fru)?$/);
  const stored = (await ctx.store.getDevice(m.serialNumber))?.inventory ?? null;
  const pids = inventory?.ok
    ? parseShowInventory(inventory.text).map((c) => c.model)
    : stored
      ? [...stored.modules, ...stored.subModules, ...stored.powerSupplies, ...stored.fans].map((c) => c.model)
      : [];
  const version = versionOf(m);
  const found = matchAdvisories([m.model, m.series, ...pids], version);
  const label = { psirt: 'PSIRT', 'field-notice': 'Field Notice', eol: 'EoL', eos: 'EoS' } as const;
  return {
    lines: [
      `Product: ${m.model || '(unknown)'} (${m.series || 'series unknown'}); software ${version || '(unknown)'}; ${pids.length} inventory components checked.`,
      ...(found.length === 0 ? ['No PSIRT, field notice or end-of-life notice applies to this device.'] : found.map(({ advisory: a, matchedOn }) => `${label[a.type]} ${a.id}: ${a.title} (matched on ${matchedOn}). ${a.url}`)),
    ],
    items: found.length,
  };
}

/** registration-info: the device's registration as the service holds it. */
async function registrationInfo(ctx: TxContext, m: CallHomeMessage): Promise<Reply> {
  const device = await ctx.store.getDevice(m.serialNumber);
  const reg = await ctx.store.getRegistration(m.serialNumber);
  const lines = [
    `Serial number: ${m.serialNumber}`,
    `Registration state: ${reg?.state ?? 'not registered'}`,
    `Contract: ${reg?.contractNumber ?? '(none)'}`,
    ...(reg?.trialEndsAt ? [`Trial ends: ${reg.trialEndsAt}`] : []),
    `Registered since: ${reg?.confirmedAt ?? '(not confirmed)'}`,
    `Host name on record: ${device?.hostname || '(none)'}`,
    `Model: ${device?.model || m.model || '(unknown)'}`,
    `Contact e-mail on record: ${device?.contactEmail || '(none)'}`,
    `Notification list: ${device?.notifyEmails.join(', ') || '(none)'}`,
    `Last inventory received: ${device?.lastInventoryAt ?? '(none)'}; last configuration: ${device?.lastConfigurationAt ?? '(none)'}`,
  ];
  return { lines, items: 1 };
}

/** What one analysed `show` output says, by command family. */
export function analyseOutput(command: string, text: string): string[] {
  const c = command.trim().toLowerCase();
  if (/^show ver/.test(c)) {
    const v = parseShowVersion(text);
    const uptime = /uptime is (.+)$/m.exec(text)?.[1] ?? '';
    const reason = /Last reload reason: (.+)$/m.exec(text)?.[1] ?? '';
    return [
      `Software ${v.image.version || '(not found)'}${v.image.software ? ` (${v.image.software})` : ''}; image ${v.image.file || '(not found)'}.`,
      `Uptime ${uptime || '(not found)'}; last reload reason: ${reason || '(not found)'}${/crash|error|exception|watchdog/i.test(reason) ? ' — the last reload was not a normal one: request a crash analysis with the crashinfo file.' : '.'}`,
      ...(v.memory.processorKb !== null ? [`Processor memory ${v.memory.processorKb}K.`] : []),
    ];
  }
  if (/^show log/.test(c)) {
    const counts = new Map<number, number>();
    const severe = new Map<string, number>();
    for (const m of text.matchAll(/%([A-Z0-9_]+)-(\d)-([A-Z0-9_]+)/g)) {
      const level = Number(m[2]);
      counts.set(level, (counts.get(level) ?? 0) + 1);
      if (level <= 3) severe.set(`${m[1]}-${m[2]}-${m[3]}`, (severe.get(`${m[1]}-${m[2]}-${m[3]}`) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    return [
      `${total} log messages: ${[...counts].sort(([a], [b]) => a - b).map(([l, n]) => `level ${l}: ${n}`).join(', ') || 'none'}.`,
      ...(severe.size === 0 ? ['No error-level (0–3) messages.'] : [...severe].map(([mn, n]) => `Error-level message ${mn} logged ${n} time(s): look it up in the System Message Guide for its cause and action.`)),
    ];
  }
  if (/^show env/.test(c)) {
    const alarms = [...text.matchAll(/Number of (Critical|Major|Minor) alarms:\s*(\d+)/g)].filter((m) => Number(m[2]) > 0);
    const bad = text.split('\n').filter((l) => /\b(Critical|Warning|Shutdown|Fail(?:ed|ure)?|Bad|Faulty|Not Present)\b/i.test(l) && !/^Number of/.test(l.trim()));
    return alarms.length === 0 && bad.length === 0 ? ['No environmental alarms; every sensor reads normal.'] : [...alarms.map((a) => `${a[2] ?? 0} ${(a[1] ?? '').toLowerCase()} alarm(s).`), ...bad.map((l) => `Sensor not normal: ${l.trim()}`)];
  }
  if (/^show int/.test(c)) {
    const out: string[] = [];
    let current = '';
    for (const line of text.split('\n')) {
      const head = /^(\S+) is ([^,]+), line protocol is (\S+)/.exec(line);
      if (head) {
        current = head[1] ?? '';
        if (head[2] !== 'up' && head[2] !== 'administratively down') out.push(`${current} is ${head[2]} (line protocol ${head[3]}): check the cable and the far end.`);
        if (/err-disabled/.test(line)) out.push(`${current} is err-disabled: find the cause with "show errdisable recovery".`);
      }
      const errors = /(\d+) input errors, (\d+) CRC/.exec(line);
      if (errors && (Number(errors[1]) > 0 || Number(errors[2]) > 0)) out.push(`${current}: ${errors[1]} input errors, ${errors[2]} CRC — a duplex mismatch or a bad cable is likely.`);
    }
    return out.length === 0 ? ['Every interface shown is up (or administratively down) with no input or CRC errors.'] : out;
  }
  if (/^show proc(esses)? cpu/.test(c)) {
    const cpu = /CPU utilization for five seconds: (\d+)%/.exec(text);
    const five = cpu ? Number(cpu[1]) : null;
    return five === null ? ['No CPU utilization line was found.'] : [`CPU ${five}% over five seconds${five >= 80 ? ': high — look at the top processes for the cause.' : ': normal.'}`];
  }
  if (/^show inv/.test(c)) {
    const parts = parseShowInventory(text);
    return [`${parts.length} components: ${parts.map((p) => p.model || p.name).join(', ') || 'none'}.`];
  }
  if (/^show diag/.test(c)) {
    const failed = text.split('\n').filter((l) => /\b(FAIL|F)\b|Fail/.test(l) && !/PASS/.test(l));
    return failed.length === 0 ? ['No diagnostic test failed.'] : failed.map((l) => `Failed: ${l.trim()} — re-run the test and open a service request if it fails again.`);
  }
  const lines = text.split('\n').length;
  return [`No analysis rules for "${command}": ${lines} lines of output received and kept with the request.`];
}

/** output-analysis: the analysis of the command output the request carries. */
function outputAnalysis(m: CallHomeMessage): Reply {
  const named = /^output-analysis:\s*(.+)$/.exec(m.description)?.[1]?.trim() ?? '';
  const a = (named ? findAttachment(m.attachments, new RegExp(`^${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)) : undefined) ?? m.attachments[0];
  if (!a) return { lines: ['The request carried no command output to analyse.'], items: 0 };
  const out = outputOf(a);
  if (!out.ok) return { lines: [`${a.name}: ${out.reason}; nothing to analyse.`], items: 0 };
  const lines = analyseOutput(a.name, out.text);
  return { lines: [`Analysis of "${a.name}":`, ...lines], items: lines.length };
}

/**
 * Where a CCO ID's registered user gets mail (§3.10): a user of the service who has accepted the legal
 * agreement and belongs to the device's company (or is an SCH administrator). Anyone else — an unknown
 * ID, or a user of another company a device names — is not mailed: the reply goes to the device contact.
 */
export async function resolveCcoUser(ctx: TxContext, ccoId: string, serial: string): Promise<string | null> {
  const user = await ctx.store.getUser(ccoId);
  if (!user || user.agreementVersion === null || !isSingleAddress(user.email)) return null;
  if (user.schAdmin) return user.email;
  const company = (await ctx.store.getDevice(serial))?.company ?? null;
  if (company === null) return null;
  return (await ctx.store.membershipsOf(user.id)).some((m) => m.companyId === company) ? user.email : null;
}

/** Builds the reply to a request message and mails it (N27) to the CCO user, else the device contact. */
export async function answerRequest(ctx: TxContext, m: CallHomeMessage, kind: RequestKind): Promise<ProcessingResults> {
  const reply: Reply =
    kind === 'output-analysis'
      ? outputAnalysis(m)
      : kind === 'config-sanity'
        ? await configSanity(ctx, m)
        : kind === 'bugs-list'
          ? await bugsList(ctx, m)
          : kind === 'command-reference'
            ? await commandReference(ctx, m)
            : kind === 'product-advisory'
              ? await productAdvisory(ctx, m)
              : await registrationInfo(ctx, m);
  const cco = m.ccoId.trim() === '' ? null : await resolveCcoUser(ctx, m.ccoId.trim(), m.serialNumber);
  // A confirmed device's contact is the one on record, never one a message names (issue 11).
  const contact = (await ctx.store.getDevice(m.serialNumber))?.contactEmail ?? '';
  const to = [cco ?? contact].filter(isSingleAddress);
  const lines = [
    `Request: ${kind}`,
    ...(m.ccoId && !cco ? [`CCO ID ${m.ccoId} is not a registered Smart Call Home user of this device's company: the reply goes to the device contact.`] : []),
    '',
    ...reply.lines,
  ];
  const n = await raiseTrigger(ctx, 'N27', m, { lines, to, reason: `Response to call-home request ${kind}` });
  return { rules: [], caseAction: 'none', notifiedTo: n.to, note: `${kind}: reply with ${reply.items} item(s) mailed`, reply: { request: kind, to: n.to, items: reply.items } };
}
