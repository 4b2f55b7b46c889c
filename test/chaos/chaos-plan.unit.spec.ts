import {
  chaosPlan,
  KILL_WINDOW,
  PG_RESTART_WINDOW,
  RESTART_DELAY_MS,
  type KillStep,
} from '../../chaos/chaos-plan';

const input = { seed: 42, instances: 3, kills: 5, pgRestart: true };

describe('chaosPlan', () => {
  it('is the same plan for the same seed, and another for another seed', () => {
    expect(chaosPlan(input)).toEqual(chaosPlan({ ...input }));
    expect(chaosPlan({ ...input, seed: 43 })).not.toEqual(chaosPlan(input));
  });

  it('has the kills and the PostgreSQL crash asked for, in progress order', () => {
    const plan = chaosPlan(input);
    expect(plan.filter((step) => step.kind === 'kill')).toHaveLength(5);
    expect(plan.filter((step) => step.kind === 'pg-restart')).toHaveLength(1);
    const points = plan.map((step) => step.at);
    expect(points).toEqual([...points].sort((a, b) => a - b));
    expect(chaosPlan({ ...input, pgRestart: false, kills: 0 })).toEqual([]);
  });

  it('keeps every draw in its window, for many seeds', () => {
    for (let seed = 0; seed < 500; seed++) {
      for (const step of chaosPlan({ ...input, seed })) {
        if (step.kind === 'pg-restart') {
          expect(step.at).toBeGreaterThanOrEqual(PG_RESTART_WINDOW.from);
          expect(step.at).toBeLessThan(PG_RESTART_WINDOW.to);
          continue;
        }
        expect(step.at).toBeGreaterThanOrEqual(KILL_WINDOW.from);
        expect(step.at).toBeLessThan(KILL_WINDOW.to);
        expect(Number.isInteger(step.victim) && step.victim >= 0 && step.victim < 3).toBe(true);
        expect(step.restartAfterMs).toBeGreaterThanOrEqual(RESTART_DELAY_MS.from);
        expect(step.restartAfterMs).toBeLessThanOrEqual(RESTART_DELAY_MS.to);
      }
    }
  });

  it('picks every instance as a victim across seeds', () => {
    const victims = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      for (const step of chaosPlan({ ...input, seed })) {
        if (step.kind === 'kill') victims.add(step.victim);
      }
    }
    expect([...victims].sort()).toEqual([0, 1, 2]);
  });

  it('does not move the first kills when more are asked for', () => {
    const kills = (n: number) => chaosPlan({ ...input, kills: n, pgRestart: false }) as KillStep[];
    const three = kills(3);
    expect(kills(5)).toEqual(expect.arrayContaining(three));
  });
});
