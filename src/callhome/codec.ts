/**
 * The Call Home codec: one owner of the message formats a device sends (XML, long text, short text),
 * rendered by the lab and read by the back end. Render and parse of each format live side by side in
 * this folder; this module picks one by format.
 */
import type { MessageFormat } from '../domain/callhome.js';
import type { CallHomeMessage } from '../domain/message.js';
import { assertNever } from '../util/assert-never.js';
import { looksLikeLongText } from './text-parse.js';
import { renderLongText, renderShortText } from './text-render.js';
import { looksLikeXml } from './xml-parse.js';
import { renderXml } from './xml-render.js';

export { CALL_HOME_NAMESPACES, APPLIANCE_URI, blockTypeUri } from './namespaces.js';
export type { ParseRefusal, ParseRefusalKind } from './refusal.js';
export { looksLikeLongText, parseLongText, parseShortText } from './text-parse.js';
export { renderLongText, renderShortText, type ShortTextMessage } from './text-render.js';
export { looksLikeXml, parseXml } from './xml-parse.js';
export { renderXml } from './xml-render.js';

/** Renders `message` as `format` (xml, long-text or short-text). */
export function renderMessage(message: CallHomeMessage, format: MessageFormat): string {
  switch (format) {
    case 'xml':
      return renderXml(message);
    case 'long-text':
      return renderLongText(message);
    case 'short-text':
      return renderShortText(message);
    default:
      return assertNever(format, 'message format');
  }
}

/** The format a text body is in: XML, else long text when it has the long-text layout, else short text. */
export function sniffFormat(body: string): MessageFormat {
  if (looksLikeXml(body)) return 'xml';
  return looksLikeLongText(body) ? 'long-text' : 'short-text';
}
