/**
 * What the console core needs from the outside world, as types only: the back end's REST API and
 * the fleet over SSH. The adapters in ./adapters implement them; tests may pass their own.
 */
import type { ApiClient } from '../client/api-client.js';
import type { FleetHostResult, VerifyRow } from './types.js';

/** The REST calls the console makes. */
export type ConsoleApi = Pick<ApiClient, 'messages' | 'message' | 'devices' | 'cases' | 'case' | 'notifications' | 'confirmRegistration' | 'gateways'> &
  // sr-notify: closing and updating cases from the cases screen (optional: tests may leave them out).
  Partial<Pick<ApiClient, 'updateCase' | 'closeCase'>> &
  // accounts-cli: who is logged in and the Admin screen (optional: a back end without accounts has none).
  Partial<Pick<ApiClient, 'me' | 'users' | 'tokens' | 'audit' | 'deleteUser' | 'setRole' | 'revokeToken'>>;

/** Fleet work the console can start; implemented over SSH by adapters/fleet-port.ts. */
export type FleetPort = {
  /** Reads from devices: statistics, mail-server status or profiles. */
  read(op: 'stats' | 'mail-status' | 'profiles', hosts: readonly string[], onResult: (r: FleetHostResult) => void): Promise<void>;
  /** `call-home test` or `call-home send alert-group GROUP`. */
  send(hosts: readonly string[], what: { readonly test: true } | { readonly alertGroup: string }, onResult: (r: FleetHostResult) => void): Promise<void>;
  /** Commands a push would send per host (dry run); absent when no desired configuration was given. */
  preview?(hosts: readonly string[]): Promise<Record<string, readonly string[]>>;
  push?(hosts: readonly string[], onResult: (r: FleetHostResult) => void): Promise<void>;
  verify?(hosts: readonly string[], onRow: (row: VerifyRow) => void): Promise<void>;
};
