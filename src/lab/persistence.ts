/**
 * The lab's state directory, so a restarted lab keeps its host keys, identities and saved
 * configurations:
 *
 *   STATE_DIR/devices/<name>/ssh_host_ed25519_key   OpenSSH private key (mode 0600)
 *   STATE_DIR/devices/<name>/identity.json          DeviceIdentity
 *   STATE_DIR/devices/<name>/startup-config.json    {"version":1,"config":RunningConfig}
 *                                                   (hostname, callHome: CallHomeConfig, trustpoints, ...)
 *
 * startup-config.json is written by `copy running-config startup-config` / `write memory` and
 * loaded as running configuration at the next start. A broken file is an error naming the file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';
import { generateSshKeyPair } from '../util/ssh-keys.js';
import { z } from 'zod';
import { defaultCallHomeConfig, trainOfVersion, type CallHomeConfig } from '../domain/callhome.js';
import { AbortError } from '../errors.js';
import type { RunningConfig } from './ios-cli/types.js';
import type { DeviceIdentity } from './types.js';

/** A host key as the SSH server and known_hosts need it. */
export type HostKey = {
  /** OpenSSH private key text. */
  readonly privateKey: string;
  /** `ssh-ed25519 AAAA...` */
  readonly publicKey: string;
};

/** What a device keeps between runs. */
export type DeviceState = {
  readonly hostKey: HostKey;
  readonly identity: DeviceIdentity;
  readonly startup: RunningConfig | null;
};

const { utils } = ssh2;

const IdentitySchema = z.object({
  name: z.string().min(1),
  hostname: z.string().min(1),
  serial: z.string().min(1),
  model: z.string().min(1),
  series: z.string(),
  softwareVersion: z.string(),
  hardwareVersion: z.string(),
  partNumber: z.string(),
  systemObjectId: z.string(),
});

const StartupSchema = z.object({
  version: z.literal(1),
  config: z.object({
    hostname: z.string().min(1),
    callHome: z.record(z.string(), z.unknown()),
    trustpoints: z.array(z.object({ name: z.string(), enrollmentTerminal: z.boolean(), authenticated: z.boolean() })).default([]),
    httpClientSourceInterface: z.string().optional(),
  }),
});

/** Directory of one device's state. */
export function deviceDir(stateDir: string, name: string): string {
  return path.join(stateDir, 'devices', name);
}

/**
 * Generates a new ed25519 host key. ssh2 1.17 writes about 1 in 200 keys with a 31-byte public
 * key (a leading zero byte dropped) that it then cannot parse, so such keys are drawn again.
 */
export function generateHostKey(): HostKey {
  const pair = generateSshKeyPair('ed25519');
  return { privateKey: pair.privateKey, publicKey: publicKeyOf(pair.privateKey) };
}

/** `ssh-ed25519 AAAA...` of an OpenSSH private key. */
export function publicKeyOf(privateKey: string): string {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new Error('no key in host key file');
  return `${key.type} ${key.getPublicSSH().toString('base64')}`;
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Writes via a temporary file so a crash never leaves half a file. */
async function writeAtomic(file: string, text: string, mode = 0o644): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, file);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AbortError(`${file} is not valid JSON: ${(error as Error).message}`, 'Fix or delete the file; the lab recreates it with defaults.');
  }
}

function startupFromFile(file: string, text: string, identity: DeviceIdentity): RunningConfig {
  const parsed = StartupSchema.safeParse(parseJson(file, text));
  if (!parsed.success) {
    throw new AbortError(`${file} is not a lab startup configuration: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'Fix or delete the file; the device then starts with the factory configuration.');
  }
  const c = parsed.data.config;
  // Fields added in later versions fall back to the factory defaults.
  const callHome = { ...defaultCallHomeConfig(identity.serial, trainOfVersion(identity.softwareVersion)), ...c.callHome } as CallHomeConfig;
  return {
    hostname: c.hostname,
    callHome,
    trustpoints: c.trustpoints,
    ...(c.httpClientSourceInterface !== undefined ? { httpClientSourceInterface: c.httpClientSourceInterface } : {}),
  };
}

/**
 * Loads a device's state, creating what is missing: a host key (generated once, then reused),
 * the identity (from `makeIdentity`, then kept even if the generator changes) and no startup config.
 */
export async function loadDeviceState(
  stateDir: string,
  name: string,
  makeIdentity: () => DeviceIdentity,
  options: { readonly softwareChosen?: boolean } = {},
): Promise<DeviceState> {
  const dir = deviceDir(stateDir, name);
  await mkdir(dir, { recursive: true });
  const keyFile = path.join(dir, 'ssh_host_ed25519_key');
  const privateKey = await readOptional(keyFile);
  let hostKey: HostKey;
  if (privateKey === null) {
    hostKey = generateHostKey();
    await writeAtomic(keyFile, hostKey.privateKey, 0o600);
  } else {
    try {
      hostKey = { privateKey, publicKey: publicKeyOf(privateKey) };
    } catch (error) {
      throw new AbortError(`${keyFile} is not a usable host key: ${(error as Error).message}`, 'Delete the file; the lab generates a new key (clients then see a changed host key).');
    }
  }

  const identityFile = path.join(dir, 'identity.json');
  const identityText = await readOptional(identityFile);
  let identity: DeviceIdentity;
  if (identityText === null) {
    identity = makeIdentity();
    await writeAtomic(identityFile, `${JSON.stringify(identity, null, 2)}\n`);
  } else {
    const parsed = IdentitySchema.safeParse(parseJson(identityFile, identityText));
    if (!parsed.success) throw new AbortError(`${identityFile} is not a device identity: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'Fix or delete the file.');
    identity = parsed.data;
    // `callhome lab --software X` on a state directory made for other software: the device is reinstalled.
    const wanted = options.softwareChosen ? makeIdentity() : undefined;
    if (wanted && wanted.softwareVersion !== identity.softwareVersion) {
      identity = wanted;
      await writeAtomic(identityFile, `${JSON.stringify(identity, null, 2)}\n`);
    }
  }

  const startupFile = path.join(dir, 'startup-config.json');
  const startupText = await readOptional(startupFile);
  const startup = startupText === null ? null : startupFromFile(startupFile, startupText, identity);
  return { hostKey, identity, startup };
}

/** Saves the startup configuration of a device (`write memory`). */
export async function saveStartupConfig(stateDir: string, name: string, config: RunningConfig): Promise<void> {
  const dir = deviceDir(stateDir, name);
  await mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, 'startup-config.json'), `${JSON.stringify({ version: 1, config }, null, 2)}\n`);
}
