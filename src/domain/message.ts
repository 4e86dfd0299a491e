/**
 * A Call Home message as a device builds it and the back end reads it (ios-call-home.md §6).
 * The lab renders it to XML / long text / short text; the back end parses those back into it.
 */
import type { MessageKind } from './callhome.js';

/** One collected command: its name and the raw capture (command echo, output, prompt). */
export type Attachment = { readonly name: string; readonly data: string };

/** A field-replaceable unit inserted for event and inventory messages (§6.3, §6.4). */
export type Card = {
  readonly model: string;
  readonly serialNumber: string;
  readonly partNumber: string;
  readonly location: string;
  readonly hardwareVersion: string;
  readonly softwareVersion: string;
};

/** Everything a Call Home message carries. Blank strings stand for fields anonymous mode removes. */
export type CallHomeMessage = {
  /** `M<n>:<serial>:<hex epoch>` */
  readonly messageId: string;
  /** `G<n>:<serial>:<hex epoch>` */
  readonly groupId: string;
  /** Alert group or EXEC kind; `ch:Event/ch:Type`. */
  readonly kind: MessageKind;
  /** `full`, `delta`, `test` or empty. */
  readonly subType: string;
  /** Call Home severity 0–9. */
  readonly severity: number;
  /** Event name such as SYSTEM_CRASH, TRACEBACK, or a syslog mnemonic; short/long text "message name". */
  readonly eventName: string;
  /** `YYYY-MM-DD HH:MM:SS GMT+HH:MM` */
  readonly eventTime: string;
  readonly description: string;
  /** Destination (profile URL or mailto:) — `aml-session:To`. */
  readonly to: string;
  readonly brand: string;
  readonly series: string;
  readonly hostname: string;
  readonly contactName: string;
  readonly contactEmail: string;
  readonly phoneNumber: string;
  readonly streetAddress: string;
  readonly customerId: string;
  readonly siteId: string;
  readonly contractId: string;
  /** UDI `model@C@serial`. */
  readonly deviceId: string;
  readonly ccoId: string;
  readonly idToken: string;
  readonly model: string;
  readonly hardwareVersion: string;
  readonly serialNumber: string;
  readonly partNumber: string;
  readonly softwareVersion: string;
  readonly systemObjectId: string;
  readonly systemDescription: string;
  readonly builderName: string;
  readonly builderVersion: string;
  /** Profile that sent it (long text prints it; XML does not carry it). */
  readonly profileName: string;
  /** Service-request number for send-CLI to an SR. */
  readonly serviceRequest?: string;
  /** E-mail address the back end should forward to (send-CLI `http destination-email-address`); XML AD `ForwardAddress`. */
  readonly forwardAddress?: string;
  /** The mail's Reply-To, for messages that came by e-mail (S57: notifications go there, else to the contact). */
  readonly replyTo?: string;
  readonly cards: readonly Card[];
  readonly attachments: readonly Attachment[];
};
