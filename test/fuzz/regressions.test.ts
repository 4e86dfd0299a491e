/**
 * Shrunk counterexamples the fuzz suite found, kept as plain regression tests (one per fix).
 */
import { describe, expect, it } from 'vitest';
import { parseLongText, parseXml, renderLongText } from '../../src/callhome/codec.js';
import { parseRunningConfigCallHome } from '../../src/ios/parsers/running-config-call-home.js';
import { isSafeRegex } from '../../src/lab/ios-cli/pipe.js';
import { buildMessage } from '../backend/build-message.js';
import { postXml, SAMPLE_XML, startTestBackend } from '../backend/helpers.js';
import { Harness, IDENTITY } from '../lab/ios-cli/harness.js';

describe('fuzz regressions', () => {
  it('lab CLI: a pipe regex that backtracks badly runs in linear time instead of stalling the lab', async () => {
    // Found by lab-cli.test.ts: `show running-config | include .*.*.*.*.*.*Z` backtracked for
    // minutes (polynomial in the line length), blocking every device of the lab. IOS accepts it, so
    // the lab must too: V8 falls back to its linear-time engine.
    const h = new Harness();
    await h.enable();
    const started = performance.now();
    expect(await h.out(`show running-config | include ${'.*'.repeat(40)}Z`)).toBe('');
    expect(await h.out(`show running-config | count ${'(a+)+'.repeat(3)}$`)).toBe('Number of lines which match regexp = 0\n');
    expect(await h.out(`show running-config | include ${'.*'.repeat(5)}hostname`)).toBe('hostname R1\n');
    expect(performance.now() - started).toBeLessThan(1_000);
    for (const ok of ['.*.*.*Z', '\\s*\\s*\\s*!', 'a?a?a?aaa', 'x+y+z+', '.*CALL_LOOP.*', '^hostname', '(?:ab)+', 'a{2}b', '^ +profile']) expect(isSafeRegex(ok), ok).toBe(true);
  });

  it('lab CLI: `no destination transport-method` without a method is an incomplete command, not a crash', async () => {
    // Found by lab-cli.test.ts: the handler read the missing method and printed `% Command failed`.
    const h = new Harness();
    await h.enable();
    await h.ok('configure terminal', 'call-home', 'profile noc');
    expect(await h.out('no destination TRANSPORT-METHOD')).toBe('% Incomplete command.\n\n');
    expect(await h.out('no destination transport-method email')).toMatch(/^(%.*\n)?$/);
    expect(await h.out('default destination transport-method')).toBe('');
  });

  it('ingest: a lone surrogate in a serial number (character reference or odd mail charset) is stored, not a 500', async () => {
    // Found by xml-ingest.test.ts: `<rme:SerialNumber>AB&#xD800;</rme:SerialNumber>` made processing
    // throw URIError (encodeURIComponent) and the device got a 500.
    const b = await startTestBackend();
    try {
      const r = await postXml(b.url, SAMPLE_XML.replaceAll('9S1NMSF22DW', 'AB&#xD800;'));
      expect(r.status).toBe(200);
      const xml = parseXml(SAMPLE_XML.replaceAll('9S1NMSF22DW', 'CD\ud800'));
      expect(xml.ok && xml.value.serialNumber).toBe('CD\ufffd');
      const text = parseLongText(renderLongText(buildMessage({ serialNumber: 'EF\udfff' })));
      expect(text.ok && text.value.serialNumber).toBe('EF\ufffd');
      for (const parsed of [xml, text]) {
        if (!parsed.ok) throw new Error(parsed.error.reason);
        const outcome = await b.service.ingest({ receivedAt: new Date().toISOString(), transport: 'email', remote: null, format: 'xml', raw: '', message: parsed.value });
        expect(outcome.kind).toBe('stored');
      }
    } finally {
      await b.stop();
    }
  });

  it('lab CLI: a value with a double quote and a non-space blank shows so the fleet parser and the lab read it back', async () => {
    // Found by lab-cli.test.ts: `street-address #"<CR>` showed as `street-address "#"<CR>"`, which
    // neither the fleet parser nor the lab could read (IOS quoting has no escape for `"`).
    const h = new Harness();
    await h.enable();
    await h.ok('configure terminal', 'call-home', 'street-address a"\u00a0b', 'end');
    const text = await h.out('show running-config | section call-home');
    expect(text).toContain(' street-address a"\u00a0b\n');
    const parsed = parseRunningConfigCallHome(text, { serial: IDENTITY.serial });
    expect(parsed.ok && parsed.value.streetAddress).toBe('a"\u00a0b');
    const replay = new Harness();
    await replay.enable();
    await replay.ok('configure terminal', ...text.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim()));
    expect(replay.device.running().callHome.streetAddress).toBe('a"\u00a0b');
  });
});
