/**
 * Issue 14: `--shard i/n` on every fleet command divides the selected hosts deterministically and stably
 * under host order, and `callhome merge-results` merges the shards' outcome files into one run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMergeResults } from '../../commands/merge-results.js';
import { runFleetStats } from '../../commands/stats.js';
import { parseShard, selectShard, shardOf } from '../../src/fleet/shard.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { SettingsSchema } from '../../src/settings.js';
import { Capture } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'callhome-shard-'));
const inventory = join(dir, 'inventory.yaml');
const knownHosts = join(dir, 'known_hosts');
const settings = SettingsSchema.parse({ timeout: 5, connectTimeout: 5 });
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ devices: 8, stateDir: join(dir, 'state'), faults: { r7: { unreachable: true } } });
  await lab.writeInventory(inventory);
  await lab.writeKnownHosts(knownHosts);
});
afterAll(async () => {
  await lab.close();
  rmSync(dir, { recursive: true, force: true });
});

function callhome(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/callhome.js', ...args], { env: { ...process.env, CALLHOME_CONFIG_DIR: dir } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('shards', () => {
  const names = Array.from({ length: 2000 }, (_, i) => ({ name: `edge-${i}` }));

  it('put every host in exactly one shard, the same whatever the host order, in near-equal parts', () => {
    for (const count of [1, 2, 3, 7]) {
      const shards = Array.from({ length: count }, (_, i) => selectShard(names, { index: i + 1, count }).map((h) => h.name));
      expect(shards.flat().sort()).toEqual(names.map((h) => h.name).sort());
      const reversed = [...names].reverse();
      shards.forEach((shard, i) => expect(selectShard(reversed, { index: i + 1, count }).map((h) => h.name).sort()).toEqual([...shard].sort()));
      for (const shard of shards) expect(Math.abs(shard.length - names.length / count)).toBeLessThan((names.length / count) * 0.15);
    }
    // Adding hosts moves no existing one; case does not matter, as for --limit.
    expect(shardOf('edge-5', 4)).toBe(shardOf('EDGE-5', 4));
  });

  it('i/n is checked', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('0/4')).toMatch(/from 1 to n/);
    expect(parseShard('5/4')).toMatch(/from 1 to n/);
    expect(parseShard('half')).toMatch(/is not i\/n/);
  });
});

describe('a sharded fleet run, merged', () => {
  it('three shards of `stats` cover the fleet once; merge-results gives one document, summary and exit code', async () => {
    const files: string[] = [];
    const seen: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const stdout = new Capture();
      // Alternate the machine-output formats: merge-results reads both.
      await runFleetStats({ inventory, knownHosts, shard: `${i}/3`, ...(i === 2 ? { ndjson: true } : { json: true }) }, { stdout, settings, env: {} });
      const file = join(dir, `shard-${i}.out`);
      writeFileSync(file, stdout.text);
      files.push(file);
      const hosts = stdout.text.match(/"host": ?"(r\d)"/g)?.map((m) => m.replace(/.*"(r\d)"/, '$1')) ?? [];
      seen.push(...hosts);
    }
    expect([...seen].sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8']);

    const { code, stdout } = await callhome(['merge-results', ...files, '--json']);
    const doc = JSON.parse(stdout) as { results: { host: string; ok: boolean; data: { sections?: unknown } }[]; summary: unknown };
    expect(doc.summary).toEqual({ total: 8, ok: 7, failed: 1, changed: 0 });
    expect(doc.results.filter((r) => r.ok).every((r) => r.data.sections !== undefined)).toBe(true);
    expect(code).toBe(2);

    const retry = join(dir, 'merged.retry');
    const human = new Capture();
    await runMergeResults({ files, output: 'plain', retryFile: retry }, { stdout: human });
    expect(human.text).toContain('8 devices: 7 ok, 1 failed, 0 changed');
    expect(readFileSync(retry, 'utf8')).toBe('r7\n');
  }, 120_000);

  it('refuses overlapping shards, a truncated NDJSON shard and a bad --shard', async () => {
    const stdout = new Capture();
    await runFleetStats({ inventory, knownHosts, limit: 'r1', json: true }, { stdout, settings, env: {} });
    const a = join(dir, 'a.json');
    writeFileSync(a, stdout.text);
    await expect(runMergeResults({ files: [a, a] })).rejects.toThrow(/r1 is in both/);
    const cut = join(dir, 'cut.ndjson');
    writeFileSync(cut, `${JSON.stringify({ host: 'r2', ok: true, changed: false, commands: [], data: {}, error: null })}\n`);
    await expect(runMergeResults({ files: [cut] })).rejects.toThrow(/no summary line/);
    const bad = await callhome(['stats', '--inventory', inventory, '--shard', '4/3']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--shard 4/3: i must be from 1 to n');
  }, 120_000);
});
