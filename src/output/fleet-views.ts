/** How each fleet command shows its data to a person: the `detail` column and an optional aggregate. */
import type { Profile } from '../domain/callhome.js';
import type { ExecData, PushData, VerifyData } from '../domain/fleet.js';
import type { CallHomeStatistics } from '../domain/statistics.js';
import type { ShowCallHomeMailServerStatus } from '../ios/parsers/show-call-home-mail-server-status.js';
import type { ShowCallHomeDetail } from '../ios/parsers/show-call-home.js';
import { aggregateCallHomeDetail, describeCallHomeDetail } from './config-aggregate.js';
import type { FleetView } from './fleet-output.js';
import { aggregateStatistics, describeStatistics } from './stats-aggregate.js';

/** `push`: what changed, or what would (dry run). */
export function pushView(dryRun: boolean): FleetView<PushData> {
  return {
    detail: (r) => {
      if (!r.changed) return 'already as desired';
      if (dryRun) return `would change:\n  ${(r.data?.diff ?? []).join('\n  ')}\ncommands:\n  ${r.commands.join('\n  ')}`;
      return `${r.commands.length} command(s) applied and verified${r.data?.saved ? ', saved' : ''}`;
    },
  };
}

/** `verify`: the loop's result per device. */
export const verifyView: FleetView<VerifyData> = {
  detail: (r) => {
    const d = r.data;
    if (d === null || d.brokenAt === 'ssh') return `broken at ssh: ${r.error?.message ?? 'no session'}`;
    if (d.brokenAt === null) return `configured, sent, received in ${d.latencyMs ?? '?'} ms (${d.messageId ?? ''})`;
    return `broken at ${d.brokenAt}: ${r.error?.message ?? ''}`;
  },
};

/** `exec`: the output, on its own lines when it has several. */
export const execView: FleetView<ExecData> = {
  detail: (r) => {
    const output = r.data?.output ?? '';
    return output.split('\n').length > 1 ? `\n${output}` : output;
  },
};

/** `send` and `request`: the command line each device ran. */
export function commandLineView(line: string): FleetView<ExecData> {
  return { detail: () => line };
}

export const statsView: FleetView<CallHomeStatistics> = { detail: describeStatistics, aggregate: aggregateStatistics };

export const mailStatusView: FleetView<ShowCallHomeMailServerStatus> = {
  detail: (r) => {
    const servers = r.data?.servers ?? [];
    if (servers.length === 0) return 'no mail server';
    return servers.map((s) => `${s.address} [${s.priority}] ${s.available ? 'available' : 'UNAVAILABLE'}`).join(', ');
  },
};

export const profilesView: FleetView<{ readonly profiles: readonly Profile[] }> = {
  detail: (r) => (r.data?.profiles ?? []).map((p) => `${p.name}${p.active ? '' : ' (inactive)'}`).join(', '),
};

export const showConfigView: FleetView<ShowCallHomeDetail> = { detail: describeCallHomeDetail, aggregate: aggregateCallHomeDetail };
