/** `show call-home profile all` and `show call-home profile <name>` (ios-call-home.md §3.5.5–3.5.6). */
import type { Profile } from '../../domain/callhome.js';
import { err, ok, type Result } from '../../util/result.js';
import { parseProfileBlock, splitProfileBlocks } from './profile-block.js';
import { parseError, prepareLines, type ParseError } from './text.js';

const COMMAND = 'show call-home profile';

/** Parses one or all profile blocks into Profiles close to the device's configuration model. */
export function parseShowCallHomeProfile(output: string): Result<Profile[], ParseError> {
  const prepared = prepareLines(COMMAND, output);
  if (!prepared.ok) return prepared;
  const { before, blocks } = splitProfileBlocks(prepared.value);
  const stray = before[0];
  if (stray) return err(parseError(COMMAND, stray, 'expected `Profile Name: <name>` before any profile field'));
  const profiles: Profile[] = [];
  for (const block of blocks) {
    const parsed = parseProfileBlock(COMMAND, block);
    if (!parsed.ok) return parsed;
    profiles.push(parsed.value);
  }
  return ok(profiles);
}
