/** Builds the CallHomeMessage of one event for one profile (ios-call-home.md §6.2–§6.4; C76). */
import type { CallHomeConfig, MessageKind } from '../../domain/callhome.js';
import type { Attachment, CallHomeMessage, Card } from '../../domain/message.js';
import { renderShowVersion } from '../show/system.js';
import type { DeviceIdentity } from '../types.js';

/** What an event contributes to a message, independent of the profile it goes to. */
export type MessageContent = {
  readonly kind: MessageKind;
  readonly subType: string;
  readonly severity: number;
  readonly eventName: string;
  readonly description: string;
  readonly cards: readonly Card[];
  readonly serviceRequest?: string;
  readonly forwardAddress?: string;
  readonly ccoId?: string;
};

/** AML builder version the sample carries. */
export const BUILDER_VERSION = '2.0';

/** The `show version` banner as the SystemDescription AD carries it (single line). */
export function systemDescription(identity: DeviceIdentity): string {
  // The second line of `show version` (its first on classic IOS): the platform's own software name.
  const line = renderShowVersion(identity, identity.hostname, 0, new Date(0))
    .split('\n')
    .find((l) => l.startsWith('Cisco IOS Software'));
  return `${line ?? `Cisco IOS Software, Version ${identity.softwareVersion}`} Technical Support: http://www.cisco.com/techsupport Copyright (c) 1986-2026 by Cisco Systems, Inc. Compiled Thu 05-Mar-26 10:05 by mcpre`;
}

/** UDI device ID `model@C@serial`. */
export function deviceId(identity: DeviceIdentity): string {
  return `${identity.model}@C@${identity.serial}`;
}

export type BuildArgs = {
  readonly identity: DeviceIdentity;
  readonly config: CallHomeConfig;
  readonly content: MessageContent;
  readonly messageId: string;
  readonly groupId: string;
  readonly eventTime: string;
  readonly to: string;
  readonly profileName: string;
  readonly attachments: readonly Attachment[];
};

/** Assembles a full-mode message; anonymous blanking and privacy are applied afterwards. */
export function buildMessage(args: BuildArgs): CallHomeMessage {
  const { identity, config, content } = args;
  return {
    messageId: args.messageId,
    groupId: args.groupId,
    kind: content.kind,
    subType: content.subType,
    severity: content.severity,
    eventName: content.eventName,
    eventTime: args.eventTime,
    description: content.description,
    to: args.to,
    brand: 'Cisco Systems',
    series: identity.series,
    hostname: identity.hostname,
    contactName: '',
    contactEmail: config.contactEmail ?? '',
    phoneNumber: config.phoneNumber ?? '',
    streetAddress: config.streetAddress ?? '',
    customerId: config.customerId ?? '',
    siteId: config.siteId ?? '',
    contractId: config.contractId ?? '',
    deviceId: deviceId(identity),
    ccoId: content.ccoId ?? '',
    idToken: '',
    model: identity.model,
    hardwareVersion: identity.hardwareVersion,
    serialNumber: identity.serial,
    partNumber: identity.partNumber,
    softwareVersion: identity.softwareVersion,
    systemObjectId: identity.systemObjectId,
    systemDescription: systemDescription(identity),
    builderName: identity.series.split(' ')[0] || identity.model,
    builderVersion: BUILDER_VERSION,
    profileName: args.profileName,
    ...(content.serviceRequest ? { serviceRequest: content.serviceRequest } : {}),
    ...(content.forwardAddress ? { forwardAddress: content.forwardAddress } : {}),
    cards: content.cards,
    attachments: args.attachments,
  };
}
