import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../src/lab/engine/http-transport.js';
import { RateLimiter } from '../../../src/lab/engine/limits.js';
import { scrubConfigText } from '../../../src/lab/engine/privacy.js';
import { fitToLimit } from '../../../src/lab/engine/size-limit.js';
import { byPriority } from '../../../src/lab/engine/smtp-transport.js';
import { buildMessage } from '../../../src/lab/engine/message-builder.js';
import { configWith, IDENTITY } from './support.js';

describe('transport helpers', () => {
  it('trusts only loopback hosts without verification', () => {
    expect(['127.0.0.1', '127.9.9.9', 'localhost', '::1', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(['10.0.0.1', 'tools.cisco.com', '128.0.0.1', 'localhost.example.com'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });

  it('orders mail servers by ascending priority number', () => {
    expect(byPriority([{ host: 'c', priority: 50 }, { host: 'a', priority: 1 }, { host: 'b', priority: 2 }]).map((s) => s.host)).toEqual(['a', 'b', 'c']);
  });

  it('rate limiter slides over 60 s', () => {
    const rl = new RateLimiter();
    expect([0, 10, 20].map((t) => rl.tryTake(t, 2))).toEqual([true, true, false]);
    expect(rl.tryTake(60_000, 2)).toBe(true);
    expect(rl.tryTake(60_005, 2)).toBe(false);
    expect(rl.tryTake(60_010, 2)).toBe(true);
  });
});

describe('scrubConfigText', () => {
  it('normal keeps addresses; removes passwords, secrets, keys and communities', () => {
    const text = ['service password-encryption', 'enable password 7 0822455D0A16', ' key-string 7 ABCDEF', 'crypto isakmp key s3cr3t address 0.0.0.0', 'crypto key generate rsa modulus 2048', 'snmp-server community priv RW 10', ' ip address 192.0.2.1 255.255.255.0'].join('\n');
    expect(scrubConfigText(text, 'normal', null).split('\n')).toEqual([
      'service password-encryption',
      'enable password 7 <removed>',
      ' key-string 7 <removed>',
      'crypto isakmp key <removed> address 0.0.0.0',
      'crypto key generate rsa modulus 2048',
      'snmp-server community <removed> RW 10',
      ' ip address 192.0.2.1 255.255.255.0',
    ]);
  });

  it('high removes IPv4/IPv6 addresses; hostname removes every whole-word use of the name', () => {
    const text = ['hostname R1', ' ipv6 address 2001:db8::1/64', ' description R1-uplink to R10', 'R1#'].join('\n');
    expect(scrubConfigText(text, 'high', 'R1').split('\n')).toEqual(['hostname <removed>', ' ipv6 address <removed>', ' description R1-uplink to R10', '<removed>#']);
  });
});

describe('fitToLimit for short text', () => {
  it('cuts the description of a pager message to the limit', () => {
    const message = buildMessage({
      identity: IDENTITY,
      config: configWith([]),
      content: { kind: 'environment', subType: '', severity: 5, eventName: 'TEMP', description: 'x'.repeat(500), cards: [] },
      messageId: 'M1:S:1',
      groupId: 'G1:S:1',
      eventTime: '2026-11-23 10:00:00 GMT+00:00',
      to: '',
      profileName: 'pager',
      attachments: [],
    });
    const fit = fitToLimit(message, 'short-text', 100);
    expect(fit.ok && Buffer.byteLength(fit.body)).toBeLessThanOrEqual(100);
    expect(fit).toMatchObject({ ok: true, truncated: true });
    expect(fit.ok && fit.body.startsWith('R1 2026-11-23 10:00:00 GMT+00:00 xxx')).toBe(true);
    expect(fit.ok && fit.body.endsWith(' major\n')).toBe(true);
    expect(fitToLimit(message, 'short-text', 30)).toEqual({ ok: false, minimumSize: 'R1 2026-11-23 10:00:00 GMT+00:00  major\n'.length });
  });
});
