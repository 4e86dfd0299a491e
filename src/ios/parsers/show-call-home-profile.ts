/** `show call-home profile all` and `show call-home profile <name>` (ios-call-home.md §3.5.5–3.5.6), either train. */
import type { Profile } from '../../domain/callhome.js';
import { err, ok, type Result } from '../../util/result.js';
import { parseProfileBlock, splitProfileBlocks } from './profile-block.js';
import { parseError, prepareLines, unparsed, withUnparsed, type ParseError, type Unparsed } from './text.js';

const COMMAND = 'show call-home profile';

/** `show call-home profile all|NAME` as data. */
export type ShowCallHomeProfile = { readonly profiles: readonly Profile[]; readonly unparsed?: readonly Unparsed[] };

/** Parses one or all profile blocks into Profiles close to the device's configuration model. */
export function parseShowCallHomeProfile(output: string): Result<ShowCallHomeProfile, ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  const { before, blocks } = splitProfileBlocks(prepared.value);
  const first = before[0];
  if (blocks.length === 0) {
    // `% Profile nope does not exist` is the device saying no, not an empty list.
    return err(parseError(COMMAND, first, 'expected `Profile Name: <name>`'));
  }
  const skipped: Unparsed[] = before.map(unparsed);
  const profiles = blocks.map((block) => parseProfileBlock(block, skipped));
  return ok(withUnparsed({ profiles }, skipped));
}
