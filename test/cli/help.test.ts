import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadAllCommands } from '../../commands/index.js';

const run = promisify(execFile);

describe('callhome --help', () => {
  it('lists every subcommand module', async () => {
    // Given the real executable, When it is asked for help, Then every registered command is listed.
    const { stdout } = await run(process.execPath, ['bin/callhome.js', '--help']);
    for (const module of await loadAllCommands()) {
      const name = String(module.command).split(' ')[0];
      expect(stdout).toContain(`callhome ${name}`);
    }
  });

  it('refuses an unknown command with exit code 1', async () => {
    await expect(run(process.execPath, ['bin/callhome.js', 'no-such-command'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Run `callhome --help` for usage; docs/cli.md') });
  });

  it("points a subcommand's usage error at that subcommand's help and at docs/cli.md", async () => {
    // bin/callhome.js runs the bundle (dist/), which `npm install` builds from these sources.
    await expect(run(process.execPath, ['bin/callhome.js', 'push', '--no-such-flag'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^Error: Missing required arguments: inventory, config\nRun `callhome push --help` for usage; docs\/cli\.md has every command, flag and exit code\./),
    });
  });
});
