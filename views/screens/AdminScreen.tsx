import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { ADMIN_TABS, adminActions, membershipRows, type AuditRow, type MembershipRow, type TokenRow } from '../../src/console/admin.js';
import type { ColumnSpec } from '../../src/console/columns.js';
import { formatTime, type TimeStyle } from '../../src/console/time-style.js';
import type { ConsoleState } from '../../src/console/types.js';
import { KeyHints } from '../components/KeyHints.js';
import { Table } from '../components/Table.js';

const userColumns: ColumnSpec<MembershipRow>[] = [
  { header: 'Company', width: 14, min: 8, cell: (r) => r.company },
  { header: 'User', width: 14, min: 8, cell: (r) => r.user },
  { header: 'Name', width: 18, min: 8, grow: 1, cell: (r) => r.name ?? '' },
  { header: 'Role', width: 13, cell: (r) => (/^admin/i.test(r.role) ? 'Administrator' : 'User'), tone: (r) => (/^admin/i.test(r.role) ? 'cyan' : undefined) },
  { header: 'Status', width: 23, min: 8, cell: (r) => r.status, tone: (r) => (r.status === 'active' ? 'green' : 'yellow') },
];

function tokenColumns(style: TimeStyle): ColumnSpec<TokenRow>[] {
  return [
    { header: 'Token', width: 14, min: 8, cell: (t) => t.id },
    { header: 'User', width: 12, min: 8, cell: (t) => t.user },
    { header: 'Label', width: 14, min: 6, grow: 1, cell: (t) => t.label },
    { header: 'State', width: 8, cell: (t) => t.state, tone: (t) => (t.state === 'active' ? 'green' : 'gray') },
    { header: 'Expires', width: style === 'utc' ? 20 : 25, min: 10, cell: (t, c) => formatTime(t.expiresAt, c.timeStyle) },
    { header: 'Last used', width: style === 'utc' ? 20 : 25, min: 10, cell: (t, c) => formatTime(t.lastUsedAt, c.timeStyle) },
  ];
}

function auditColumns(style: TimeStyle): ColumnSpec<AuditRow>[] {
  return [
    { header: 'When', width: style === 'utc' ? 20 : 25, min: 10, cell: (e, c) => formatTime(e.at, c.timeStyle) },
    { header: 'Who', width: 12, min: 6, cell: (e) => e.actor },
    { header: 'Action', width: 22, min: 10, cell: (e) => e.action },
    { header: 'Target', width: 14, min: 6, grow: 1, cell: (e) => e.target },
    { header: 'Company', width: 10, min: 6, cell: (e) => e.company ?? '' },
    { header: 'From', width: 15, min: 6, cell: (e) => e.remote ?? '' },
  ];
}

/** Administrators only (the screen is not offered to others): users and roles, tokens, the audit log. */
export function AdminScreen(props: { readonly state: ConsoleState; readonly height: number }): ReactNode {
  const { state } = props;
  const { admin } = state;
  const height = Math.max(3, props.height - 3);
  const cursor = state.cursor.admin;
  const offered = adminActions(state.session, admin, cursor);
  const table =
    admin.tab === 'users' ? (
      <Table columns={userColumns} rows={membershipRows(admin)} selected={cursor} height={height} empty={admin.loaded ? '  No users you may see.' : '  Loading…'} />
    ) : admin.tab === 'tokens' ? (
      <Table columns={tokenColumns(state.timeStyle)} rows={admin.tokens} selected={cursor} height={height} empty={admin.loaded ? '  No tokens.' : '  Loading…'} />
    ) : (
      <Table columns={auditColumns(state.timeStyle)} rows={admin.audit} selected={cursor} height={height} empty={admin.loaded ? '  No audit entries.' : '  Loading…'} />
    );
  return (
    <Box flexDirection="column">
      <Box gap={2}>
        {ADMIN_TABS.map((t) => (
          <Text key={t} inverse={t === admin.tab}>
            {t === 'users' ? 'u users & roles' : t === 'tokens' ? 'o tokens' : 'l audit log'}
          </Text>
        ))}
      </Box>
      {table}
      <KeyHints hints={[...offered, ['r', 'reload']]} />
    </Box>
  );
}
