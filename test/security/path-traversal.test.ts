/**
 * Threat: a name or path that comes from data (an inventory, a device, the network) climbs out of
 * the directory it is meant to stay in (`../`, an absolute path, a backslash).
 *
 * Every path the product takes or derives, enumerated:
 * - Local user's flags (their own choice, used as given; not a traversal): `--inventory`,
 *   `--known-hosts`, `--log-dir`, `-c/--config` (push, verify), `--file` (parse), `contracts import
 *   FILE`, `serve --db`, `--rules`, `--https-cert`, `--https-key`, `lab --state-dir`,
 *   `--inventory-out`, `--known-hosts-out`, `--authorized-keys`; settings `knownHosts`
 *   (CALLHOME_CONFIG_DIR moves the settings file).
 * - Derived from data inside files:
 *   - inventory host names → session transcripts `<log-dir>/<host>.log` (src/fleet/runner.ts). Was
 *     `join(logDir, host.name + '.log')`, so a host called `../x` wrote outside --log-dir; now
 *     `safeFileName` (src/util/safe-file-name.ts). Tested below, end to end.
 *   - inventory host / port → known_hosts entries: text inside the given file, never a path.
 * - Derived from the lab's own naming: lab device state `<state-dir>/devices/r<N>` (names generated
 *   by the lab, never from input); the lab CLI's `copy running-config startup-config` accepts only
 *   the name `startup-config` (other names get "%Error opening nvram:/…").
 * - From the network (back end): REST path parameters (serial, case, message id, report kind) are
 *   database keys or a fixed list, never file names; URL dot-segments are normalised before routing,
 *   so `/x/../api/v1/…` cannot skip the token check; attachments and mail parts (with their file
 *   names) are stored in SQLite, never written as files. Tested below.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runFleetExec } from '../../commands/exec.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import { SettingsSchema } from '../../src/settings.js';
import { safeFileName } from '../../src/util/safe-file-name.js';
import { SAMPLE_XML, startTestBackend, TOKEN, type TestBackend } from '../backend/helpers.js';
import { Capture } from '../fleet/helpers.js';
import { startFakeIos, type FakeIos } from '../ios/driver/fake-ios.js';
import { rawRequest } from './helpers.js';

const HOSTILE = ['../escape', '../../etc/cron.d/x', '/tmp/absolute', 'a/../../b', '..', '.', '', 'C:\\win\\x', 'r1\u0000x', '.hidden', 'ok/../ok'];

/** Every file under `root`, recursively. */
function files(root: string): string[] {
  return readdirSync(root).flatMap((n) => (statSync(join(root, n)).isDirectory() ? files(join(root, n)) : [join(root, n)]));
}

const inside = (dir: string, file: string): boolean => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

describe('safeFileName', () => {
  it('keeps every hostile name one segment inside its directory, and distinct names distinct', () => {
    const dir = '/srv/logs';
    const out = HOSTILE.map((n) => safeFileName(n));
    for (const [i, name] of out.entries()) {
      expect(name, HOSTILE[i]).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
      expect(inside(dir, join(dir, `${name}.log`)), `${HOSTILE[i]} → ${name}`).toBe(true);
    }
    expect(new Set(out).size).toBe(HOSTILE.length);
    expect(safeFileName('r1')).toBe('r1');
    expect(safeFileName('core-sw.site_2')).toBe('core-sw.site_2');
    expect(safeFileName('a/b')).not.toBe(safeFileName('a_b'));
  });
});

describe('inventory host names as transcript files (--log-dir)', () => {
  let device: FakeIos;
  let dir: string;
  beforeAll(async () => {
    device = await startFakeIos({ outputs: { 'show clock': '10:00:00 UTC' } });
    dir = mkdtempSync(join(tmpdir(), 'callhome-traversal-'));
  });
  afterAll(async () => {
    await device.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every transcript inside --log-dir, whatever the host is called', async () => {
    const names = ['../escape', 'deep/../../climb', 'r1'];
    const inventory = join(dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      stringify({ defaults: { username: 'admin', password: 'admin', 'enable-secret': 'cisco' }, hosts: Object.fromEntries(names.map((n) => [n, { host: '127.0.0.1', port: device.port }])) }),
    );
    const logDir = join(dir, 'work', 'logs');
    const report = await runFleetExec(
      { inventory, knownHosts: join(dir, 'known_hosts'), acceptNewHostKeys: true, json: true, timeout: 10, command: 'show clock', logDir },
      { stdout: new Capture(), settings: SettingsSchema.parse({}), env: {} },
    );
    expect(report.results.map((r) => r.ok)).toEqual([true, true, true]);
    const logs = files(dir).filter((f) => f.endsWith('.log'));
    expect(logs).toHaveLength(3);
    for (const f of logs) expect(inside(logDir, f), f).toBe(true);
    expect(logs).toContain(join(logDir, 'r1.log'));
  });
});

describe('the back end never turns network input into a path', () => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await startTestBackend({ smtpPort: null, authThrottle: { freeFailures: 1000 } });
  });
  afterAll(async () => {
    await b.stop();
  });

  it('treats traversal in path parameters as plain keys (404), and dot-segments cannot skip the token', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const path of ['/api/v1/devices/..%2F..%2F..%2Fetc%2Fpasswd', '/api/v1/cases/..%2F..%2Fetc%2Fpasswd', '/api/v1/devices/%2Fetc%2Fpasswd', '/api/v1/reports/..%2Fsecret']) {
      const r = await rawRequest(b.url, path, { headers: auth });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toMatch(/root:/);
    }
    for (const path of ['/x/../api/v1/devices', '/api/v1/health/../devices', '/api/v1/./devices', '/api/v1/health/..%2Fdevices']) {
      const r = await rawRequest(b.url, path);
      expect([401, 404], path).toContain(r.status);
    }
  });

  it('stores attachments with hostile file names in the database and writes no file', async () => {
    const before = files(b.dir).sort();
    const body = SAMPLE_XML.replaceAll('9S1NMSF22DW', 'TRAV00001').replace(/<aml-block:Name>[^<]*<\/aml-block:Name>/g, '<aml-block:Name>../../../../tmp/callhome-pwned</aml-block:Name>');
    const r = await rawRequest(b.url, DDCE_SERVICE_PATH, { method: 'POST', headers: { 'content-type': 'application/soap+xml' }, body });
    expect(r.status).toBe(200);
    const after = files(b.dir).sort();
    // Only SQLite's own files (the database, its WAL and shared memory) exist.
    expect(after.filter((f) => !before.includes(f)).every((f) => /callhome\.db(-wal|-shm)?$/.test(f))).toBe(true);
    expect(existsSync(join(tmpdir(), 'callhome-pwned')) || existsSync('/tmp/callhome-pwned')).toBe(false);
  });
});
