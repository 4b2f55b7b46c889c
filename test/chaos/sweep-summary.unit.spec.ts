import type { SweepRun } from '../../chaos/sweep-options';
import {
  formatSweepSummary,
  summarizeSweep,
  type RunNumbers,
  type SweepResult,
} from '../../chaos/sweep-summary';

const OK: RunNumbers = {
  ok: true,
  doubleCharges: 0,
  lostInvoices: 0,
  unknown: 3,
  failedNetwork: 0,
  outages: 0,
  auditOk: true,
  pgRestarts: 0,
  durationS: 10,
  kills: 3,
  inFlightAtKills: [4, 0, 2],
  unknownByCause: {
    kill: 2,
    outage: 0,
    'pg-restart': 0,
    'lost-answer': 1,
    timeout: 0,
    unexplained: 0,
  },
  unknownPerKill: [2, 0, 0],
  unknownPerOutage: [],
  unknownBoundsBroken: [],
};

function result(
  run: SweepRun,
  report: Partial<RunNumbers> | null,
  why: string[] = [],
): SweepResult {
  const numbers = report === null ? null : { ...OK, ...report };
  return { run, exitCode: numbers?.ok ? 0 : 1, report: numbers, why };
}

const results: SweepResult[] = [
  result({ seed: 1, mode: 'idempotent', pgRestart: false, outages: 0 }, {}),
  result(
    { seed: 1, mode: 'non-idempotent', pgRestart: false, outages: 1 },
    {
      unknown: 10,
      unknownByCause: { ...OK.unknownByCause, kill: 0, 'lost-answer': 0, outage: 8, timeout: 2 },
      failedNetwork: 2,
      outages: 1,
    },
  ),
  result(
    { seed: 2, mode: 'idempotent', pgRestart: true, outages: 0 },
    { ok: false, doubleCharges: 2, pgRestarts: 1 },
    ['2 invoices charged more than once: ["4","9"]'],
  ),
  result(
    { seed: 2, mode: 'non-idempotent', pgRestart: true, outages: 0 },
    {
      ok: false,
      auditOk: false,
      lostInvoices: 1,
      pgRestarts: 1,
      unknownBoundsBroken: ['kill 1 (instance-1): 3 UNKNOWN, more than the 2 calls in flight'],
    },
    ['1 invoices not PAID, FAILED or UNKNOWN'],
  ),
  result({ seed: 3, mode: 'idempotent', pgRestart: false, outages: 0 }, null, [
    'the runner exited 1 without a report',
  ]),
];

describe('summarizeSweep', () => {
  it('sums every run and each (mode, pg restart) group', () => {
    const summary = summarizeSweep(results);
    expect(summary).toMatchObject({
      runs: 5,
      ok: 2,
      failed: 3,
      doubleCharges: 2,
      lostInvoices: 1,
      unknown: 19,
      unknownByCause: {
        kill: 6,
        outage: 8,
        'pg-restart': 0,
        'lost-answer': 3,
        timeout: 2,
        unexplained: 0,
      },
      boundsBroken: 1,
      failedNetwork: 2,
      outages: 1,
      auditFailures: 1,
      pgRestarts: 2,
      kills: 12,
      inFlightAtKills: 24,
      allOk: false,
    });
    expect(summary.groups.map((g) => [g.mode, g.pgRestart, g.runs, g.ok])).toEqual([
      ['idempotent', false, 2, 1],
      ['non-idempotent', false, 1, 1],
      ['idempotent', true, 1, 0],
      ['non-idempotent', true, 1, 0],
    ]);
    expect(summary.failures.map((f) => [f.seed, f.mode, f.why])).toEqual([
      [2, 'idempotent', '2 invoices charged more than once: ["4","9"]'],
      [2, 'non-idempotent', '1 invoices not PAID, FAILED or UNKNOWN'],
      [3, 'idempotent', 'the runner exited 1 without a report'],
    ]);
  });

  it('is all ok only when every run exited 0 with an ok report', () => {
    expect(summarizeSweep(results.slice(0, 2)).allOk).toBe(true);
    const lying: SweepResult = { ...results[0], exitCode: 1 };
    expect(summarizeSweep([lying]).allOk).toBe(false);
  });
});

describe('formatSweepSummary', () => {
  it('prints a table, the failures and how to reproduce each', () => {
    const text = formatSweepSummary(
      summarizeSweep(results),
      (f) => `npm run chaos -- --seed ${f.seed}`,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^provider\s+pg restart\s+runs\s+ok\s+double charges/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^all\s+2 done\s+5\s+2\s+2\s+1\s+19\s+6\s+8\s+0\s+3\s+2\s+0\s+1\s+12\s+24\s+2\s+1\s+1$/,
      ),
    );
    expect(text).toContain('3 of 5 runs NOT OK');
    expect(text).toContain('seed 2 idempotent with pg restart: 2 invoices charged more than once');
    expect(text).toContain('npm run chaos -- --seed 3');
  });
});
