/**
 * The console's accounts intents (issue 15): who is logged in, and the Admin screen's loads and actions
 * (delete a user from a company, change a role, revoke a token), each confirmed with y before it is sent.
 * An action the session's roles do not allow is not offered (src/console/admin.ts decides).
 */
import { describeError } from '../../errors.js';
import { adminActions, membershipRows, showsAdmin, toSessionView, type AdminTab } from '../admin.js';
import type { ConsoleApi } from '../ports.js';
import type { ConsoleStore } from '../store.js';
import type { AdminAction } from '../types.js';

type Notice = (level: 'info' | 'error', text: string) => void;

/** What the intents do with an action: its request and the sentence that reports it. */
function describeAction(a: AdminAction): { question: string; done: string } {
  switch (a.kind) {
    case 'delete-user':
      return { question: `Delete ${a.user} from ${a.company}?`, done: `${a.user} deleted from ${a.company}` };
    case 'set-role':
      return { question: `Make ${a.user} ${a.role === 'administrator' ? 'Administrator' : 'User'} of ${a.company}?`, done: `${a.user} is now ${a.role === 'administrator' ? 'Administrator' : 'User'} of ${a.company}` };
    case 'revoke-token':
      return { question: `Revoke token ${a.id} of ${a.user}?`, done: `token ${a.id} revoked` };
  }
}

/** Creates the accounts intents over the store and the API (absent without a back end). */
export function createAdminIntents(store: ConsoleStore, api: ConsoleApi | undefined, notice: Notice) {
  const loadSession = async (): Promise<void> => {
    if (api?.me === undefined) return;
    const me = await api.me();
    store.dispatch({ type: 'api/session', session: toSessionView(me) });
  };
  const loadAdmin = async (): Promise<void> => {
    if (api === undefined || !showsAdmin(store.getState().session)) return;
    const [users, tokens, audit] = await Promise.all([api.users?.(), api.tokens?.(), api.audit?.({ limit: 200 })]);
    store.dispatch({ type: 'api/admin', ...(users ? { users: users.users } : {}), ...(tokens ? { tokens: tokens.tokens } : {}), ...(audit ? { audit: audit.entries } : {}) });
  };
  const run = async (a: AdminAction): Promise<void> => {
    if (api === undefined) return;
    switch (a.kind) {
      case 'delete-user':
        await api.deleteUser?.(a.user, a.company);
        return;
      case 'set-role':
        await api.setRole?.(a.user, a.company, a.role);
        return;
      case 'revoke-token':
        await api.revokeToken?.(a.id);
        return;
    }
  };
  return {
    /** Reads who the console acts as; failures leave the status line without a name. */
    loadSession(): Promise<void> {
      return loadSession().catch((e: unknown) => notice('error', `Reading who is logged in failed: ${describeError(e)}`));
    },
    /** Loads the Admin screen's users, tokens and audit log. */
    loadAdmin(): Promise<void> {
      return loadAdmin().catch((e: unknown) => notice('error', `Loading the Admin screen failed: ${describeError(e)}`));
    },
    adminTab(tab: AdminTab): void {
      store.dispatch({ type: 'ui/admin-tab', tab });
    },
    /** d / m / x on the Admin screen: asks to confirm the action on the selected row, if the role allows it. */
    beginAdminAction(key: 'd' | 'm' | 'x'): void {
      const s = store.getState();
      const index = s.cursor.admin;
      if (!adminActions(s.session, s.admin, index).some(([k]) => k === key)) return notice('error', 'Not offered here: your role does not allow it for this row, or it does not apply.');
      let action: AdminAction | undefined;
      if (s.admin.tab === 'users') {
        const row = membershipRows(s.admin)[index];
        if (row !== undefined) action = key === 'd' ? { kind: 'delete-user', user: row.user, company: row.company } : { kind: 'set-role', user: row.user, company: row.company, role: /^admin/i.test(row.role) ? 'user' : 'administrator' };
      } else if (s.admin.tab === 'tokens') {
        const t = s.admin.tokens[index];
        if (t !== undefined) action = { kind: 'revoke-token', id: t.id, user: t.user };
      }
      if (action !== undefined) store.dispatch({ type: 'ui/prompt', prompt: { kind: 'confirm-admin', text: describeAction(action).question, action } });
    },
    /** y on the confirmation: sends it; the notice says what happened (a refusal in the back end's words). */
    confirmAdmin(): void {
      const p = store.getState().prompt;
      store.dispatch({ type: 'ui/prompt', prompt: { kind: 'none' } });
      if (p.kind !== 'confirm-admin') return;
      const { done } = describeAction(p.action);
      void run(p.action)
        .then(() => notice('info', done))
        .catch((e: unknown) => notice('error', describeError(e).replace(/^Error: /, '')))
        .then(() => loadSession())
        .then(() => loadAdmin())
        .catch(() => undefined);
    },
  };
}
