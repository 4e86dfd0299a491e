/**
 * parse(render(state)) = state: the lab's show renderers (through its real CLI) print a
 * configured device, and our parsers read the same configuration back.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CallHomeConfig, Profile } from '../../../src/domain/callhome.js';
import { parseDesiredYaml } from '../../../src/fleet/desired.js';
import { planPush } from '../../../src/fleet/plan.js';
import { profileSubscriptions } from '../../../src/fleet/plan-target.js';
import {
  parseShowCallHome,
  parseShowCallHomeAlertGroup,
  parseShowCallHomeDetail,
  parseShowCallHomeMailServerStatus,
  parseShowCallHomeProfile,
  parseShowCallHomeStatistics,
} from '../../../src/ios/parsers/index.js';
import type { Result } from '../../../src/util/result.js';
import type { Harness } from '../../lab/ios-cli/harness.js';
import { applyCommands, labDevice, readBack } from '../../fleet/plan/lab-apply.js';

const EXAMPLE = parseDesiredYaml(readFileSync(join(import.meta.dirname, '../../fixtures/desired/cli-md-example.yaml'), 'utf8'), 'example');

function value<T, E>(r: Result<T, E>): T {
  if (!r.ok) throw new Error(`parse failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** What a profile block shows, in comparable form. */
function shown(p: Profile) {
  return {
    name: p.name,
    active: p.active,
    transportEmail: p.transportEmail,
    transportHttp: p.transportHttp,
    emailAddresses: p.emailAddresses,
    httpUrls: p.httpUrls,
    format: p.format,
    messageSizeLimit: p.messageSizeLimit,
    subscriptions: profileSubscriptions(p),
  };
}

describe('parsers read what the lab prints', () => {
  let h: Harness;
  let config: CallHomeConfig;

  beforeAll(async () => {
    h = await labDevice();
    await applyCommands(h, planPush(await readBack(h), EXAMPLE, { prune: false }).commands);
    await applyCommands(h, ['call-home', 'source-interface GigabitEthernet1', 'http-proxy "10.1.1.1" port 3128', 'no alert-group crash']);
    config = await readBack(h);
  });

  it('show call-home detail', async () => {
    const detail = value(parseShowCallHomeDetail(await h.out('show call-home detail')));
    expect(detail.settings).toMatchObject({
      serviceEnabled: true,
      contactEmail: config.contactEmail,
      phoneNumber: config.phoneNumber,
      streetAddress: config.streetAddress,
      customerId: config.customerId,
      siteId: config.siteId,
      contractId: config.contractId,
      senderFrom: config.senderFrom,
      senderReplyTo: config.senderReplyTo,
      sourceInterface: 'GigabitEthernet1',
      httpProxy: { host: '10.1.1.1', port: 3128 },
      mailServers: config.mailServers,
      rateLimit: config.rateLimit,
      snapshotCommands: config.snapshotCommands,
    });
    expect(detail.alertGroups.find((g) => g.keyword === 'crash')?.enabled).toBe(false);
    expect(detail.profiles.map(shown).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      config.profiles.map(shown).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('show call-home profile all and one profile', async () => {
    const all = value(parseShowCallHomeProfile(await h.out('show call-home profile all'))).profiles;
    expect(all.map(shown).sort((a, b) => a.name.localeCompare(b.name))).toEqual(config.profiles.map(shown).sort((a, b) => a.name.localeCompare(b.name)));
    const one = value(parseShowCallHomeProfile(await h.out('show call-home profile noc-http'))).profiles;
    expect(one.map((p) => p.name)).toEqual(['noc-http']);
  });

  it('show call-home, alert-group, mail-server status and statistics', async () => {
    const summary = value(parseShowCallHome(await h.out('show call-home')));
    expect([...summary.profiles].sort()).toEqual(config.profiles.map((p) => p.name).sort());
    const groups = value(parseShowCallHomeAlertGroup(await h.out('show call-home alert-group')));
    expect(groups.alertGroups.filter((g) => !g.enabled).map((g) => g.keyword)).toEqual(['crash']);
    const mail = value(parseShowCallHomeMailServerStatus(await h.out('show call-home mail-server status')));
    expect(mail.servers.map((s) => s.address)).toEqual(config.mailServers.map((m) => m.host));
    const stats = value(parseShowCallHomeStatistics(await h.out('show call-home statistics')));
    expect(stats.sections.success.total).toEqual({ total: 0, email: 0, http: 0 });
  });
});
