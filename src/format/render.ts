/** Renders a message in a profile's preferred format. */
import type { MessageFormat } from '../domain/callhome.js';
import type { CallHomeMessage } from '../domain/message.js';
import { assertNever } from '../util/assert-never.js';
import { renderLongText } from './long-text.js';
import { renderShortText } from './short-text.js';
import { renderXml } from './xml.js';

export { renderLongText } from './long-text.js';
export { renderShortText } from './short-text.js';
export { renderXml } from './xml.js';

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
