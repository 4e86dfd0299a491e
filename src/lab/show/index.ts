/**
 * Show-command renderers of the lab device (owned by the show engineer). The CLI engine
 * (src/lab/cli/) only routes to these functions; every one is pure except the mail-server probe.
 *
 * TODO(show engineer): replace the placeholder bodies with the real layouts of spec §3.5 and
 * plausible `show version` / `show inventory` / `show clock` / `show logging`. Keep the names and
 * the DeviceView shape (extend it additively if you need more).
 */
import type { CallHomeConfig } from '../../domain/callhome.js';
import type { CallHomeStatistics } from '../../domain/statistics.js';
import type { DeviceIdentity, MailServerStatus } from '../types.js';

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
  /** Probes every configured mail server over SMTP (for `show call-home mail-server status`). */
  probeMailServers(): Promise<readonly MailServerStatus[]>;
};

/** `show call-home`. */
export function showCallHome(view: DeviceView): string {
  return `call-home ${view.config.serviceEnabled ? 'enabled' : 'disabled'} (placeholder)\n`;
}
/** `show call-home detail`. */
export function showCallHomeDetail(view: DeviceView): string {
  return showCallHome(view);
}
/** `show call-home alert-group`. */
export function showCallHomeAlertGroup(view: DeviceView): string {
  return showCallHome(view);
}
/** `show call-home mail-server status` (probes each server). */
export async function showCallHomeMailServerStatus(view: DeviceView): Promise<string> {
  const servers = await view.probeMailServers();
  return servers.map((s) => `${s.host} ${s.available ? '[Available]' : '[Not Available]'}\n`).join('');
}
/** `show call-home profile all` or `show call-home profile NAME`. */
export function showCallHomeProfile(view: DeviceView, nameOrAll: string): string {
  return `profile ${nameOrAll} (placeholder, ${view.config.profiles.length} profiles)\n`;
}
/** `show call-home statistics`. */
export function showCallHomeStatistics(view: DeviceView): string {
  return `last sent ${view.statistics.lastSent ?? 'n/a'} (placeholder)\n`;
}
/** `show version`. */
export function showVersion(view: DeviceView): string {
  return `${view.hostname} uptime is ${view.uptimeSeconds} seconds (placeholder)\nProcessor board ID ${view.identity.serial}\n`;
}
/** `show inventory`. */
export function showInventory(view: DeviceView): string {
  return `PID: ${view.identity.model}, SN: ${view.identity.serial} (placeholder)\n`;
}
/** `show clock`. */
export function showClock(view: DeviceView): string {
  return `${view.now.toISOString()} (placeholder)\n`;
}
/** `show logging`. */
export function showLogging(view: DeviceView): string {
  return view.logLines.map((l) => `${l}\n`).join('');
}
