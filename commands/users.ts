import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { withBackendOptions } from '../src/cli/options.js';
import { accountsClient, parseRole, required, rolesText, type AccountsDeps, type BackendFlags } from '../src/client/accounts.js';
import type { ApiUser } from '../src/client/api-client.js';
import { defaultOutput, printJson, printList } from '../src/client/output.js';
import { roleLabel } from '../src/session.js';
import { readDirectoryFile } from '../src/backend/accounts/directory-file.js';

export type UsersOptions = BackendFlags & {
  action: 'list' | 'add' | 'delete' | 'role' | 'import';
  id?: string | undefined;
  role?: string | undefined;
  company?: string | undefined;
};

/** `users list | add ID | delete ID | role ID ROLE | import FILE` (the back-office directory, SCH administrators). */
export async function runUsers(opts: UsersOptions, deps: AccountsDeps = defaultOutput): Promise<void> {
  const api = accountsClient(opts, deps);
  if (opts.action === 'list') {
    const { users } = await api.users();
    const columns = [
      { header: 'User', cell: (u: ApiUser) => u.id },
      { header: 'Name', cell: (u: ApiUser) => u.name ?? '' },
      { header: 'E-mail', cell: (u: ApiUser) => u.email ?? '' },
      { header: 'Status', cell: (u: ApiUser) => u.status },
      { header: 'Roles', cell: (u: ApiUser) => rolesText(u) },
    ];
    return printList(deps, opts.json, 'users', users, columns, 'No users you may see.');
  }
  if (opts.action === 'import') {
    const file = required(opts.id, 'the directory file', 'callhome users import examples/directory.yaml');
    const r = await api.importDirectory(readDirectoryFile(file));
    return opts.json ? printJson(deps, r) : deps.stdout(`Imported ${r.companies} companies, ${r.users} users and ${r.memberships} registrations from ${file}.\n`);
  }
  const id = required(opts.id, 'the user ID', `callhome users ${opts.action} jdoe${opts.action === 'role' ? ' administrator' : ''} --company Acme`);
  if (opts.action === 'add') {
    const company = required(opts.company, '--company', `callhome users add ${id} --company Acme --role user`);
    const user = await api.addUser(id, company, parseRole(opts.role ?? 'user'));
    const pending = user.status === 'pending-legal-agreement' ? ' They accept the legal agreement at their first `callhome login`.' : '';
    return opts.json ? printJson(deps, { user }) : deps.stdout(`Added ${user.id} (${user.name ?? '?'}): ${rolesText(user)}; status ${user.status}.${pending}\n`);
  }
  if (opts.action === 'delete') {
    const company = required(opts.company, '--company', `callhome users delete ${id} --company Acme`);
    const r = await api.deleteUser(id, company);
    return opts.json ? printJson(deps, r) : deps.stdout(`Deleted ${id} from ${company}.\n`);
  }
  const role = parseRole(required(opts.role, 'the role', `callhome users role ${id} administrator --company Acme`));
  const company = required(opts.company, '--company', `callhome users role ${id} ${role} --company Acme`);
  const user = await api.setRole(id, company, role);
  return opts.json ? printJson(deps, { user }) : deps.stdout(`${user.id} is now ${roleLabel(role)} of ${company} (${rolesText(user)}).\n`);
}

/** `callhome users`: the users of your companies; administrators add, delete and change roles. */
export const usersCommand: CommandModule<object, UsersOptions> = {
  command: 'users [action] [id] [role]',
  describe: 'List the users of your companies; add, delete or change the role of one (Administrators)',
  builder: (y: Argv) =>
    withBackendOptions(y)
      .positional('action', { choices: ['list', 'add', 'delete', 'role', 'import'] as const, default: 'list', describe: 'list | add ID --company C | delete ID --company C | role ID ROLE --company C | import FILE' })
      .positional('id', { type: 'string', describe: 'User ID (CCO-ID style); import: the directory file (YAML or CSV)' })
      .positional('role', { type: 'string', describe: 'administrator or user' })
      .option('company', { type: 'string', describe: 'Company ID of the registration (add, delete, role)' })
      .option('role', { type: 'string', describe: 'add: administrator or user (default user)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' })
      .example('$0 users add jdoe --company Acme --role user', 'Register a colleague of Acme as User') as unknown as Argv<UsersOptions>,
  handler: (argv: ArgumentsCamelCase<UsersOptions>) => runUsers(argv),
};
