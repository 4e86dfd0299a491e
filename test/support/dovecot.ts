/**
 * A throw-away Dovecot IMAP server on loopback for the gateway's mailbox tests: its own configuration,
 * mail and run directories in a temp dir, one plain-text account, no TLS. It runs unprivileged: as the
 * current user, or as nobody when the tests run as root. `.ci/run` installs dovecot-imapd when missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export type Dovecot = { readonly port: number; readonly user: string; readonly password: string; close(): Promise<void> };

const NOBODY = 65534;

function findDovecot(): string {
  for (const p of ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot']) if (spawnSync(p, ['--version']).status === 0) return p;
  throw new Error('Dovecot is not installed: the IMAP mailbox tests need it (apt-get install dovecot-imapd; .ci/run installs it).');
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts Dovecot on 127.0.0.1:`port`; rejects with a clear message when it does not come up within 15 s. */
export async function startDovecot(port: number): Promise<Dovecot> {
  const binary = findDovecot();
  const dir = mkdtempSync(join(tmpdir(), 'callhome-dovecot-'));
  const root = process.getuid?.() === 0;
  const uid = root ? NOBODY : userInfo().uid;
  const gid = root ? NOBODY : userInfo().gid;
  const user = root ? 'nobody' : userInfo().username;
  const group = root ? 'nogroup' : (spawnSync('id', ['-gn']).stdout.toString().trim() || user);
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
  const password = 'gateway-test-secret';
  writeFileSync(join(dir, 'users'), `gateway:{PLAIN}${password}\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
default_internal_user = ${user}
default_internal_group = ${group}
default_login_user = ${user}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  if (root) {
    chmodSync(dir, 0o755);
    const own = (p: string): void => {
      chownSync(p, uid, gid);
      for (const e of readdirSync(p, { withFileTypes: true })) (e.isDirectory() ? own : (f: string) => chownSync(f, uid, gid))(join(p, e.name));
    };
    own(dir);
  }
  const child: ChildProcess = spawn(binary, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'], ...(root ? { uid, gid } : {}) });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const close = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    await gone;
    rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (exited || Date.now() > end) {
      let log = '';
      try {
        log = (await import('node:fs')).readFileSync(join(dir, 'dovecot.log'), 'utf8');
      } catch {
        // no log written
      }
      await close();
      throw new Error(`Dovecot did not start on 127.0.0.1:${port} (${exited ? 'it exited' : 'timed out'}): ${stderr.trim()} ${log.trim().split('\n').slice(-5).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, user: 'gateway', password, close };
}
