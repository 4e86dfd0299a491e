/**
 * Configuration mapping rules (spec §3.4, S37): a full configuration message → the running and startup
 * configuration, the image and its feature set, and the technologies (with sub-technologies) the
 * running configuration uses. The technology list is derived from IOS configuration commands.
 */
import type { CallHomeMessage } from '../../domain/message.js';
import { ConfigurationRecordSchema, type ConfigurationRecord, type Technology } from '../../domain/device-records.js';
import { err, ok, type Result } from '../../util/result.js';
import { readCommand } from './command-output.js';
import { imageFrom } from './inventory.js';

/** Configuration commands → the technology and sub-technology they mean. First matching line wins per entry. */
const TECHNOLOGIES: readonly (readonly [RegExp, string, string])[] = [
  [/^router ospf\b/m, 'Routing', 'OSPF'],
  [/^router ospfv3\b|^ipv6 router ospf\b/m, 'Routing', 'OSPFv3'],
  [/^router eigrp\b/m, 'Routing', 'EIGRP'],
  [/^router bgp\b/m, 'Routing', 'BGP'],
  [/^router rip\b/m, 'Routing', 'RIP'],
  [/^router isis\b/m, 'Routing', 'IS-IS'],
  [/^ip route\s/m, 'Routing', 'Static routes'],
  [/^ip multicast-routing\b|^\s*ip pim\b/m, 'IP Multicast', 'PIM'],
  [/^ipv6 unicast-routing\b/m, 'IPv6', 'IPv6 routing'],
  [/^vrf definition\b|^ip vrf\b/m, 'VRF', 'VRF-lite'],
  [/^mpls\b|^\s*mpls ip\b/m, 'MPLS', 'MPLS forwarding'],
  [/^ip nat\b|^\s*ip nat (inside|outside)\b/m, 'IP Services', 'NAT'],
  [/^ip dhcp pool\b/m, 'IP Services', 'DHCP server'],
  [/^\s*standby \d+ ip\b|^\s*standby ip\b/m, 'IP Services', 'HSRP'],
  [/^\s*vrrp \d+\b/m, 'IP Services', 'VRRP'],
  [/^ntp server\b/m, 'IP Services', 'NTP'],
  [/^ip sla \d+/m, 'IP Services', 'IP SLA'],
  [/^aaa new-model\b/m, 'Security', 'AAA'],
  [/^(radius server|radius-server host|tacacs server|tacacs-server host)\b/m, 'Security', 'RADIUS/TACACS+'],
  [/^ip ssh\b|^\s*transport input .*ssh/m, 'Security', 'SSH'],
  [/^crypto pki trustpoint\b/m, 'Security', 'PKI'],
  [/^crypto (isakmp|ikev2|ipsec)\b/m, 'Security', 'IPsec VPN'],
  [/^(ip access-list|access-list)\b/m, 'Security', 'Access lists'],
  [/^zone security\b|^zone-pair security\b/m, 'Security', 'Zone-based firewall'],
  [/^vlan \d+/m, 'LAN Switching', 'VLANs'],
  [/^spanning-tree\b/m, 'LAN Switching', 'Spanning Tree'],
  [/^interface Port-channel/im, 'LAN Switching', 'EtherChannel'],
  [/^class-map\b|^policy-map\b/m, 'QoS', 'MQC'],
  [/^snmp-server\b/m, 'Network Management', 'SNMP'],
  [/^logging host\b|^logging \d+\.\d+\.\d+\.\d+/m, 'Network Management', 'Syslog'],
  [/^(flow record|flow exporter|ip flow-export)\b/m, 'Network Management', 'NetFlow'],
  [/^call-home\b|^service call-home\b/m, 'Network Management', 'Call Home'],
  [/^ip http secure-server\b/m, 'Network Management', 'HTTPS server'],
  [/^(wireless|wlan)\b/m, 'Wireless', 'WLAN'],
  [/^(dial-peer|voice service|telephony-service)\b/m, 'Voice', 'Dial peers'],
  [/^license (udi|boot)\b/m, 'Licensing', 'Smart / boot licensing'],
];

/** The technologies a configuration uses, sorted by technology then sub-technology. */
export function technologiesOf(config: string): Technology[] {
  const found = TECHNOLOGIES.filter(([re]) => re.test(config)).map(([, technology, subTechnology]) => ({ technology, subTechnology }));
  return found.sort((a, b) => a.technology.localeCompare(b.technology) || a.subTechnology.localeCompare(b.subTechnology));
}

/** The configuration text of `show running-config` / `show startup-config`, without IOS's header lines. */
export function configText(output: string): string {
  return output
    .replace(/^Building configuration\.\.\.\s*\n/, '')
    .replace(/^\s*\n/, '')
    .replace(/^Current configuration\s*:\s*\d+ bytes\s*\n/, '')
    .replace(/^Using \d+ out of \d+ bytes\s*\n/, '');
}

/** True when text reads as an IOS configuration (not an error or an unrelated output). */
function looksLikeConfig(text: string): boolean {
  return /^(hostname|version|interface|end)\b/m.test(text);
}

/** The image's feature set (`X86_64_LINUX_IOSD-UNIVERSALK9-M` → UNIVERSALK9; else from the file name), plus the licence level. */
export function featureSetOf(software: string, file: string, running: string | null): string {
  const fromName = /^[A-Z0-9_]+-([A-Z0-9_]+)-[A-Z]+$/.exec(software)?.[1] ?? '';
  const fromFile = /-(universalk9(?:_npe)?|ipbasek9|ipservicesk9|advipservicesk9|adventerprisek9|entservicesk9|lanbasek9|ipbase|ipservices|universal)[.-]/i.exec(file)?.[1]?.toUpperCase() ?? '';
  const set = fromName || fromFile || software;
  const licence = running === null ? undefined : (/^license boot level (\S+)/m.exec(running)?.[1] ?? /^license boot module \S+ technology-package (\S+)/m.exec(running)?.[1]);
  return licence ? `${set} (licence ${licence})` : set;
}

/**
 * Maps a full configuration message. Fails — with reasons for the customer and support (S34) — when
 * the running configuration is missing or unreadable, or a configuration command answered with an error.
 */
export function mapConfiguration(m: CallHomeMessage, mappedAt: string): Result<ConfigurationRecord, string[]> {
  const problems: string[] = [];
  const sources: string[] = [];
  const runningOut = readCommand(m.attachments, /^show running-config(?: all)?$/);
  let running: string | null = null;
  if (!runningOut) problems.push('no show running-config in the message');
  else if (!runningOut.ok) problems.push(`${runningOut.command}: ${runningOut.reason}`);
  else if (!looksLikeConfig(configText(runningOut.text))) problems.push(`${runningOut.command}: the output is not an IOS configuration`);
  else {
    running = configText(runningOut.text);
    sources.push(runningOut.command);
  }
  const startupOut = readCommand(m.attachments, /^show startup-config$/);
  let startup: string | null = null;
  if (startupOut?.ok && !/startup-config is not present/.test(startupOut.text)) {
    if (looksLikeConfig(configText(startupOut.text))) {
      startup = configText(startupOut.text);
      sources.push(startupOut.command);
    } else problems.push(`${startupOut.command}: the output is not an IOS configuration`);
  } else if (startupOut && !startupOut.ok) problems.push(`${startupOut.command}: ${startupOut.reason}`);
  const versionOut = readCommand(m.attachments, /^show version$/);
  if (versionOut?.ok) sources.push(versionOut.command);
  else if (versionOut) problems.push(`${versionOut.command}: ${versionOut.reason}`);
  const image = imageFrom(m, versionOut?.ok ? versionOut.text : null);
  if (problems.length > 0) return err(problems);
  return ok(
    ConfigurationRecordSchema.parse({
      messageId: m.messageId,
      eventTime: m.eventTime,
      mappedAt,
      running,
      startup,
      image,
      featureSet: featureSetOf(image.software, image.file, running),
      technologies: technologiesOf(running ?? ''),
      sources,
    }),
  );
}
