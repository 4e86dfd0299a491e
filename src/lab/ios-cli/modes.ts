/** Prompts and mode navigation (spec §1, C1–C3). */
import { assertNever } from '../../util/assert-never.js';
import type { CliMode } from '../types.js';

/**
 * IOS shortens long hostnames in configuration-mode prompts; we keep the first 20 characters
 * there (EXEC prompts show the whole name), which is what IOS XE does on the platforms we model.
 */
export const CONFIG_PROMPT_HOSTNAME_MAX = 20;

/** The prompt for a mode, e.g. `R1>`, `R1#`, `R1(cfg-call-home-profile)#`. */
export function promptFor(hostname: string, mode: CliMode): string {
  const short = hostname.slice(0, CONFIG_PROMPT_HOSTNAME_MAX);
  switch (mode.kind) {
    case 'user':
      return `${hostname}>`;
    case 'privileged':
      return `${hostname}#`;
    case 'config':
      return `${short}(config)#`;
    case 'call-home':
      return `${short}(cfg-call-home)#`;
    case 'profile':
      return `${short}(cfg-call-home-profile)#`;
    case 'snapshot':
      return `${short}(cfg-call-home-snapshot)#`;
    case 'diagnostic-signature':
      return `${short}(cfg-call-home-diag-sign)#`;
    case 'trustpoint':
      return `${short}(ca-trustpoint)#`;
    default:
      return assertNever(mode, 'CLI mode');
  }
}

/** The mode `exit` goes to; null from EXEC modes (the session closes). */
export function parentMode(mode: CliMode): CliMode | null {
  switch (mode.kind) {
    case 'user':
    case 'privileged':
      return null;
    case 'config':
      return { kind: 'privileged' };
    case 'call-home':
    case 'trustpoint':
      return { kind: 'config' };
    case 'profile':
    case 'snapshot':
    case 'diagnostic-signature':
      return { kind: 'call-home' };
    default:
      return assertNever(mode, 'CLI mode');
  }
}

/** True in any configuration mode. */
export function isConfigMode(mode: CliMode): boolean {
  return mode.kind !== 'user' && mode.kind !== 'privileged';
}

/** The heading IOS prints above `?` at the start of a line in each mode. */
export function helpHeading(mode: CliMode): string {
  switch (mode.kind) {
    case 'user':
    case 'privileged':
      return 'Exec commands:';
    case 'config':
      return 'Configure commands:';
    case 'call-home':
      return 'Call-home configuration commands:';
    case 'profile':
      return 'Call-home profile configuration commands:';
    case 'snapshot':
      return 'Call-home snapshot configuration commands:';
    case 'diagnostic-signature':
      return 'Call-home diagnostic-signature configuration commands:';
    case 'trustpoint':
      return 'CA trustpoint configuration commands:';
    default:
      return assertNever(mode, 'CLI mode');
  }
}
