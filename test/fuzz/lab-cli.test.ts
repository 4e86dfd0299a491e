/**
 * Fuzzing the lab's IOS CLI (src/lab/ios-cli), the interpreter every lab SSH session runs: sequences of
 * grammar-walked, abbreviated, junk-spliced and piped lines, `?` help and Ctrl-Z, started in every
 * mode. Each line gives output text (IOS `%` errors included), a prompt dialog or a session close —
 * never an exception (the engine turns one into `% Command failed`, which counts as a crash here) —
 * within the time budget, and the session stays in a known mode with the matching prompt. The
 * configuration the fuzz leaves behind still shows and parses with the fleet's parser.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRunningConfigCallHome } from '../../src/ios/parsers/running-config-call-home.js';
import { CTRL_Z, newSessionState, promptFor, type CliResult } from '../../src/lab/ios-cli/index.js';
import type { CliMode } from '../../src/lab/types.js';
import { Harness, IDENTITY, XE_IDENTITY } from '../lab/ios-cli/harness.js';
import { cliStep, MODE_ENTRY, stepLine, type CliStep } from './cli-lines.js';
import { runs, scaledTimeout, withinBudget, withinBudgetAsync } from './support.js';

const MODES = Object.keys(MODE_ENTRY) as CliMode['kind'][];

/** A crash the engine caught and printed instead of throwing. */
function expectNoCrash(output: string, line: string): void {
  expect(output, `line ${JSON.stringify(line)}`).not.toMatch(/% Command failed/);
}

function expectValidMode(h: Harness): void {
  const mode = h.session.mode;
  expect(MODES).toContain(mode.kind);
  if (mode.kind === 'profile') expect(h.device.running().callHome.profiles.some((p) => p.name === mode.profile)).toBe(true);
  if (mode.kind === 'trustpoint') expect(h.device.running().trustpoints.some((t) => t.name === mode.name)).toBe(true);
  expect(h.prompt()).toBe(promptFor(h.device.running().hostname, mode));
}

/** Follows password / input dialogs with the step's answers; false once the session closed. */
async function settle(h: Harness, first: CliResult, step: CliStep, line: string): Promise<boolean> {
  let r = first;
  for (let i = 0; ; i += 1) {
    switch (r.kind) {
      case 'output':
        expectNoCrash(r.output, line);
        return true;
      case 'close':
        expectNoCrash(r.output, line);
        return false;
      case 'password':
      case 'input': {
        // The certificate paste dialog has no prompt (IOS reads raw lines), so only the text is checked.
        expectNoCrash(r.output + r.prompt, line);
        // A dialog nobody answers sensibly must still end: the last answer is Enter.
        const answer = i < step.answers.length ? (step.answers[i] ?? '') : '';
        const submit = r.submit;
        r = await withinBudgetAsync(`answer to ${line}`, () => submit(answer));
        if (i > 20) throw new Error(`the dialog of ${JSON.stringify(line)} never ends`);
        break;
      }
    }
  }
}

async function enterMode(h: Harness, mode: CliMode['kind']): Promise<void> {
  for (const line of MODE_ENTRY[mode]) {
    const r = await h.run(line);
    if (r.kind === 'password') await r.submit('cisco');
  }
  expect(h.session.mode.kind).toBe(mode);
}

/** Runs a sequence of steps from a mode, checking each line's result and the session state; a closed session logs in again. */
async function runSession(mode: CliMode['kind'], steps: readonly CliStep[]): Promise<Harness> {
  // The diagnostic-signature submode exists on IOS XE only.
  const h = new Harness(mode === 'diagnostic-signature' ? XE_IDENTITY : undefined);
  await enterMode(h, mode);
  for (const step of steps) {
    const line = stepLine(step, h.session.mode);
    if (step.kind === 'help') {
      const text = withinBudget(`help ${line}`, () => h.cli.help(line, h.session));
      expect(typeof text).toBe('string');
      expectNoCrash(text, line);
    } else {
      const r = await withinBudgetAsync(`execute ${line}`, () => h.run(step.kind === 'ctrl-z' ? `${line}${CTRL_Z}` : line));
      if (!(await settle(h, r, step, line))) {
        // The session closed (`exit` in EXEC): log in again, as a user would, and go on.
        Object.assign(h.session, newSessionState());
        await enterMode(h, mode);
      }
    }
    expectValidMode(h);
  }
  return h;
}

describe('lab CLI fuzz', () => {
  it.each(MODES)('any line in %s mode gives output or an IOS error, never a crash or hang', { timeout: scaledTimeout(25_000) }, async (mode) => {
    await fc.assert(
      fc.asyncProperty(fc.array(cliStep, { minLength: 1, maxLength: 8 }), async (steps) => {
        await runSession(mode, steps);
      }),
      runs(),
    );
  });

  it('leaves a configuration that still shows and parses with the fleet parser', { timeout: scaledTimeout(25_000) }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<CliMode['kind']>('config', 'call-home', 'profile'), fc.array(cliStep, { minLength: 1, maxLength: 12 }), async (mode, steps) => {
        const h = await runSession(mode, steps);
        // Show from a second session on the same device: the fuzzed one may have closed or be in any mode.
        const other = newSessionState();
        const enable = await h.cli.execute('enable', other);
        if (enable.kind === 'password') await enable.submit('cisco');
        const shown = await h.cli.execute('show running-config | section call-home', other);
        const text = shown.kind === 'output' ? shown.output : '';
        expectNoCrash(text, 'show running-config');
        const parsed = parseRunningConfigCallHome(text, { serial: IDENTITY.serial });
        expect(parsed.ok, `${text}\n${parsed.ok ? '' : parsed.error.message}`).toBe(true);
      }),
      runs(),
    );
  });
});
