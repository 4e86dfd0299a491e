/**
 * The Call Home client of one lab device (ios-call-home.md §4–§8, C62–C84): routes events and
 * EXEC sends to profiles, applies the rate limit, syslog throttling, anonymous mode and data
 * privacy, collects attachments, renders messages, delivers them through a queue and counts
 * everything for `show call-home statistics`.
 *
 * Rate limit: one slot per message per profile (not per transport); a dropped message counts as
 * Ratelimit-dropped once for each transport the profile uses. Throttled syslog alerts are not counted.
 */
import type { AlertGroup, CallHomeConfig, MessageFormat, Periodic, Profile, TransportMethod } from '../../domain/callhome.js';
import { CISCO_TAC_PROFILE, MAX_MESSAGE_SIZE } from '../../domain/callhome.js';
import type { Attachment, Card } from '../../domain/message.js';
import { severityFromSyslog } from '../../domain/severity.js';
import { formatCallHomeTime, formatSyslogStamp, hexEpoch } from '../../callhome/timestamp.js';
import { assertNever } from '../../util/assert-never.js';
import type { CallHomeEngine, DeviceIdentity, EngineHost, LabEvent, MailServerStatus, SendOutcome } from '../types.js';
import { alertGroupCommands, PRODUCT_ADVISORY_COMMANDS, REQUEST_COMMANDS, TEST_COMMANDS } from './commands.js';
import {
  DEFAULT_DELIVERY_POLICY,
  deliverEmail,
  deliverHttp,
  httpFailureLog,
  sizeFailureLog,
  smtpFailureLog,
  type DeliveryPolicy,
} from './delivery.js';
import { RateLimiter, SYSLOG_THROTTLE_WINDOW_MS, SyslogThrottle } from './limits.js';
import { buildMessage, type MessageContent } from './message-builder.js';
import { nextOccurrence } from './periodic.js';
import { anonymize, applyDataPrivacy } from './privacy.js';
import { contactReady, findProfile, hasDestination, manualAlertTargets, modeAllows, namedOrTac, routeAlert } from './routing.js';
import { sharedScheduler, type CancelTask, type Scheduler } from './scheduler.js';
import { fitToLimit } from './size-limit.js';
import { byPriority, probeMailServer, smtpSource } from './smtp-transport.js';
import { StatsCounter } from './stats.js';

/** Options of an engine; tests inject a manual scheduler and short delays. */
export type CallHomeEngineOptions = {
  /** Timer source for periodic messages (default: one timer shared by every engine). */
  readonly scheduler?: Scheduler;
  readonly delivery?: Partial<DeliveryPolicy>;
  /** Timeout of each mail-server probe (default 3 s). */
  readonly probeTimeoutMs?: number;
  readonly syslogThrottleWindowMs?: number;
};

/** Default address of send-CLI long text to Cisco TAC (§3.4). */
export const TAC_ATTACH_EMAIL = 'attach@cisco.com';
/** Default test text when `call-home test` gets none. */
export const DEFAULT_TEST_TEXT = 'test message.';

/** One message to one recipient set: a profile, or an ad-hoc send-CLI destination. */
type Target = {
  readonly name: string;
  readonly mode: 'full' | 'anonymous';
  readonly format: MessageFormat;
  readonly sizeLimit: number;
  readonly emails: readonly string[];
  readonly urls: readonly string[];
};

type Job = {
  readonly content: MessageContent;
  readonly commands: readonly string[];
  readonly eventTime: string;
  readonly hex: string;
  readonly targets: readonly (Target & { readonly messageNo: number; readonly groupNo: number })[];
};

function profileTarget(profile: Profile): Target {
  return {
    name: profile.name,
    mode: profile.mode,
    format: profile.format,
    sizeLimit: profile.messageSizeLimit,
    emails: profile.transportEmail ? profile.emailAddresses : [],
    urls: profile.transportHttp ? profile.httpUrls : [],
  };
}

function transportsOf(target: Target): TransportMethod[] {
  const out: TransportMethod[] = [];
  if (target.emails.length > 0) out.push('email');
  if (target.urls.length > 0) out.push('http');
  return out;
}

function rejected(message: string): SendOutcome {
  return { kind: 'rejected', message };
}

const SERVICE_DISABLED = '% Call-home is disabled. Enable it with "service call-home" in global configuration mode.';
const NO_CONTACT = '% Contact e-mail address is not configured. Set it with "contact-email-addr" in call-home configuration mode.';

/** Creates the Call Home engine of one device. */
export function createCallHomeEngine(host: EngineHost, options: CallHomeEngineOptions = {}): CallHomeEngine {
  const scheduler = options.scheduler ?? sharedScheduler();
  const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, ...options.delivery };
  const stats = new StatsCounter();
  const limiter = new RateLimiter();
  const throttle = new SyslogThrottle(options.syslogThrottleWindowMs ?? SYSLOG_THROTTLE_WINDOW_MS);
  const abort = new AbortController();
  const queue: Job[] = [];
  let running = false;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  let periodicTasks: CancelTask[] = [];
  let messageCounter = 0;
  let groupCounter = 0;
  /** When each subscription (profile, alert group) last fired, for `show call-home events`. */
  const lastFired = new Map<string, Date>();
  const fired = (profileNames: readonly string[], group: AlertGroup): void => {
    for (const name of profileNames) lastFired.set(`${name.toLowerCase()}\0${group}`, host.now());
  };

  /** The identity with the running hostname (`hostname` may have changed since boot). */
  const identity = (): DeviceIdentity => {
    const running = host.hostname?.();
    return running && running !== host.identity.hostname ? { ...host.identity, hostname: running } : host.identity;
  };

  const settleIdle = (): void => {
    if (running || queue.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  /** Rate-limits and queues one message to each target; returns the names that were queued. */
  const enqueue = (content: MessageContent, commands: readonly string[], targets: readonly Target[]): string[] => {
    if (closed) return [];
    const now = host.now();
    const config = host.config();
    const accepted: Job['targets'][number][] = [];
    // One event, one GroupId: the messages it sends to several profiles share it; each has its own MessageId.
    const groupNo = groupCounter + 1;
    for (const target of targets) {
      const transports = transportsOf(target);
      if (transports.length === 0) continue;
      if (!limiter.tryTake(now.getTime(), config.rateLimit)) {
        for (const t of transports) stats.add('ratelimitDropped', content.kind, t);
        continue;
      }
      for (const t of transports) stats.add('inQueue', content.kind, t);
      messageCounter += 1;
      accepted.push({ ...target, messageNo: messageCounter, groupNo });
    }
    if (accepted.length === 0) return [];
    groupCounter = groupNo;
    queue.push({ content, commands, eventTime: formatCallHomeTime(now), hex: hexEpoch(now), targets: accepted });
    if (!running) void drain();
    return accepted.map((t) => t.name);
  };

  const collect = async (commands: readonly string[]): Promise<Attachment[]> => {
    const out: Attachment[] = [];
    for (const command of commands) {
      try {
        out.push({ name: command, data: await host.capture(command) });
      } catch (error) {
        out.push({ name: command, data: `${command}\n% Call Home could not collect this output: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    return out;
  };

  const deliver = async (job: Job, target: Job['targets'][number], attachments: Attachment[]): Promise<void> => {
    const config = host.config();
    const serial = host.identity.serial;
    const device = identity();
    const base = buildMessage({
      identity: device,
      config,
      content: job.content,
      messageId: `M${target.messageNo}:${serial}:${job.hex}`,
      groupId: `G${target.groupNo}:${serial}:${job.hex}`,
      eventTime: job.eventTime,
      to: '',
      profileName: target.name,
      attachments,
    });
    const message = target.mode === 'anonymous' ? anonymize(base) : applyDataPrivacy(base, config);
    const kind = job.content.kind;
    const settle = (t: TransportMethod, outcome: 'success' | 'failed'): void => stats.settle(kind, t, outcome, formatCallHomeTime(host.now()));

    if (target.urls.length > 0) {
      let allOk = true;
      for (const url of target.urls) {
        // HTTP carries XML only (§7.2).
        const fit = fitToLimit({ ...message, to: url }, 'xml', target.sizeLimit);
        if (!fit.ok) {
          host.log(sizeFailureLog(target.name, target.sizeLimit, fit.minimumSize));
          allOk = false;
          continue;
        }
        const result = await deliverHttp(url, fit.body, config, policy, abort.signal);
        if (!result.ok) {
          host.log(httpFailureLog(result.code));
          allOk = false;
        }
      }
      settle('http', allOk ? 'success' : 'failed');
    }
    if (target.emails.length > 0) {
      const first = target.emails[0] ?? '';
      const fit = fitToLimit({ ...message, to: `mailto:${first}` }, target.format, target.sizeLimit);
      if (!fit.ok) {
        host.log(sizeFailureLog(target.name, target.sizeLimit, fit.minimumSize));
        settle('email', 'failed');
        return;
      }
      const from = config.senderFrom ?? config.contactEmail ?? `callhome@${device.hostname.toLowerCase() || 'device'}.invalid`;
      const sr = job.content.serviceRequest ? ` - SR#${job.content.serviceRequest}` : '';
      const result = await deliverEmail(
        {
          from: target.mode === 'anonymous' ? 'anonymous@callhome.invalid' : from,
          ...(config.senderReplyTo && target.mode === 'full' ? { replyTo: config.senderReplyTo } : {}),
          to: target.emails,
          subject: `System Notification From ${message.hostname || 'anonymous device'} - ${kind} - ${job.eventTime}${sr}`,
          text: fit.body,
        },
        config,
        host.smtpPort,
        device.hostname,
        policy,
        abort.signal,
      );
      if (!result.ok) host.log(smtpFailureLog(result.reason));
      settle('email', result.ok ? 'success' : 'failed');
    }
  };

  const drain = async (): Promise<void> => {
    running = true;
    try {
      for (let job = queue.shift(); job !== undefined && !closed; job = queue.shift()) {
        const attachments = await collect(job.commands);
        for (const target of job.targets) {
          if (closed) break;
          await deliver(job, target, attachments);
        }
      }
    } finally {
      running = false;
      settleIdle();
    }
  };

  /** Checks the global preconditions of a manual send; null when it may go ahead. */
  const manualBlock = (config: CallHomeConfig, targets: readonly Profile[]): string | null => {
    if (!config.serviceEnabled) return SERVICE_DISABLED;
    if (targets.some((p) => !contactReady(config, p))) return NO_CONTACT;
    return null;
  };

  const alertContent = (event: LabEvent): { content: MessageContent; group: AlertGroup; syslogLine?: string } => {
    const id = host.identity;
    switch (event.kind) {
      case 'diagnostic': {
        const cards: Card[] = event.slot
          ? [{ model: id.model, serialNumber: '', partNumber: id.partNumber, location: event.slot, hardwareVersion: id.hardwareVersion, softwareVersion: id.softwareVersion }]
          : [];
        return { group: 'diagnostic', content: { kind: 'diagnostic', subType: '', severity: event.severity, eventName: event.eventName, description: event.description, cards } };
      }
      case 'environment':
        return { group: 'environment', content: { kind: 'environment', subType: '', severity: event.severity, eventName: event.eventName, description: event.description, cards: [] } };
      case 'syslog': {
        const level = Math.max(0, Math.min(7, Math.trunc(event.syslogLevel)));
        const line = `%${event.facility}-${level}-${event.mnemonic}: ${event.text}`;
        return {
          group: 'syslog',
          syslogLine: line,
          content: { kind: 'syslog', subType: '', severity: severityFromSyslog(level), eventName: event.mnemonic, description: `${formatSyslogStamp(host.now())} ${line}`, cards: [] },
        };
      }
      case 'crash':
        return { group: 'crash', content: { kind: 'crash', subType: '', severity: event.eventName === 'SYSTEM_CRASH' ? 7 : 5, eventName: event.eventName, description: event.description, cards: [] } };
      case 'configuration':
        // A configuration change carries what changed: sub-type delta (the periodic and requested sends are full).
        return { group: 'configuration', content: { kind: 'configuration', subType: 'delta', severity: 2, eventName: 'CONFIGURATION', description: event.description, cards: [] } };
      case 'inventory':
        return {
          group: 'inventory',
          content: { kind: 'inventory', subType: event.eventName === 'COLD_BOOT' ? 'full' : 'delta', severity: 2, eventName: event.eventName, description: event.description, cards: [] },
        };
      default:
        return assertNever(event, 'lab event');
    }
  };

  const groupContent = (group: AlertGroup, description: string, severity = 2): MessageContent => ({
    kind: group,
    subType: group === 'configuration' || group === 'inventory' ? 'full' : '',
    severity,
    eventName: group.toUpperCase(),
    description,
    cards: [],
  });

  const schedulePeriodic = (): void => {
    for (const cancel of periodicTasks) cancel();
    periodicTasks = [];
    if (closed) return;
    const config = host.config();
    if (!config.serviceEnabled) return;
    for (const profile of config.profiles) {
      if (!profile.active) continue;
      for (const [group, sub] of Object.entries(profile.subscriptions) as [AlertGroup, { periodic?: Periodic }][]) {
        if (sub.periodic) scheduleOne(profile.name, group, sub.periodic);
      }
    }
  };

  const scheduleOne = (profileName: string, group: AlertGroup, periodic: Periodic, notBefore = 0): void => {
    const now = host.now();
    // After a firing, count from the slot just served so that a timer firing a little early cannot repeat it.
    const target = nextOccurrence(periodic, new Date(Math.max(now.getTime(), notBefore)));
    const cancel = scheduler.after(target.getTime() - now.getTime(), () => {
      periodicTasks = periodicTasks.filter((c) => c !== cancel);
      if (closed) return;
      const config = host.config();
      const profile = findProfile(config, profileName);
      const current = profile?.subscriptions[group]?.periodic;
      // The schedule changed without configChanged(): drop this one; a reschedule covers the new one.
      if (!profile || !current || JSON.stringify(current) !== JSON.stringify(periodic)) return;
      if (config.serviceEnabled && config.alertGroupEnabled[group] && profile.active && modeAllows(profile, group) && contactReady(config, profile)) {
        fired(enqueue(groupContent(group, `Periodic ${group} message`), alertGroupCommands(group, config.snapshotCommands), [profileTarget(profile)]), group);
      }
      scheduleOne(profileName, group, periodic, target.getTime());
    });
    periodicTasks.push(cancel);
  };

  const sendToProfiles = (content: MessageContent, commands: readonly string[], profiles: readonly Profile[]): SendOutcome => ({
    kind: 'queued',
    profiles: enqueue(content, commands, profiles.filter(hasDestination).map(profileTarget)),
  });

  schedulePeriodic();

  return {
    raise(event) {
      const config = host.config();
      // Call Home's own failures must not become Call Home messages: a dead destination would feed itself.
      if (event.kind === 'syslog' && event.facility.toUpperCase() === 'CALL_HOME') return { kind: 'queued', profiles: [] };
      const { content, group, syslogLine } = alertContent(event);
      if (event.kind === 'syslog' && config.syslogThrottling && syslogLine && !throttle.admit(syslogLine, host.now().getTime())) {
        return { kind: 'queued', profiles: [] };
      }
      const profiles = routeAlert(config, { group, severity: content.severity, ...(syslogLine ? { syslogLine } : {}) });
      const outcome = sendToProfiles(content, alertGroupCommands(group, config.snapshotCommands), profiles);
      if (outcome.kind === 'queued') fired(outcome.profiles, group);
      return outcome;
    },

    test(profileName, text) {
      const config = host.config();
      const profile = findProfile(config, profileName);
      if (!profile) return rejected(`% Profile ${profileName} does not exist`);
      const block = manualBlock(config, [profile]);
      if (block) return rejected(block);
      if (!hasDestination(profile)) return rejected(`% Profile ${profile.name} has no destination address for its transport method`);
      const content: MessageContent = { kind: 'test', subType: 'test', severity: 2, eventName: 'test', description: text ?? DEFAULT_TEST_TEXT, cards: [] };
      return sendToProfiles(content, TEST_COMMANDS, [profile]);
    },

    sendAlertGroup(group, opts) {
      const config = host.config();
      const targets = manualAlertTargets(config, group, 2, opts.profile);
      if (!targets.ok) return rejected(targets.error);
      const block = manualBlock(config, targets.value);
      if (block) return rejected(block);
      const description = opts.module ? `Manual ${group} message for module ${opts.module}` : `Manual ${group} message`;
      return sendToProfiles(groupContent(group, description), alertGroupCommands(group, config.snapshotCommands), targets.value);
    },

    request(kind, opts) {
      const config = host.config();
      const target = namedOrTac(config, opts.profile);
      if (!target.ok) return rejected(target.error);
      if (!modeAllows(target.value, 'request')) return rejected(`% Profile ${target.value.name} is in anonymous mode; it carries only crash, inventory and test messages`);
      const block = manualBlock(config, [target.value]);
      if (block) return rejected(block);
      if (kind === 'output-analysis' && !opts.command) return rejected('% Incomplete command.');
      const commands = kind === 'output-analysis' ? [opts.command ?? ''] : kind === 'product-advisory' ? PRODUCT_ADVISORY_COMMANDS : REQUEST_COMMANDS;
      const content: MessageContent = {
        kind: 'request',
        subType: kind,
        severity: 2,
        eventName: kind,
        description: kind === 'output-analysis' ? `output-analysis: ${opts.command ?? ''}` : kind,
        cards: [],
        ...(opts.ccoid ? { ccoId: opts.ccoid } : {}),
      };
      return sendToProfiles(content, commands, [target.value]);
    },

    sendCli(commands, target) {
      const config = host.config();
      if (!config.serviceEnabled) return rejected(SERVICE_DISABLED);
      if ((config.contactEmail ?? '') === '') return rejected(NO_CONTACT);
      const sr = target.serviceRequest;
      const base = { name: '', mode: 'full' as const, sizeLimit: MAX_MESSAGE_SIZE };
      let destination: Target;
      if (target.email) {
        destination = { ...base, format: target.format ?? 'long-text', emails: [target.email], urls: [] };
      } else if (target.http) {
        if (!target.destinationEmail && !sr) return rejected('% A destination-email-address or a tac-service-request number is required with http.');
        const tac = findProfile(config, CISCO_TAC_PROFILE);
        if (!tac || tac.httpUrls.length === 0) return rejected(`% Profile ${CISCO_TAC_PROFILE} has no HTTP destination address`);
        destination = { ...base, name: tac.name, format: 'xml', emails: [], urls: tac.httpUrls };
      } else {
        if (!sr) return rejected('% A tac-service-request number is required when no e-mail or http destination is given.');
        destination = { ...base, format: 'long-text', emails: [TAC_ATTACH_EMAIL], urls: [] };
      }
      const content: MessageContent = {
        kind: 'send-cli',
        subType: '',
        severity: 2,
        eventName: 'send-cli',
        description: `CLI output: ${commands.join('; ')}`,
        cards: [],
        ...(sr ? { serviceRequest: sr } : {}),
        ...(target.destinationEmail ? { forwardAddress: target.destinationEmail } : {}),
      };
      return { kind: 'queued', profiles: enqueue(content, commands, [destination]) };
    },

    reportingEnabled(mode) {
      const config = host.config();
      const targets = manualAlertTargets(config, 'inventory', 2, CISCO_TAC_PROFILE);
      if (!targets.ok) return rejected(targets.error);
      const block = manualBlock(config, targets.value);
      if (block) return rejected(block);
      const description = mode === 'anonymous' ? 'Anonymous reporting inventory' : 'Smart Call Home registration inventory';
      return sendToProfiles(groupContent('inventory', description), alertGroupCommands('inventory', config.snapshotCommands), targets.value);
    },

    statistics() {
      return stats.snapshot();
    },

    lastTriggered(profile, group) {
      const at = lastFired.get(`${profile.toLowerCase()}\0${group}`);
      return at ? formatCallHomeTime(at) : undefined;
    },

    async probeMailServers(): Promise<readonly MailServerStatus[]> {
      const config = host.config();
      const servers = byPriority(config.mailServers);
      const source = smtpSource(config);
      const opts = { port: host.smtpPort, clientName: identity().hostname, timeoutMs: options.probeTimeoutMs ?? 3_000, localAddress: source.ok ? source.localAddress : undefined };
      // A missing source interface or VRF makes every server unreachable, as on the device.
      const results = source.ok ? await Promise.all(servers.map((s) => probeMailServer(s, opts))) : servers.map(() => false);
      return servers.map((s, i) => ({ host: s.host, priority: s.priority, available: results[i] ?? false }));
    },

    configChanged() {
      schedulePeriodic();
    },

    idle() {
      if (!running && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    async close() {
      closed = true;
      abort.abort();
      for (const cancel of periodicTasks) cancel();
      periodicTasks = [];
      queue.length = 0;
      if (running) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      settleIdle();
    },
  };
}
