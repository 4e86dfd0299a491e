/**
 * `startLab`: a fleet of simulated IOS devices in one process (contract 1). Each device is one
 * SSH server on 127.0.0.1 with its own persisted host key, identity and startup configuration.
 * Per-device cost is kept small so 1,000 devices fit in one process: host keys are generated
 * once and reused, ssh2 servers are created on the first connection, timers are shared.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { stringify } from 'yaml';
import { AbortError } from '../errors.js';
import { LabDevice, type DeviceFaults } from './device.js';
import type { CallHomeEngineOptions } from './engine/index.js';
import { labIdentity, type SoftwareChoice } from './identity.js';
import { loadDeviceState } from './persistence.js';
import { startDeviceServer, type DeviceServer, type LoginRules } from './ssh/server.js';
import type { DeviceIdentity } from './types.js';

export type { DeviceFaults } from './device.js';

export type LabOptions = {
  readonly devices: number;
  /** 0 = free ports; P = consecutive ports from P. */
  readonly port?: number;
  readonly stateDir: string;
  /** Port used for mail-server entries, default 25. */
  readonly smtpPort?: number;
  /** Default `admin`. */
  readonly username?: string;
  /** Default `admin`. */
  readonly password?: string;
  /** Default `cisco`. */
  readonly enableSecret?: string;
  /** Faults by device name. */
  readonly faults?: Readonly<Record<string, DeviceFaults>>;
  /** OpenSSH public key lines allowed to log in as `username` (in addition to the password). */
  readonly authorizedKeys?: readonly string[];
  /** Banner MOTD printed before the first prompt of interactive sessions. */
  readonly banner?: string;
  /** SSH login rules of every device (delay after a failed password, attempts, `ip ssh time-out`); IOS defaults. */
  readonly login?: LoginRules;
  /**
   * Software the devices run: `17.9.4a`, `16.12.5` (IOS XE), `15.2(4)M11` (classic IOS) or `mixed`
   * (the three in turn). Default: IOS XE 17.x releases in turn on the XE models.
   */
  readonly software?: SoftwareChoice;
  /** Options for every device's Call Home engine (tests use a manual scheduler). */
  readonly engine?: CallHomeEngineOptions;
};

export type LabDeviceHandle = {
  /** r1, r2, ... */
  readonly name: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly identity: DeviceIdentity;
  readonly device: LabDevice;
};

export type Lab = {
  readonly devices: readonly LabDeviceHandle[];
  /** The device called `name`; throws when there is none. */
  device(name: string): LabDeviceHandle;
  /** Writes the inventory YAML (contract 2). */
  writeInventory(file: string): Promise<void>;
  /** Writes an OpenSSH known_hosts file with every device's host key. */
  writeKnownHosts(file: string): Promise<void>;
  close(): Promise<void>;
};

/** Most devices one lab runs. */
export const MAX_LAB_DEVICES = 5000;

type Started = { handle: LabDeviceHandle; server: DeviceServer; publicKey: string };

/** Starts every device and resolves once all of them listen. */
export async function startLab(options: LabOptions): Promise<Lab> {
  const count = options.devices;
  if (!Number.isInteger(count) || count < 1 || count > MAX_LAB_DEVICES) {
    throw new AbortError(`--devices must be a whole number from 1 to ${MAX_LAB_DEVICES}, got ${count}`, 'Pass e.g. --devices 10.');
  }
  const basePort = options.port ?? 0;
  if (!Number.isInteger(basePort) || basePort < 0 || (basePort > 0 && basePort + count - 1 > 65535)) {
    throw new AbortError(`--port ${basePort} cannot hold ${count} consecutive ports`, 'Pass --port 0 for free ports, or a start port with room for every device.');
  }
  const username = options.username ?? 'admin';
  const password = options.password ?? 'admin';
  const enableSecret = options.enableSecret ?? 'cisco';
  await mkdir(options.stateDir, { recursive: true });

  const started: Started[] = [];
  const limit = pLimit(64);
  const startOne = async (index: number): Promise<Started> => {
    const name = `r${index}`;
    const state = await loadDeviceState(options.stateDir, name, () => labIdentity(index, options.software), { softwareChosen: options.software !== undefined });
    const device = new LabDevice({
      identity: state.identity,
      stateDir: options.stateDir,
      startup: state.startup,
      enableSecret,
      smtpPort: options.smtpPort ?? 25,
      ...(options.engine ? { engine: options.engine } : {}),
      ...(options.faults?.[name] ? { faults: options.faults[name] } : {}),
    });
    try {
      const server = await startDeviceServer({
        device,
        hostKey: state.hostKey,
        port: basePort === 0 ? 0 : basePort + index - 1,
        username,
        password,
        ...(options.authorizedKeys ? { authorizedKeys: options.authorizedKeys } : {}),
        ...(options.banner !== undefined ? { banner: options.banner } : {}),
        ...(options.login ? { login: options.login } : {}),
      });
      const item: Started = { handle: { name, host: '127.0.0.1', port: server.port, identity: state.identity, device }, server, publicKey: state.hostKey.publicKey };
      started.push(item);
      return item;
    } catch (error) {
      await device.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new AbortError(`port ${basePort + index - 1} for ${name} is in use`, 'Pick another --port, or --port 0 for free ports.');
      throw error;
    }
  };

  const closeAll = async (): Promise<void> => {
    await Promise.all(started.map(async (s) => {
      await s.server.close();
      await s.handle.device.close();
    }));
  };

  let devices: Started[];
  try {
    devices = await Promise.all(Array.from({ length: count }, (_, i) => limit(() => startOne(i + 1))));
  } catch (error) {
    await closeAll();
    throw error;
  }
  const byName = new Map(devices.map((d) => [d.handle.name, d.handle]));

  return {
    devices: devices.map((d) => d.handle),
    device(name) {
      const handle = byName.get(name);
      if (!handle) throw new AbortError(`no lab device called ${name}`, `Use r1..r${count}.`);
      return handle;
    },
    async writeInventory(file) {
      await writeText(file, renderInventory(devices.map((d) => d.handle), { username, password, enableSecret }));
    },
    async writeKnownHosts(file) {
      await writeText(file, devices.map((d) => `[127.0.0.1]:${d.handle.port} ${d.publicKey}\n`).join(''));
    },
    close: closeAll,
  };
}

async function writeText(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

/** The inventory YAML of contract 2 (lab credentials stand in it). */
export function renderInventory(
  handles: readonly LabDeviceHandle[],
  credentials: { readonly username: string; readonly password: string; readonly enableSecret: string },
): string {
  const hosts: Record<string, unknown> = {};
  for (const h of handles) {
    hosts[h.name] = { host: h.host, port: h.port, vars: { hostname: h.identity.hostname, serial: h.identity.serial, model: h.identity.model } };
  }
  const doc = {
    defaults: { username: credentials.username, password: credentials.password, 'enable-secret': credentials.enableSecret },
    groups: { lab: { hosts: handles.map((h) => h.name), vars: {} } },
    hosts,
  };
  return `# callhome inventory (written by callhome lab)\n${stringify(doc)}`;
}
