import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCallHomeSection } from '../../../src/ios/config/index.js';
import { parseRunningConfigCallHome } from '../../../src/ios/parsers/index.js';
import { arbitraryCallHomeConfig } from './arbitraries.js';

const SERIAL = '9S1NMSF22DW';
const runs = Number(process.env['FUZZ_RUNS'] ?? 200);

describe('IOS call-home configuration syntax round trip (property)', () => {
  it('parse(render(x)) equals x for random configurations, with and without defaults', () => {
    fc.assert(
      fc.property(arbitraryCallHomeConfig(SERIAL), fc.boolean(), (config, all) => {
        const lines = renderCallHomeSection(config, SERIAL, { all });
        const text = [config.serviceEnabled ? 'service call-home' : 'no service call-home', ...lines].join('\n');
        const parsed = parseRunningConfigCallHome(text, { serial: SERIAL });
        expect(parsed.ok ? 'ok' : parsed.error, text).toBe('ok');
        if (parsed.ok) expect(parsed.value, text).toEqual(config);
      }),
      { numRuns: runs },
    );
  });
});
