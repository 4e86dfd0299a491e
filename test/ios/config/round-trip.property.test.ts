import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRAINS } from '../../../src/domain/callhome.js';
import { renderCallHomeSection, renderServiceLine } from '../../../src/ios/config/index.js';
import { parseRunningConfigCallHome } from '../../../src/ios/parsers/index.js';
import { arbitraryCallHomeConfig } from './arbitraries.js';

const SERIAL = '9S1NMSF22DW';
const runs = Number(process.env['FUZZ_RUNS'] ?? 200);

describe('IOS call-home configuration syntax round trip (property)', () => {
  for (const train of TRAINS) {
    it(`parse(render(x)) equals x for random ${train} configurations, with and without defaults`, () => {
      fc.assert(
        fc.property(arbitraryCallHomeConfig(SERIAL, train), fc.boolean(), (config, all) => {
          const service = renderServiceLine(config, { all, train });
          const text = [...(service ? [service] : []), ...renderCallHomeSection(config, SERIAL, { all, train })].join('\n');
          const parsed = parseRunningConfigCallHome(text, { serial: SERIAL, train });
          expect(parsed.ok ? 'ok' : parsed.error, text).toBe('ok');
          if (parsed.ok) expect(parsed.value, text).toEqual(config);
        }),
        { numRuns: runs },
      );
    });
  }
});
