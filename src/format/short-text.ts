/**
 * Short-text rendering for pagers and printed reports (ios-call-home.md §6.1; C72): device name,
 * time stamp, plain-English description and urgency on one line, as the spec proposes:
 * `<hostname> <YYYY-MM-DD HH:MM:SS GMT+hh:mm> <description> <severity-keyword>`.
 */
import type { CallHomeMessage } from '../domain/message.js';
import { severityKeyword } from '../domain/severity.js';

/** Renders the message as one short-text line (with a trailing newline). */
export function renderShortText(message: CallHomeMessage): string {
  const description = message.description.replace(/\s*\n\s*/g, ' ');
  return `${message.hostname} ${message.eventTime} ${description} ${severityKeyword(message.severity)}\n`;
}
