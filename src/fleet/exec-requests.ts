/**
 * Builds the privileged EXEC lines of `call-home test`, `call-home send …` and `call-home request …`
 * (ios-call-home.md §3.1–3.4) from typed requests, refusing what IOS would refuse before it is sent.
 */
import { AbortError } from '../errors.js';
import { assertNever } from '../util/assert-never.js';

/** What `callhome send` asks each device to do. */
export type SendRequest =
  | { readonly kind: 'test'; readonly profile: string; readonly message?: string | undefined }
  | { readonly kind: 'alert-group'; readonly group: 'configuration' | 'inventory' | 'crash' | 'diagnostic'; readonly profile?: string | undefined; readonly slot?: string | undefined }
  | {
      readonly kind: 'cli';
      readonly commands: readonly string[];
      readonly email?: string | undefined;
      readonly msgFormat?: 'long-text' | 'xml' | undefined;
      readonly http?: boolean | undefined;
      readonly destinationEmail?: string | undefined;
      readonly srNumber?: string | undefined;
    };

export const REQUEST_KINDS = ['output-analysis', 'config-sanity', 'bugs-list', 'command-reference', 'product-advisory'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** What `callhome request` asks each device to send. */
export type AnalysisRequest = {
  readonly kind: RequestKind;
  /** The show command, for output-analysis only. */
  readonly command?: string | undefined;
  readonly profile?: string | undefined;
  readonly ccoid?: string | undefined;
};

function word(value: string, what: string): string {
  if (!/^\S+$/.test(value)) throw new AbortError(`The ${what} "${value}" must be one word.`);
  return value;
}

function quoted(value: string, what: string): string {
  if (value.includes('"')) throw new AbortError(`The ${what} cannot contain a double quote: ${value}`, 'IOS strings are wrapped in double quotes; remove the quote.');
  return `"${value}"`;
}

const profileSuffix = (profile?: string) => (profile ? ` profile ${word(profile, 'profile name')}` : '');

/** The EXEC line for a send request. */
export function sendCommandLine(request: SendRequest): string {
  switch (request.kind) {
    case 'test':
      return `call-home test${request.message ? ` ${quoted(request.message, 'test message')}` : ''} profile ${word(request.profile, 'profile name')}`;
    case 'alert-group': {
      if (request.group === 'diagnostic' && !request.slot) {
        throw new AbortError('`send alert-group diagnostic` needs --slot (e.g. --slot R0).');
      }
      const slot = request.group === 'diagnostic' && request.slot ? ` slot ${word(request.slot, 'slot')}` : '';
      return `call-home send alert-group ${request.group}${slot}${profileSuffix(request.profile)}`;
    }
    case 'cli': {
      if (request.commands.length === 0) throw new AbortError('`send cli` needs at least one command.');
      if (request.msgFormat && !request.email) throw new AbortError('--msg-format applies to --email only.');
      if (request.http && request.email) throw new AbortError('Give either --email or --http, not both.');
      if (request.http && !request.destinationEmail && !request.srNumber) {
        throw new AbortError('`send cli --http` needs --destination-email or --sr (IOS refuses it otherwise).');
      }
      if (!request.http && !request.email && !request.srNumber) {
        throw new AbortError('`send cli` needs --email, --http or --sr: without them the output goes to Cisco TAC, which needs a service request number.');
      }
      let line = `call-home send ${quoted(request.commands.join(';'), 'command list')}`;
      if (request.email) line += ` email ${word(request.email, 'e-mail address')}${request.msgFormat ? ` msg-format ${request.msgFormat}` : ''}`;
      if (request.http) line += ` http${request.destinationEmail ? ` destination-email-address ${word(request.destinationEmail, 'e-mail address')}` : ''}`;
      if (request.srNumber) line += ` tac-service-request ${word(request.srNumber, 'service request number')}`;
      return line;
    }
    default:
      return assertNever(request, 'send request');
  }
}

/** The EXEC line for an analysis/report request. */
export function requestCommandLine(request: AnalysisRequest): string {
  let line = `call-home request ${request.kind}`;
  if (request.kind === 'output-analysis') {
    if (!request.command) throw new AbortError('`request output-analysis` needs the show command, quoted: request output-analysis "show diag".');
    line += ` ${quoted(request.command, 'show command')}`;
  } else if (request.command) {
    throw new AbortError(`\`request ${request.kind}\` takes no command; only output-analysis does.`);
  }
  line += profileSuffix(request.profile);
  if (request.ccoid) line += ` ccoid ${word(request.ccoid, 'CCO ID')}`;
  return line;
}
