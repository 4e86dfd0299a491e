/** The parser behind each folder of test/fixtures/ios, shared by the golden and fuzz tests. */
import { join } from 'node:path';
import {
  parseRunningConfigCallHome,
  parseShowCallHome,
  parseShowCallHomeAlertGroup,
  parseShowCallHomeDetail,
  parseShowCallHomeMailServerStatus,
  parseShowCallHomeProfile,
  parseShowCallHomeStatistics,
  parseShowCallHomeDiagnosticSignature,
  parseShowCallHomeDiagnosticSignatureView,
  parseShowCallHomeEvents,
  parseShowCallHomeSmartLicensing,
  parseShowCallHomeSmartLicensingStatistics,
  parseShowCallHomeVersion,
  parseShowVersion,
  type ParseError,
} from '../../../src/ios/parsers/index.js';
import type { Train } from '../../../src/domain/callhome.js';
import type { Result } from '../../../src/util/result.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/ios');

/** Fixtures are read as from a device whose serial is this (CiscoTAC-1 periodic times). */
export const FIXTURE_SERIAL = '9ABCDEF1234';

/** The train a fixture was written by: its file name starts with `classic-` or `xe-`. */
export function fixtureTrain(file: string): Train {
  return file.startsWith('xe-') ? 'xe' : 'classic';
}

export const PARSERS: Readonly<Record<string, (text: string, train?: Train) => Result<unknown, ParseError>>> = {
  'show-call-home': parseShowCallHome,
  'show-call-home-detail': parseShowCallHomeDetail,
  'show-call-home-alert-group': parseShowCallHomeAlertGroup,
  'show-call-home-mail-server-status': parseShowCallHomeMailServerStatus,
  'show-call-home-profile': parseShowCallHomeProfile,
  'show-call-home-statistics': parseShowCallHomeStatistics,
  'show-running-config': (text, train) => parseRunningConfigCallHome(text, { serial: FIXTURE_SERIAL, ...(train ? { train } : {}) }),
  'show-call-home-version': parseShowCallHomeVersion,
  'show-call-home-events': parseShowCallHomeEvents,
  'show-call-home-smart-licensing': parseShowCallHomeSmartLicensing,
  'show-call-home-smart-licensing-statistics': parseShowCallHomeSmartLicensingStatistics,
  'show-call-home-diagnostic-signature': parseShowCallHomeDiagnosticSignature,
  'show-call-home-diagnostic-signature-statistics': (text) => parseShowCallHomeDiagnosticSignatureView('statistics', text),
  'show-version': parseShowVersion,
};
