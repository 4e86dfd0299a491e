/** The real push planner: the running-config parser and src/fleet/plan.ts behind the PushPlanner port. */
import type { DesiredConfig } from './desired.js';
import { planPush, planRestore, verifyConfig } from './plan.js';
import type { PushPlanner } from './push.js';
import { parseRunningConfigCallHome } from '../ios/parsers/running-config-call-home.js';

/** Used by `push`, `verify`, the console and the demo. */
export const pushPlanner: PushPlanner<DesiredConfig> = {
  // A section filter prints nothing on a factory-default device.
  parseRunning: (output, serial) => parseRunningConfigCallHome(output, { serial, allowEmpty: true }),
  planPush: (current, desired, options) => planPush(current, desired, options),
  planRestore: (current, previous) => planRestore(current, previous),
  verifyConfig: (current, desired) => verifyConfig(current, desired),
};
