/**
 * The README's install and "first session by hand" lines, extracted from README.md so the walk and
 * the documentation cannot drift apart, and the shell script that runs them in order.
 */

/** The lines of the first ```sh block after `heading` (comments and blank lines dropped). */
export function shellBlockAfter(readme: string, heading: string): string[] {
  const at = readme.indexOf(heading);
  if (at < 0) throw new Error(`README.md has no "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (block === undefined) throw new Error(`README.md has no sh block after "${heading}"`);
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export const INSTALL_HEADING = '**Install, and put `callhome` on your PATH:**';
export const SESSION_HEADING = '## A first session by hand';

/** How the walk runs a line that needs a person at a terminal. */
export type LineKind = 'plain' | 'ssh' | 'console';

export function lineKind(line: string): LineKind {
  if (/^ssh\s/.test(line)) return 'ssh';
  if (/^callhome console(\s|$)/.test(line)) return 'console';
  return 'plain';
}

/** `text` as one POSIX shell word. */
export function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Marker printed after each line: `@@step <index> rc=<exit status>`. */
export const STEP_MARKER = /@@step (\d+) rc=(\d+)/g;

/**
 * The script that runs `lines` one after another in one shell, as if pasted, printing each line's
 * exit status after it. Two lines need a person, and run without one:
 * - `ssh …` gets `-o BatchMode=yes` and no input: the password is never asked, so the expected end is
 *   "Permission denied" — which OpenSSH only reaches after the host key matched the known_hosts file
 *   and the port was right;
 * - `callhome console …` runs on a pseudo-terminal made by util-linux `script`; the test reads its
 *   frames and types `q`.
 * Both are otherwise the README's text, unchanged.
 */
export function walkScript(lines: readonly string[]): string {
  const body = lines.map((line, i) => {
    const kind = lineKind(line);
    const command =
      kind === 'ssh'
        ? `${line.replace(/^ssh\s/, 'ssh -o BatchMode=yes -o ConnectTimeout=20 ')} < /dev/null`
        : kind === 'console'
          ? `script -qfec ${shellWord(`stty cols 120 rows 40; ${line}`)} /dev/null`
          : line;
    return `echo "@@line ${i} ${kind}"\n${command}\necho "@@step ${i} rc=$?"`;
  });
  // The lab and the back end end with the README's own `kill`; wait for them so their last words are kept.
  return ['exec 2>&1', ...body, 'wait', 'echo "@@end"', ''].join('\n');
}
