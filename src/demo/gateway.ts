/**
 * `callhome demo --gateway`: a Transport Gateway between the HTTP half of the lab and the back end
 * (issue 17). It is registered for the first demo company, so that company's Administrator sees its
 * events; its queue, credentials and weekly logs live in the demo's directory.
 */
import { join } from 'node:path';
import { writeCredentials } from '../gateway/credentials.js';
import { startGateway, type Gateway } from '../gateway/gateway.js';

export type DemoGateway = {
  readonly id: string;
  readonly name: string;
  /** Where devices post: http://127.0.0.1:PORT */
  readonly url: string;
  readonly queueDir: string;
  readonly gateway: Gateway;
};

/** Registers a gateway with the bootstrap token and starts it in front of `backendUrl`. */
export async function startDemoGateway(backendUrl: string, token: string, dir: string, company: string): Promise<DemoGateway> {
  const res = await fetch(`${backendUrl}/api/v1/gateways`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'demo-branch', company }) });
  if (res.status !== 201) throw new Error(`registering the demo gateway failed: HTTP ${res.status} ${await res.text()}`);
  const issued = (await res.json()) as { id: string; name: string; password: string; registeredAt: string };
  const queueDir = join(dir, 'gateway');
  writeCredentials(queueDir, issued);
  const gateway = await startGateway({
    queueDir,
    name: issued.name,
    target: { backend: new URL(backendUrl) },
    httpPort: 0,
    credentials: () => ({ id: issued.id, password: issued.password }),
    // A demo is watched: report within a second of a change, and every 10 s.
    report: { everyMs: 10_000, minGapMs: 1_000 },
    minBackoffMs: 500,
    maxBackoffMs: 5_000,
  });
  return { id: issued.id, name: issued.name, url: `http://127.0.0.1:${gateway.httpPort ?? 0}`, queueDir, gateway };
}
