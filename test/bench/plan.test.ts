import { describe, expect, it } from 'vitest';
import { BENCHES, parseOnly, planBench, type PlanContext } from '../../bench/plan.js';

const here: PlanContext = { quick: false, env: {}, scriptExists: () => true, onPath: () => true };

describe('planBench', () => {
  it('runs the sizes the goals are stated for, each with the command that reproduces it alone', () => {
    expect(BENCHES.map((b) => planBench(b, here).command)).toEqual([
      'npm run bench:lab -- --devices 1000',
      'npm run bench:push -- --devices 1000',
      'npm run bench:ingest',
      'npm run bench:console -- --duration 60',
      'npm run bench:ansible -- --devices 50 --ours 1000',
    ]);
    expect(planBench('push', here)).toMatchObject({ script: 'bench/push.ts', args: ['--devices', '1000'], env: {} });
  });

  it('uses smaller sizes for --quick, but keeps ingest sizes the caller set', () => {
    const quick = { ...here, quick: true };
    expect(planBench('lab', quick).args).toEqual(['--devices', '200']);
    expect(planBench('ingest', quick)).toMatchObject({ env: { BENCH_MAX: '1000', BENCH_SECONDS: '2' }, command: 'BENCH_MAX=1000 BENCH_SECONDS=2 npm run bench:ingest' });
    const set = planBench('ingest', { ...quick, env: { BENCH_MAX: '50', BENCH_RATE: '200' } });
    expect(set.env).toEqual({ BENCH_SECONDS: '2' });
    expect(set.command).toBe('BENCH_MAX=50 BENCH_RATE=200 BENCH_SECONDS=2 npm run bench:ingest');
  });

  it('skips ansible, saying why, when its bench or ansible-playbook is missing', () => {
    expect(planBench('ansible', here).skip).toBeUndefined();
    expect(planBench('ansible', { ...here, onPath: (p) => p !== 'ansible-playbook' }).skip).toMatch(/ansible-playbook is not on PATH/);
    expect(planBench('ansible', { ...here, scriptExists: () => false }).skip).toBe('bench/ansible.ts does not exist in this tree');
    expect(planBench('lab', { ...here, scriptExists: () => false }).skip).toBeUndefined();
  });
});

describe('parseOnly', () => {
  it('keeps run order whatever order --only names them in', () => {
    expect(parseOnly(undefined)).toEqual([...BENCHES]);
    expect(parseOnly('push, lab')).toEqual(['lab', 'push']);
  });

  it('refuses unknown or empty names, listing the valid ones', () => {
    expect(() => parseOnly('lab,bogus')).toThrow('--only lab,bogus: unknown bench bogus; choose from lab, push, ingest, console, ansible, comma-separated');
    expect(() => parseOnly(',')).toThrow(/\(none given\)/);
  });
});
