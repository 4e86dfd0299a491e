/** Shared set-up for back-end tests: a real back end on loopback over a temp SQLite file. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type Backend, type BackendOptions } from '../../src/backend/server.js';
import { DDCE_SERVICE_PATH } from '../../src/domain/callhome.js';
import type { BackendEvent } from '../../src/events/protocol.js';

export const TOKEN = 'test-token-0123456789';
export const SAMPLE_XML = readFileSync(new URL('../fixtures/backend/sample-syslog.xml', import.meta.url), 'utf8');

export type TestBackend = Backend & { dir: string; events: BackendEvent[]; stop(): Promise<void> };

/** Starts a back end on free ports with a temp database; records every published event. */
export async function startTestBackend(extra: Partial<BackendOptions> = {}): Promise<TestBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'callhome-backend-'));
  const backend = await startBackend({ dbPath: join(dir, 'callhome.db'), httpPort: 0, smtpPort: 0, token: TOKEN, ...extra });
  const events: BackendEvent[] = [];
  backend.eventLog.subscribe((e) => events.push(e));
  return {
    ...backend,
    dir,
    events,
    async stop() {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Posts a body to the device endpoint. */
export async function postXml(url: string, body: string | Uint8Array, contentType = 'application/soap+xml; charset=utf-8'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${DDCE_SERVICE_PATH}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Calls the REST API with the test token (or the given one). */
export async function api<T = Record<string, unknown>>(url: string, path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<{ status: number; body: T }> {
  const token = init.token === undefined ? TOKEN : init.token;
  const res = await fetch(`${url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The sample message with a different serial / id / type / severity / description. */
export function sampleWith(o: { serial?: string; messageId?: string; hostname?: string; type?: string; severity?: number; description?: string; email?: string }): string {
  let x = SAMPLE_XML;
  if (o.serial) x = x.replaceAll('9S1NMSF22DW', o.serial);
  if (o.messageId) x = x.replace(/<aml-session:MessageId>[^<]*</, `<aml-session:MessageId>${o.messageId}<`);
  if (o.hostname !== undefined) x = x.replace('<ch:Name>qiang-vm</ch:Name>', `<ch:Name>${o.hostname}</ch:Name>`);
  if (o.type) x = x.replace('<ch:Type>syslog</ch:Type>', `<ch:Type>${o.type}</ch:Type>`);
  if (o.severity !== undefined) x = x.replace('<aml-block:Severity>2<', `<aml-block:Severity>${o.severity}<`);
  if (o.description !== undefined) x = x.replace(/<ch:MessageDescription>[\s\S]*?<\/ch:MessageDescription>/, `<ch:MessageDescription>${o.description}</ch:MessageDescription>`);
  if (o.email !== undefined) x = x.replaceAll('weijuhua@cisco.com', o.email);
  return x;
}
