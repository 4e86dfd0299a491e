import { describe, expect, it } from 'vitest';
import { CTRL_Z } from '../../../src/lab/ios-cli/index.js';
import { Harness } from './harness.js';

const caret = (prompt: string, column: number): string => `${' '.repeat(prompt.length + column)}^\n% Invalid input detected at '^' marker.\n\n`;

async function privileged(): Promise<Harness> {
  const h = new Harness();
  await h.enable();
  return h;
}

describe('modes and prompts', () => {
  it('walks user → privileged → config → call-home → profile and back', async () => {
    const h = new Harness();
    expect(h.prompt()).toBe('R1>');
    const r = await h.run('enable');
    expect(r).toMatchObject({ kind: 'password', prompt: 'Password: ' });
    if (r.kind !== 'password') return;
    expect(await r.submit('cisco')).toEqual({ kind: 'output', output: '' });
    expect(h.prompt()).toBe('R1#');
    expect(await h.out('conf t')).toBe('Enter configuration commands, one per line.  End with CNTL/Z.\n');
    expect(h.prompt()).toBe('R1(config)#');
    await h.ok('call-home');
    expect(h.prompt()).toBe('R1(cfg-call-home)#');
    await h.ok('profile p1');
    expect(h.prompt()).toBe('R1(cfg-call-home-profile)#');
    await h.ok('exit');
    expect(h.prompt()).toBe('R1(cfg-call-home)#');
    await h.ok('alert-group-config snapshot');
    expect(h.prompt()).toBe('R1(cfg-call-home-snapshot)#');
    await h.ok('end');
    expect(h.prompt()).toBe('R1#');
    await h.ok('configure terminal', 'crypto pki trustpoint cisco');
    expect(h.prompt()).toBe('R1(ca-trustpoint)#');
    await h.ok('exit', 'exit');
    expect(h.prompt()).toBe('R1#');
    await h.ok('disable');
    expect(h.prompt()).toBe('R1>');
    expect(await h.run('exit')).toEqual({ kind: 'close', output: '' });
  });

  it('asks three times for a wrong enable secret, then says Bad secrets', async () => {
    const h = new Harness();
    let r = await h.run('en');
    for (let i = 0; i < 2; i += 1) {
      if (r.kind !== 'password') throw new Error('expected a password prompt');
      r = await r.submit('wrong');
    }
    if (r.kind !== 'password') throw new Error('expected a password prompt');
    expect(await r.submit('wrong')).toEqual({ kind: 'output', output: '% Bad secrets\n\n' });
    expect(h.prompt()).toBe('R1>');
  });

  it('Ctrl-Z ends configuration from any sub-mode, running the line first', async () => {
    const h = await privileged();
    await h.ok('configure terminal', 'call-home', 'profile p1');
    expect(await h.out(`active${CTRL_Z}`)).toBe('');
    expect(h.prompt()).toBe('R1#');
    await h.ok('configure terminal');
    await h.out(CTRL_Z);
    expect(h.prompt()).toBe('R1#');
    expect(h.device.logLines.at(-1)).toContain('%SYS-5-CONFIG_I');
  });

  it('truncates long hostnames to 20 characters in configuration prompts only', async () => {
    const h = await privileged();
    await h.ok('configure terminal', 'hostname Very-Long-Hostname-0123456789', 'end');
    expect(h.prompt()).toBe('Very-Long-Hostname-0123456789#');
    await h.ok('configure terminal', 'call-home');
    expect(h.prompt()).toBe('Very-Long-Hostname-0(cfg-call-home)#');
  });

  it('runs a parent-mode command from a sub-mode and moves there, as IOS does', async () => {
    const h = await privileged();
    await h.ok('configure terminal', 'call-home', 'profile p1');
    await h.ok('service call-home');
    expect(h.prompt()).toBe('R1(config)#');
    expect(h.device.running().callHome.serviceEnabled).toBe(true);
    await h.ok('call-home', 'profile p1', 'mail-server 10.0.0.1 priority 3');
    expect(h.prompt()).toBe('R1(cfg-call-home)#');
  });

  it('runs EXEC commands from configuration with do', async () => {
    const h = await privileged();
    await h.ok('configure terminal', 'call-home');
    expect(await h.out('do show privilege')).toBe('Current privilege level is 15\n');
    expect(await h.out('do sh run | i ^hostname')).toBe('hostname R1\n');
    expect(h.prompt()).toBe('R1(cfg-call-home)#');
  });

  it('keeps user EXEC away from privileged commands', async () => {
    const h = new Harness();
    expect(await h.out('show privilege')).toBe('Current privilege level is 1\n');
    expect(await h.out('show running-config')).toBe(caret('R1>', 5));
    expect(await h.out('configure terminal')).toBe(caret('R1>', 0));
  });
});

describe('IOS error forms', () => {
  it('puts the caret under the offending character of a keyword', async () => {
    const h = await privileged();
    expect(await h.out('show call-homx')).toBe(caret('R1#', 13));
    expect(await h.out('show xyz')).toBe(caret('R1#', 5));
    expect(await h.out('show version extra')).toBe(caret('R1#', 13));
  });

  it('puts the caret at the start of a bad argument', async () => {
    const h = await privileged();
    await h.ok('configure terminal', 'call-home');
    const p = 'R1(cfg-call-home)#';
    expect(await h.out('mail-server smtp.example.com priority 101')).toBe(caret(p, 38));
    expect(await h.out('mail-server smtp.example.com priority 0')).toBe(caret(p, 38));
    expect(await h.out('rate-limit 61')).toBe(caret(p, 11));
    expect(await h.out('http-proxy 1.1.1.1 port 65536')).toBe(caret(p, 24));
    expect(await h.out('contact-email-addr not-an-email')).toBe(caret(p, 19));
  });

  it('reports incomplete and ambiguous commands', async () => {
    const h = await privileged();
    expect(await h.out('show')).toBe('% Incomplete command.\n\n');
    expect(await h.out('configure')).toBe('% Incomplete command.\n\n');
    expect(await h.out('c')).toBe('% Ambiguous command:  "c"\n');
    expect(await h.out('show c')).toBe('% Ambiguous command:  "show c"\n');
    await h.ok('configure terminal', 'call-home');
    expect(await h.out('mail-server smtp.example.com')).toBe('% Incomplete command.\n\n');
    expect(await h.out('s')).toBe('% Ambiguous command:  "s"\n');
  });

  it('says which prefix is ambiguous between contact-email-addr and contract-id', async () => {
    const h = await privileged();
    await h.ok('conf t', 'call-home');
    expect(await h.out('cont a@b.c')).toBe('% Ambiguous command:  "cont a@b.c"\n');
  });

  it('treats an unknown single word in EXEC as a host name, as IOS does', async () => {
    const h = await privileged();
    expect(await h.out('foo')).toBe('Translating "foo"\n% Unknown command or computer name, or unable to find computer address\n');
  });
});

describe('abbreviations and quoting', () => {
  it('accepts unique prefixes everywhere', async () => {
    const h = await privileged();
    await h.ok('conf t', 'call-h', 'conta username@example.com', 'mail 10.1.1.1 pri 5', 'prof p1', 'dest message-size 4096', 'dest pref long', 'sub syslog sev maj pat "LINK-3"', 'end');
    const c = h.device.running().callHome;
    expect(c.contactEmail).toBe('username@example.com');
    expect(c.mailServers).toEqual([{ host: '10.1.1.1', priority: 5 }]);
    const p1 = c.profiles.find((p) => p.name === 'p1');
    expect(p1).toMatchObject({ messageSizeLimit: 4096, format: 'long-text', syslogPatterns: [{ pattern: 'LINK-3', severity: 'major' }] });
  });

  it('keeps quoted arguments with spaces whole', async () => {
    const h = await privileged();
    await h.ok('conf t', 'call-home', 'customer-id "Example Corp 42"', 'site-id "Building 7, floor 3"');
    expect(h.device.running().callHome).toMatchObject({ customerId: 'Example Corp 42', siteId: 'Building 7, floor 3' });
    expect(await h.out('do show run | i customer-id')).toBe(' customer-id "Example Corp 42"\n');
  });

  it('matches keywords case-insensitively and profiles case-insensitively', async () => {
    const h = await privileged();
    await h.ok('CONF T', 'Call-Home', 'profile ciscotac-1');
    expect(h.session.mode).toEqual({ kind: 'profile', profile: 'CiscoTAC-1' });
  });
});

describe('? help', () => {
  it('lists the next words with help text, arguments first and <cr> last', async () => {
    const h = await privileged();
    const text = h.cli.help('show call-home ', h.session);
    expect(text).toBe(
      [
        '  alert-group  Show call-home alert-group information',
        '  detail       Show call-home detail information',
        '  mail-server  Show call-home mail-server information',
        '  profile      Show call-home profile information',
        '  statistics   Show call-home statistics',
        '  |            Output modifiers',
        '  <cr>         <cr>',
        '',
        '',
      ].join('\n'),
    );
    expect(h.cli.help('conf t?', h.session)).toBe('terminal\n\n');
  });

  it('completes a partial word like `sh?` and lists all with `?`', async () => {
    const h = await privileged();
    expect(h.cli.help('sh?', h.session)).toBe('show\n\n');
    expect(h.cli.help('c', h.session)).toBe('call-home  configure  copy\n\n');
    const top = h.cli.help('', h.session);
    expect(top).toContain('  configure');
    expect(top).not.toContain('lab');
  });

  it('shows argument labels and ranges', async () => {
    const h = await privileged();
    await h.ok('conf t', 'call-home');
    expect(h.cli.help('mail-server ', h.session)).toBe(
      ['  A.B.C.D  IP address of mail server', '  WORD     Host name of mail server (maximum length 64)', '  all      All mail servers', '', ''].join('\n'),
    );
    expect(h.cli.help('rate-limit ', h.session)).toContain('  <1-60>  Call-home message rate-limit threshold (messages per minute)');
    expect(h.cli.help('rate-limit 5 ', h.session)).toBe('  <cr>  <cr>\n\n');
  });

  it('says Unrecognized command or marks the error', async () => {
    const h = await privileged();
    expect(h.cli.help('xyz', h.session)).toBe('% Unrecognized command\n');
    expect(h.cli.help('show xyz ', h.session)).toBe(caret('R1#', 5));
  });

  it('lists output modifiers after |', async () => {
    const h = await privileged();
    const text = h.cli.help('show running-config | ', h.session);
    expect(text).toContain('  include  Include lines that match');
    expect(text).toContain('  section  Filter a section of output');
  });
});

describe('pipes', () => {
  it('include, exclude, begin, section and count, with IOS regular expressions', async () => {
    const h = await privileged();
    await h.ok('conf t', 'call-home', 'contact-email-addr a@b.c', 'mail-server 10.0.0.1 priority 1', 'profile noc', 'destination address email noc@example.com', 'end');
    expect(await h.out('sh run | i mail-server')).toBe(' mail-server 10.0.0.1 priority 1\n');
    expect(await h.out('sh run | s call-home')).toBe(
      'call-home\n contact-email-addr a@b.c\n mail-server 10.0.0.1 priority 1\n profile "noc"\n  destination address email noc@example.com\n',
    );
    expect(await h.out('sh run | b ^line con')).toBe('line con 0\n stopbits 1\nline vty 0 4\n login local\n transport input ssh\n!\nend\n');
    const excluded = await h.out('sh run | e !');
    expect(excluded).not.toContain('!');
    expect(await h.out('sh run | count ^hostname_')).toBe('Number of lines which match regexp = 1\n');
  });

  it('rejects a pipe on a command that has no output and a bad modifier', async () => {
    const h = await privileged();
    expect(await h.out('terminal length 0 | i x')).toBe(caret('R1#', 18));
    expect(await h.out('show version | xyz foo')).toBe(caret('R1#', 15));
    expect(await h.out('show version | include')).toBe('% Incomplete command.\n\n');
  });
});

describe('exec commands', () => {
  it('sets terminal length and width', async () => {
    const h = new Harness();
    await h.ok('terminal length 0', 'terminal width 511');
    expect(h.session).toMatchObject({ terminalLength: 0, terminalWidth: 511 });
    expect(await h.out('terminal length 513')).toBe(caret('R1>', 16));
  });

  it('copy running-config startup-config confirms the destination, write memory saves directly', async () => {
    const h = await privileged();
    await h.ok('conf t', 'service call-home', 'end');
    expect(await h.out('show startup-config')).toBe('startup-config is not present\n');
    const r = await h.run('copy running-config startup-config');
    expect(r).toMatchObject({ kind: 'input', prompt: 'Destination filename [startup-config]? ' });
    if (r.kind !== 'input') return;
    expect(await r.submit('')).toEqual({ kind: 'output', output: 'Building configuration...\n[OK]\n' });
    expect(await h.out('show startup-config | i ^service call')).toBe('service call-home\n');
    await h.ok('conf t', 'no service call-home', 'end');
    expect(await h.out('show startup-config | i ^service call')).toBe('service call-home\n');
    expect(await h.out('show running-config | i ^service call')).toBe('');
    expect(await h.out('write memory')).toBe('Building configuration...\n[OK]\n');
    expect(h.device.startup()?.callHome.serviceEnabled).toBe(false);
  });

  it('routes show commands to the show renderers', async () => {
    const h = new Harness();
    expect(await h.out('show version')).toContain('Processor board ID 9ABCDEF1234');
    expect(await h.out('sh ver | i uptime')).toMatch(/^R1 uptime is /);
  });
});

describe('regular expressions from users', () => {
  it('runs patterns that would backtrack exponentially in linear time, and refuses invalid ones, in pipes and syslog patterns', async () => {
    const h = await privileged();
    expect(await h.out('show running-config | include (a+)+$')).toBe('');
    expect(await h.out('show running-config | include ^(x|xx)*y$')).toBe('');
    expect(await h.out('show running-config | include ^(host|line) ')).toBe('hostname R1\nline con 0\nline vty 0 4\n');
    expect(await h.out('show running-config | include (h)\\1')).toBe(caret('R1#', 30));
    await h.ok('conf t', 'call-home', 'profile p1');
    await h.ok('subscribe-to-alert-group syslog pattern "(.*a){1,}"');
    expect(await h.out('subscribe-to-alert-group syslog pattern "[unclosed"')).toBe(caret('R1(cfg-call-home-profile)#', 40));
    await h.ok('subscribe-to-alert-group syslog pattern ".*LINK-3-UPDOWN.*"');
  });

  it('shares one configuration between sessions without one disturbing the other', async () => {
    const a = await privileged();
    const b = { cli: a.cli, session: { mode: { kind: 'privileged' as const }, terminalLength: 24, terminalWidth: 80 } };
    await a.ok('conf t', 'call-home', 'profile p1');
    await b.cli.execute('configure terminal', b.session);
    await b.cli.execute('call-home', b.session);
    expect((await b.cli.execute('no profile p1', b.session)).kind).toBe('output');
    expect(await a.out('active')).toBe('% Profile p1 no longer exists; enter it again with "profile NAME".\n');
    expect(a.prompt()).toBe('R1(cfg-call-home-profile)#');
    expect(b.cli.prompt(b.session)).toBe('R1(cfg-call-home)#');
  });
});

describe('isSafeRegex', () => {
  it('accepts what IOS accepts, exponential shapes included, and refuses what cannot run in linear time', async () => {
    const { isSafeRegex } = await import('../../../src/lab/ios-cli/pipe.js');
    for (const ok of ['.*CALL_LOOP.*', '^(host|line) ', 'LINK-3-UPDOWN', '[a-z]+[0-9]*', '(ab)+', 'a{2,5}b', '\\(x+\\)+', '[(]a+[)]+', '(a+)+$', '(x|xx)*y', '.*.*.*Z']) expect(isSafeRegex(ok), ok).toBe(true);
    for (const bad of ['(a)\\1', 'a(?=b)', '(?<!a)b', '(unclosed', '*a']) expect(isSafeRegex(bad), bad).toBe(false);
  });
});
