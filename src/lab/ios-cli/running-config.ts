/**
 * `show running-config` / `show startup-config` text: a plausible IOS XE configuration around the
 * Call Home section, which is rendered as spec §2.7 shows. Default values are left out unless
 * `all` is set; the output can be replayed line by line into a fresh device to rebuild the config.
 */
import { renderCallHomeSection, renderServiceLine, type RenderOptions } from '../../ios/config/render.js';
import { trainOf } from '../identity.js';
import type { DeviceIdentity } from '../types.js';
import type { RunningConfig } from './types.js';

/** The whole configuration text, from the first `!` to `end`. */
export function renderConfig(running: RunningConfig, identity: DeviceIdentity, options: RenderOptions): string {
  const c = running.callHome;
  const train = trainOf(identity);
  const opts: RenderOptions = { ...options, train };
  const [major = '17', minor = '3'] = identity.softwareVersion.split(/[.(]/);
  const lines: string[] = [
    '!',
    `version ${major}.${minor}`,
    'service timestamps debug datetime msec',
    'service timestamps log datetime msec',
  ];
  const service = renderServiceLine(c, opts);
  if (service) lines.push(service);
  if (train === 'xe') lines.push('platform qfp utilization monitor load 80', 'platform console virtual');
  lines.push('!', `hostname ${running.hostname}`, '!');
  lines.push('boot-start-marker', 'boot-end-marker', '!', '!', 'no aaa new-model', '!', 'login on-success log', '!');
  for (const t of running.trustpoints) {
    lines.push(`crypto pki trustpoint ${t.name}`);
    if (t.enrollmentTerminal) lines.push(' enrollment terminal');
    lines.push(' revocation-check none', '!');
  }
  lines.push(`license udi pid ${identity.model} sn ${identity.serial}`, '!', 'redundancy', '!', '!');
  if (train === 'xe') lines.push('interface GigabitEthernet1', ' ip address dhcp', ' negotiation auto', ' no mop enabled', ' no mop sysid', '!');
  else lines.push('interface GigabitEthernet0/0', ' ip address dhcp', '!');
  lines.push('ip forward-protocol nd', 'no ip http server', 'ip http secure-server');
  if (running.httpClientSourceInterface) lines.push(`ip http client source-interface ${running.httpClientSourceInterface}`);
  lines.push('!', 'ip ssh version 2', '!');
  lines.push(...renderCallHomeSection(c, identity.serial, opts), '!');
  lines.push('line con 0', ' stopbits 1', 'line vty 0 4', ' login local', ' transport input ssh', '!', 'end');
  return lines.join('\n') + '\n';
}

/** `show running-config [all]`. */
export function showRunningConfig(running: RunningConfig, identity: DeviceIdentity, all: boolean): string {
  const body = renderConfig(running, identity, { all });
  return `Building configuration...\n\nCurrent configuration : ${Buffer.byteLength(body)} bytes\n${body}`;
}

/** `show startup-config`; IOS says so when NVRAM holds none. */
export function showStartupConfig(startup: RunningConfig | null, identity: DeviceIdentity): string {
  if (!startup) return 'startup-config is not present\n';
  const body = renderConfig(startup, identity, { all: false });
  return `Using ${Buffer.byteLength(body)} out of 33554432 bytes\n${body}`;
}
