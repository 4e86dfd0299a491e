/**
 * Show-command renderers of the lab device. The CLI engine (src/lab/ios-cli/) routes to these
 * functions; every one is pure except the mail-server probe. Layouts follow spec §3.5.
 */
import type { AlertGroup, CallHomeConfig } from '../../domain/callhome.js';
import type { CallHomeStatistics } from '../../domain/statistics.js';
import type { DeviceIdentity, MailServerStatus } from '../types.js';
import { trainOf } from '../identity.js';
import { bodyIndent } from '../../ios/layout/call-home.js';
import {
  renderShowCallHome,
  renderShowCallHomeAlertGroup,
  renderShowCallHomeDetail,
  renderMailServerStatus,
  MAIL_SERVER_WAIT_LINE,
} from './call-home.js';
import { lines } from './format.js';
import { indentProfile, listedProfiles, profileLines } from './profile.js';
import { renderShowCallHomeStatistics } from './statistics.js';
import { renderShowClock, renderShowInventory, renderShowLogging, renderShowPrivilege, renderShowVersion } from './system.js';

export { clockText, logTimestamp, uptimeText } from './system.js';
export { MAIL_SERVER_WAIT_LINE } from './call-home.js';

/** Everything a show command may read from a device, as one snapshot. */
export type DeviceView = {
  readonly identity: DeviceIdentity;
  /** Current hostname (may differ from identity.hostname after `hostname NAME`). */
  readonly hostname: string;
  readonly config: CallHomeConfig;
  readonly statistics: CallHomeStatistics;
  /** Device clock at the time of the command. */
  readonly now: Date;
  readonly uptimeSeconds: number;
  /** Logging buffer, oldest first. */
  readonly logLines: readonly string[];
  /** When a profile last sent a message of an alert group (`show call-home events`), device clock text. */
  lastTriggered?(profile: string, group: AlertGroup): string | undefined;
  /** Probes every configured mail server over SMTP (for `show call-home mail-server status`). */
  probeMailServers(): Promise<readonly MailServerStatus[]>;
};

/** `show call-home`. */
export function showCallHome(view: DeviceView): string {
  return renderShowCallHome(view.config, trainOf(view.identity));
}

/** `show call-home detail`. */
export function showCallHomeDetail(view: DeviceView): string {
  return renderShowCallHomeDetail(view.config, trainOf(view.identity));
}

/** `show call-home alert-group`. */
export function showCallHomeAlertGroup(view: DeviceView): string {
  return renderShowCallHomeAlertGroup(view.config, trainOf(view.identity));
}

/** `show call-home mail-server status`: the wait line, then one probed line per server. */
export async function showCallHomeMailServerStatus(view: DeviceView, progress: (text: string) => void): Promise<string> {
  progress(`${MAIL_SERVER_WAIT_LINE}\n`);
  const statuses = await view.probeMailServers();
  const secure = new Map(view.config.mailServers.map((m) => [m.host.toLowerCase(), m.secure]));
  const rows = statuses.map((s) => {
    const tls = secure.get(s.host.toLowerCase());
    return tls ? { ...s, secure: tls } : s;
  });
  return renderMailServerStatus(rows, trainOf(view.identity));
}

/**
 * `show call-home profile all` (blocks flush left) or `show call-home profile NAME` (name flush
 * left, body indented), as sampled. An unknown name prints the IOS error line.
 */
export function showCallHomeProfile(view: DeviceView, nameOrAll: string): string {
  const train = trainOf(view.identity);
  if (nameOrAll.toLowerCase() === 'all') {
    const profiles = listedProfiles(view.config.profiles);
    // Classic IOS prints the blocks flush left; IOS XE indents each body and separates the blocks.
    if (train === 'classic') return lines(profiles.flatMap((p) => profileLines(p)));
    return lines(profiles.flatMap((p, i) => [...(i === 0 ? [] : ['']), ...indentProfile(profileLines(p, train), '', bodyIndent(train))]));
  }
  const profile = view.config.profiles.find((p) => p.name.toLowerCase() === nameOrAll.toLowerCase());
  if (!profile) return `% Profile ${nameOrAll} does not exist\n`;
  return lines(indentProfile(profileLines(profile, train), '', train === 'xe' ? bodyIndent(train) : '  '));
}

/** `show call-home statistics`. */
export function showCallHomeStatistics(view: DeviceView): string {
  return renderShowCallHomeStatistics(view.statistics, trainOf(view.identity));
}

/** `show version`. */
export function showVersion(view: DeviceView): string {
  const boot = new Date(view.now.getTime() - view.uptimeSeconds * 1000);
  return renderShowVersion(view.identity, view.hostname, view.uptimeSeconds, boot);
}

/** `show inventory`. */
export function showInventory(view: DeviceView): string {
  return renderShowInventory(view.identity);
}

/** `show clock`. */
export function showClock(view: DeviceView): string {
  return renderShowClock(view.now);
}

/** `show logging`. */
export function showLogging(view: DeviceView): string {
  return renderShowLogging(view.logLines);
}

/** `show privilege`. */
export function showPrivilege(level: number): string {
  return renderShowPrivilege(level);
}
