import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../src/backend/server.js';
import { openConsoleSession, type ConsoleSession } from '../../src/console/session.js';
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
  let session: ConsoleSession;
  let ui: ReturnType<typeof render>;
  const press = async (keys: string): Promise<void> => {
    ui.stdin.write(keys);
    await new Promise((r) => setImmediate(r));
  };
  const has = (t: string | RegExp, ms = 20_000) => frameHas(ui.lastFrame, t, ms);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'callhome-console-fleet-'));
    backend = await startBackend({ dbPath: join(dir, 'db.sqlite'), httpPort: 0, smtpPort: 0, token: TOKEN });
    lab = await startLab({ devices: 2, port: 0, stateDir: join(dir, 'lab'), smtpPort: backend.smtpPort ?? 25, software: '15.2(4)M11' });
    await lab.writeInventory(join(dir, 'inventory.yaml'));
    await lab.writeKnownHosts(join(dir, 'known_hosts'));
    session = openConsoleSession({
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
    ui = render(<ConsoleApp store={session.store} intents={session.intents} />);
    await has('r2');
  });

  afterAll(async () => {
    ui?.unmount();
    session?.close();
    await lab?.close();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refreshes profiles and drift, selects all, previews and pushes with confirmation', async () => {
    await press('r');
    await has(/r1 .*up\s+off.*cmds/);
    await press('a');
    await has('2 selected of 2');
    await press('p');
    await has('Push to 2 hosts?');
    expect(ui.lastFrame()).toContain('call-home');
    await press('y');
    await has('push: 2/2 hosts ok');
    await has(/r1 .*in sync.*changed/);
    await has(/r2 .*in sync.*changed/);
    // Then a refresh reads the service state the push turned on.
    await press('r');
    await has(/r1 .*up\s+on .*in sync/);
  });

  it('reads statistics across the fleet and drills down per device', async () => {
    await press('1');
    await press('t');
    await has('send: 2/2 hosts ok');
    await press('5');
    await press('r');
    await has('2 devices reporting');
    expect(ui.lastFrame()).toMatch(/test\s+\d+/);
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
    await press('1');
    await press('v');
    await has('2/2 closed the loop', 30_000);
    expect(ui.lastFrame()).toMatch(/r1\s+yes\s+yes\s+yes\s+\d+ ms\s+OK/);
  });
});
