/**
 * The XML (SOAP 1.2 / AML) rendering of a Call Home message, in exactly the structure of the
 * guide's sample (ios-call-home.md §6.5, §6.6; checklist C74–C78).
 */
import type { CallHomeMessage, Card } from '../domain/message.js';
import { APPLIANCE_URI, blockTypeUri, CALL_HOME_NAMESPACES } from './namespaces.js';
import { cdata, escapeAttribute, escapeText } from './xml-text.js';

function el(name: string, value: string): string {
  return `<${name}>${escapeText(value)}</${name}>`;
}

function ad(name: string, value: string): string {
  return `<rme:AD name="${escapeAttribute(name)}" value="${escapeAttribute(value)}" />`;
}

function renderCard(card: Card): string[] {
  return [
    '<rme:Card>',
    el('rme:Model', card.model),
    el('rme:SerialNumber', card.serialNumber),
    el('rme:PartNumber', card.partNumber),
    el('rme:LocationWithinContainer', card.location),
    el('rme:HardwareVersion', card.hardwareVersion),
    '<rme:SoftwareIdentity>',
    el('rme:VersionString', card.softwareVersion),
    '</rme:SoftwareIdentity>',
    '</rme:Card>',
  ];
}

/** Renders the message as the SOAP/AML XML document a device posts or mails. */
export function renderXml(message: CallHomeMessage): string {
  const m = message;
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<soap-env:Envelope xmlns:soap-env="${CALL_HOME_NAMESPACES.soapEnv}">`,
    '<soap-env:Header>',
    `<aml-session:Session xmlns:aml-session="${CALL_HOME_NAMESPACES.amlSession}" soap-env:mustUnderstand="true" soap-env:role="http://www.w3.org/2003/05/soap-envelope/role/next">`,
    el('aml-session:To', m.to),
    '<aml-session:Path>',
    el('aml-session:Via', APPLIANCE_URI),
    '</aml-session:Path>',
    el('aml-session:From', APPLIANCE_URI),
    el('aml-session:MessageId', m.messageId),
    '</aml-session:Session>',
    '</soap-env:Header>',
    '<soap-env:Body>',
    `<aml-block:Block xmlns:aml-block="${CALL_HOME_NAMESPACES.amlBlock}">`,
    '<aml-block:Header>',
    el('aml-block:Type', blockTypeUri(m.kind)),
    el('aml-block:CreationDate', m.eventTime),
    '<aml-block:Builder>',
    el('aml-block:Name', m.builderName),
    el('aml-block:Version', m.builderVersion),
    '</aml-block:Builder>',
    '<aml-block:BlockGroup>',
    el('aml-block:GroupId', m.groupId),
    el('aml-block:Number', '0'),
    el('aml-block:IsLast', 'true'),
    el('aml-block:IsPrimary', 'true'),
    el('aml-block:WaitForPrimary', 'false'),
    '</aml-block:BlockGroup>',
    el('aml-block:Severity', String(m.severity)),
    '</aml-block:Header>',
    '<aml-block:Content>',
    `<ch:CallHome xmlns:ch="${CALL_HOME_NAMESPACES.ch}" version="1.0">`,
    el('ch:EventTime', m.eventTime),
    el('ch:MessageDescription', m.description),
    '<ch:Event>',
    el('ch:Type', m.kind),
    el('ch:SubType', m.subType),
    el('ch:Brand', m.brand),
    el('ch:Series', m.series),
    '</ch:Event>',
    '<ch:CustomerData>',
    '<ch:UserData>',
    el('ch:Email', m.contactEmail),
    '</ch:UserData>',
    '<ch:ContractData>',
    el('ch:CustomerId', m.customerId),
    el('ch:SiteId', m.siteId),
    el('ch:ContractId', m.contractId),
    el('ch:DeviceId', m.deviceId),
    '</ch:ContractData>',
    '<ch:SystemInfo>',
    el('ch:Name', m.hostname),
    el('ch:Contact', m.contactName),
    el('ch:ContactEmail', m.contactEmail),
    el('ch:ContactPhoneNumber', m.phoneNumber),
    el('ch:StreetAddress', m.streetAddress),
    '</ch:SystemInfo>',
    el('ch:CCOID', m.ccoId),
    el('ch:IdToken', m.idToken),
    '</ch:CustomerData>',
    '<ch:Device>',
    `<rme:Chassis xmlns:rme="${CALL_HOME_NAMESPACES.rme}">`,
    el('rme:Model', m.model),
    el('rme:HardwareVersion', m.hardwareVersion),
    el('rme:SerialNumber', m.serialNumber),
    '<rme:AdditionalInformation>',
    ad('PartNumber', m.partNumber),
    ad('SoftwareVersion', m.softwareVersion),
    ad('SystemObjectId', m.systemObjectId),
    ad('SystemDescription', m.systemDescription),
    ad('ServiceNumber', m.serviceRequest ?? ''),
    ad('ForwardAddress', m.forwardAddress ?? ''),
    '</rme:AdditionalInformation>',
    ...m.cards.flatMap(renderCard),
    '</rme:Chassis>',
    '</ch:Device>',
    '</ch:CallHome>',
    '</aml-block:Content>',
  ];
  if (m.attachments.length > 0) {
    lines.push('<aml-block:Attachments>');
    for (const attachment of m.attachments) {
      lines.push(
        '<aml-block:Attachment type="inline">',
        el('aml-block:Name', attachment.name),
        `<aml-block:Data encoding="plain">${cdata(attachment.data)}</aml-block:Data>`,
        '</aml-block:Attachment>',
      );
    }
    lines.push('</aml-block:Attachments>');
  }
  lines.push('</aml-block:Block>', '</soap-env:Body>', '</soap-env:Envelope>');
  return lines.join('\n') + '\n';
}
