/** `show call-home version` (IOS XE): the Call-Home version and its component versions. */
import { err, ok, type Result } from '../../util/result.js';
import { VERSION_LAYOUT } from '../layout/xe-commands.js';
import { parseError, prepareLines, unparsed, withUnparsed, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show call-home version';

/** `show call-home version` as data. */
export type ShowCallHomeVersion = {
  readonly version: string;
  readonly components: readonly { readonly name: string; readonly location: string; readonly version: string }[];
  readonly unparsed?: readonly Unparsed[];
};

/** Parses `Call-Home Version 3.0` and the `name: (location) version` component lines. */
export function parseShowCallHomeVersion(output: string): Result<ShowCallHomeVersion, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  let version: string | undefined;
  const components: { name: string; location: string; version: string }[] = [];
  const skipped: Unparsed[] = [];
  const title = new RegExp(`^${VERSION_LAYOUT.title}\\s+(\\S+)$`, 'i');
  for (const line of prepared.value) {
    const t = title.exec(line.trimmed);
    if (t) {
      version = t[1] ?? '';
      continue;
    }
    if (line.trimmed.toLowerCase() === VERSION_LAYOUT.components.toLowerCase()) continue;
    const c = VERSION_LAYOUT.componentLine.exec(line.trimmed);
    if (c) components.push({ name: c[1] ?? '', location: c[2] ?? '', version: c[3] ?? '' });
    else skipped.push(unparsed(line));
  }
  if (version === undefined) return err(parseError(COMMAND, prepared.value[0], 'no `Call-Home Version` line'));
  return ok(withUnparsed({ version, components }, skipped));
}
