/**
 * `show version`: the software train, version, model, serial, hostname and uptime, from IOS XE
 * (`Cisco IOS XE Software, Version 17.09.04a`) or classic IOS (`Cisco IOS Software, C2900 Software
 * (C2900-UNIVERSALK9-M), Version 15.2(4)M11, …`). `detectTrain` is what the fleet side calls once a session.
 */
import { trainOfVersion, type Train } from '../../domain/callhome.js';
import { err, ok, type Result } from '../../util/result.js';
import { parseError, prepareLines, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show version';

/** `show version` as data. */
export type ShowVersion = {
  readonly train: Train;
  /** `17.9.4a`, `15.2(4)M11` (as the `Cisco IOS Software` line writes it). */
  readonly version: string;
  readonly model?: string;
  readonly serial?: string;
  readonly hostname?: string;
  readonly uptime?: string;
  readonly image?: string;
  readonly unparsed?: readonly Unparsed[];
};

// `Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)`
const IOS_LINE = /^Cisco IOS Software\b.*?,\s*Version\s+([^\s,]+)/i;
// `Cisco IOS XE Software, Version 17.09.04a`
const XE_LINE = /^Cisco IOS[ -]XE Software,\s*Version\s+(\S+)/i;

/** The train of a device from its `show version`, or undefined when the text is not IOS `show version`. */
export function detectTrain(showVersionText: string): Train | undefined {
  const parsed = parseShowVersion(showVersionText);
  return parsed.ok ? parsed.value.train : undefined;
}

/** Parses the lines fleet tools use; `show version` has many lines no tool reads, so none is reported unparsed. */
export function parseShowVersion(output: string): Result<ShowVersion, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  let version: string | undefined;
  let xe = false;
  const out: { -readonly [K in keyof ShowVersion]?: ShowVersion[K] } = {};
  for (const line of prepared.value) {
    const t = line.trimmed;
    const x = XE_LINE.exec(t);
    if (x) {
      xe = true;
      continue;
    }
    const v = IOS_LINE.exec(t);
    if (v && version === undefined) {
      version = v[1] ?? '';
      continue;
    }
    if (/\bIOS-XE\b/.test(t)) xe = true;
    const up = /^(\S+) uptime is (.+)$/.exec(t);
    if (up) {
      out.hostname = up[1] ?? '';
      out.uptime = up[2] ?? '';
      continue;
    }
    const serial = /^Processor board ID (\S+)/i.exec(t);
    if (serial) out.serial = serial[1] ?? '';
    // `cisco C9300-48P (X86) processor …` / `Cisco CISCO2911/K9 (revision 1.0) with …`
    const model = /^cisco (\S+) \(.*\) (?:processor|with)\b/i.exec(t);
    if (model && out.model === undefined) out.model = model[1] ?? '';
    const image = /^System image file is "([^"]+)"/i.exec(t);
    if (image) out.image = image[1] ?? '';
  }
  if (version === undefined) return err(parseError(COMMAND, prepared.value[0], 'no `Cisco IOS Software … Version` line'));
  const train: Train = xe || trainOfVersion(version) === 'xe' ? 'xe' : 'classic';
  return ok({ train, version, ...out });
}
