/**
 * The import floors (eslint/floors.js): the rule fires on a crossing, lets the allowed imports and
 * type-only imports through, and every folder of src/ has a floor, so a new folder cannot slip past.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../eslint/floors.js';
import { floorsRule, layerOf } from '../../eslint/floors-rule.js';

const root = join(import.meta.dirname, '../..');

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: { parser: tseslint.parser },
      plugins: { callhome: { rules: { floors: floorsRule } } },
      rules: { 'callhome/floors': 'error' },
    },
  ],
});

/** The floor messages for `code` as if it were the file at `path`. */
async function floorErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('import floors', () => {
  it('refuses the crossings the architecture forbids', async () => {
    expect(await floorErrors('src/domain/probe.ts', "import { x } from '../backend/server.js';")).toEqual([
      expect.stringMatching(/^callhome\/floors: domain may not import backend/),
    ]);
    expect(await floorErrors('src/lab/probe.ts', "import { x } from '../fleet/runner.js';")).toHaveLength(1);
    expect(await floorErrors('src/lab/engine/probe.ts', "export { x } from '../../backend/server.js';")).toHaveLength(1);
    expect(await floorErrors('src/backend/probe.ts', "const m = import('../lab/devices.js');")).toHaveLength(1);
    expect(await floorErrors('src/fleet/probe.ts', "import { printFleet } from '../output/fleet-output.js';")).toHaveLength(1);
    expect(await floorErrors('src/fleet/probe.ts', "import { x } from '../../commands/push.js';")).toHaveLength(1);
    expect(await floorErrors('src/console/reducer-probe.ts', "import { connectLive } from './adapters/live.js';")).toHaveLength(1);
    expect(await floorErrors('views/probe.tsx', "import { openFleetPort } from '../src/console/adapters/fleet-port.js';")).toHaveLength(1);
  });

  it('lets allowed and type-only imports through', async () => {
    expect(await floorErrors('src/lab/probe.ts', "import { x } from '../callhome/xml.js';\nimport { y } from '../ios/config/tokens.js';")).toEqual([]);
    expect(await floorErrors('src/fleet/probe.ts', "import type { FleetResult } from '../domain/fleet.js';")).toEqual([]);
    expect(await floorErrors('views/probe.tsx', "import type { ConsoleIntents } from '../src/console/adapters/intents.js';")).toEqual([]);
    expect(await floorErrors('views/probe.tsx', "import { type ConsoleIntents } from '../src/console/adapters/intents.js';")).toEqual([]);
    expect(await floorErrors('src/console/probe.ts', "import type { ApiClient } from '../client/api-client.js';")).toEqual([]);
    expect(await floorErrors('src/console/probe.ts', "import { createApiClient } from '../client/api-client.js';")).toHaveLength(1);
    // Packages are not this rule's business.
    expect(await floorErrors('src/domain/probe.ts', "import { z } from 'zod';")).toEqual([]);
  });

  it('gives every folder and top-level file of src/, and views, commands and bin, a floor', () => {
    const paths = readdirSync(join(root, 'src'), { withFileTypes: true }).map((e) => `src/${e.isDirectory() ? e.name : e.name.replace(/\.tsx?$/, '')}`);
    expect(paths.filter((p) => layerOf(p) === undefined)).toEqual([]);
    for (const p of ['views', 'commands', 'bin']) expect(layerOf(p)).toBeDefined();
    // Every layer named in a floor exists.
    const names = new Set(Object.keys(LAYERS));
    for (const layer of Object.values(LAYERS)) for (const n of [...layer.may, ...(layer.types ?? [])]) expect(names.has(n), n).toBe(true);
  });
});
