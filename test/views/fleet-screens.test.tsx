import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { openConsoleRuntime, type ConsoleRuntime } from '../../src/console/adapters/runtime.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import { startLab, type Lab } from '../../src/lab/devices.js';
import { loadSettings } from '../../src/settings.js';
import { ConsoleApp } from '../../views/ConsoleApp.js';
import { frameHas } from './wait.js';

const TOKEN = 'fleet-screens-token-0123';

describe('console fleet screens on a lab fleet', () => {
  let dir: string;
  let backend: Backend;
  let lab: Lab;
  let runtime: ConsoleRuntime;
  let ui: ReturnType<typeof render>;
  const press = async (keys: string): Promise<void> => {
    ui.stdin.write(keys);
    await new Promise((r) => setImmediate(r));
  };
  const has = (t: string | RegExp, ms = 20_000) => frameHas(ui.lastFrame, t, ms);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callhome-console-fleet-'));
    backend = await startBackend({ dbPath: join(dir, 'db.sqlite'), httpPort: 0, smtpPort: 0, token: TOKEN });
    lab = await startLab({ devices: 2, port: 0, stateDir: join(dir, 'lab'), smtpPort: backend.smtpPort ?? 25 });
    await lab.writeInventory(join(dir, 'inventory.yaml'));
    await lab.writeKnownHosts(join(dir, 'known_hosts'));
    runtime = openConsoleRuntime({
      settings: loadSettings(),
      inventoryFile: join(dir, 'inventory.yaml'),
      knownHostsFile: join(dir, 'known_hosts'),
      backend: { url: backend.url, token: TOKEN },
      since: 0,
      desired: {
        service: true,
        contactEmail: 'noc@example.com',
        mailServers: [{ address: '127.0.0.1', priority: 1 }],
        profiles: { 'noc-http': { active: true, transport: ['http'], http: [`${backend.url}${DDCE_SERVICE_PATH}`], format: 'xml' } },
      },
    });
    ui = render(<ConsoleApp store={runtime.store} intents={runtime.intents} />);
    await has('r2');
  });

  afterAll(async () => {
    ui?.unmount();
    runtime?.close();
    await lab?.close();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the fleet read on the first frames, without pressing r, with totals', async () => {
    // From the first frame the hosts are being read, not waiting for r.
    expect(ui.lastFrame()).toMatch(/r1\s+\S+\s+(profiles…|up)/);
    // IOS XE lab devices ship with `service call-home` and CiscoTAC-1 on (factory default).
    await has(/r1 .*up\s+on .*CiscoTA.*cmds/);
    await has('2 hosts: 2 up · 0 down · 2 drifted · 0 failed');
    await has('sorted by host');
  });

  it('filters with /, sorts with s and S, and opens a host with Enter', async () => {
    await press('/');
    await press('r2');
    await press('\r');
    await has('filter "r2": 1 shown');
    expect(ui.lastFrame()).not.toMatch(/\n[ >*]+r1 /);
    await press('\u001B');
    await has(/r1 .*\n.*r2 /);
    await press('S');
    await has('sorted by host (reversed)');
    await has(/r2 .*\n.*r1 /);
    await press('s');
    await has('sorted by state');
    await press('g');
    await press('\r');
    await has('── Drift (');
    for (const part of ['── Last error', '── Statistics', '── Last messages']) expect(ui.lastFrame()).toContain(part);
    expect(ui.lastFrame()).toMatch(/\+ .*call-home/);
    await press('\u001B');
    await has('sorted by state');
    await press('S');
    await press('s');
    await press('s');
    await press('s');
    await press('s');
    await press('s');
    await has('sorted by host');
  });

  it('refreshes profiles and drift, selects all, previews and pushes with confirmation', async () => {
    await press('r');
    // IOS XE lab devices ship with `service call-home` and CiscoTAC-1 on (factory default).
    await has(/r1 .*up\s+on .*CiscoTA.*cmds/);
    await press('a');
    await has('2 selected of 2');
    await press('p');
    await has('Push to 2 hosts?');
    expect(ui.lastFrame()).toContain('call-home');
    await press('y');
    await has('push: 2/2 hosts ok');
    await has(/r1 .*in sync.*changed/);
    await has(/r2 .*in sync.*changed/);
    // Then a refresh reads the profile the push added. The service state alone cannot tell the refresh's frame
    // from the push's (IOS XE ships with `service call-home` on), and the next test's keys need the refresh done:
    // a run over hosts still running another is refused (docs/cli.md).
    await press('r');
    await has(/r1 .*up\s+on\s+noc-htt.*in sync/);
    await has(/r2 .*up\s+on\s+noc-htt.*in sync/);
  });

  it('reads statistics across the fleet and drills down per device', async () => {
    await press('1');
    await press('t');
    await has('send: 2/2 hosts ok');
    await press('5');
    await press('r');
    await has('2 devices reporting');
    expect(ui.lastFrame()).toMatch(/test\s+\d+/i);
    await press('\u001B[B');
    await press('\r');
    await has('r1 — 1 device reporting');
    await press('\u001B');
    await has('Fleet — 2 devices reporting');
  });

  it('shows mail-server status per device and the back end SMTP listener', async () => {
    await press('3');
    await press('r');
    await has(/r1\s+127\.0\.0\.1\s+1\s+\[Available\]/);
    expect(ui.lastFrame()).toMatch(/Back-end SMTP listener: \[Available\] listening/);
  });

  it('verifies the closed loop from the console', async () => {
    // Every notice the intents raise, even one the next notice replaces before a frame shows it.
    const notices: string[] = [];
    const dispatch = runtime.store.dispatch.bind(runtime.store);
    runtime.store.dispatch = (action) => {
      if (action.type === 'ui/notice' && action.notice) notices.push(action.notice.text);
      dispatch(action);
    };
    await press('1');
    await press('v');
    // A second run over the same hosts while the first is running is refused, never doubled.
    await press('v');
    expect(notices.some((t) => /Not started: r1, r2 are still running verify/.test(t))).toBe(true);
    await has('2/2 closed the loop', 30_000);
    expect(ui.lastFrame()).toMatch(/r1\s+yes\s+yes\s+yes\s+\d+ ms\s+OK/);
    // The run finishes: every host has its result.
    await has('done: 2 hosts, 0 failed');
    await has('verify done: 2/2 hosts closed the loop');
    await press('1');
    await has('2 hosts: 2 up · 0 down · 0 drifted · 0 failed');
  });
});
