import { parseChaosArgs, type ChaosOptions } from '../../chaos/chaos-options';
import {
  brokenRunReport,
  chaosReport,
  formatChaosReport,
  type RunFacts,
} from '../../chaos/chaos-report';
import type { UnknownAttribution } from '../../chaos/unknown-causes';
import type { MoneyFindings } from '../support/service/money-checks';

function options(argv: string[]): ChaosOptions {
  const parsed = parseChaosArgs(argv);
  if (parsed.kind !== 'options') throw new Error('bad test arguments');
  return parsed.options;
}

const CLEAN: MoneyFindings = {
  doubleCharges: [],
  lostInvoices: [],
  chargedButNotPaidOrUnknown: [],
  ambiguousRetries: [],
  replaysCharged: 0,
  problems: [],
};

/** The 4 UNKNOWN of facts(): 3 from the first kill, 1 lost answer. */
const CAUSES: UnknownAttribution = {
  byCause: { kill: 3, outage: 0, 'pg-restart': 0, 'lost-answer': 1, timeout: 0, unexplained: 0 },
  perKill: [3, 0],
  perOutage: [],
  processedByProvider: 1,
  unexplained: [],
  broken: [],
  outagesOverBound: [],
};

function facts(overrides: Partial<RunFacts> = {}): RunFacts {
  return {
    options: options(['--seed', '9', '--invoices', '100', '--kills', '2', '--pg-restart']),
    startedAt: 1_000,
    endedAt: 13_340,
    kills: 2,
    inFlightAtKills: [5, 0],
    unknownCauses: CAUSES,
    pgRestarts: 1,
    unsettled: null,
    counts: { paid: 90, failed: 6, unknown: 4, failedNetwork: 2 },
    findings: CLEAN,
    audit: { code: 0, output: 'AUDIT OK' },
    unexpectedExits: [],
    restartFailures: [],
    skippedSteps: 0,
    keptIn: null,
    ...overrides,
  };
}

describe('chaosReport', () => {
  it('is ok when the run settled, the checks found nothing and the audit passed', () => {
    const report = chaosReport(facts());
    expect(report).toMatchObject({
      seed: 9,
      mode: 'non-idempotent',
      invoices: 100,
      kills: 2,
      killsPlanned: 2,
      inFlightAtKills: [5, 0],
      pgRestarts: 1,
      durationS: 12.3,
      paid: 90,
      failed: 6,
      unknown: 4,
      unknownByCause: CAUSES.byCause,
      unknownPerKill: [3, 0],
      unknownPerOutage: [],
      unknownProcessed: 1,
      doubleCharges: 0,
      lostInvoices: 0,
      auditOk: true,
      settled: true,
      problems: [],
      ok: true,
    });
  });

  it('is not ok on a money problem, counting each kind', () => {
    const findings: MoneyFindings = {
      ...CLEAN,
      doubleCharges: ['1', '2'],
      lostInvoices: ['3'],
      chargedButNotPaidOrUnknown: ['4'],
      ambiguousRetries: ['invoice-5-attempt-1'],
      problems: ['2 invoices charged more than once: ["1","2"]'],
    };
    const report = chaosReport(facts({ findings }));
    expect(report).toMatchObject({
      doubleCharges: 2,
      lostInvoices: 1,
      chargedButNotPaidOrUnknown: 1,
      ambiguousRetries: 1,
      ok: false,
    });
  });

  it('is not ok when the audit fails, and shows its last lines', () => {
    const output = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const report = chaosReport(facts({ audit: { code: 1, output } }));
    expect(report.ok).toBe(false);
    expect(report.auditOk).toBe(false);
    expect(report.problems[0]).toContain('audit exited 1');
    expect(report.problems[0]).toContain('line 49');
    expect(report.problems[0]).not.toContain('line 19\n');
  });

  it('is not ok when the run did not settle, or an instance would not start again', () => {
    expect(chaosReport(facts({ unsettled: 'the run did not settle within 5 s' })).ok).toBe(false);
    const stuck = chaosReport(facts({ restartFailures: ['instance-2'] }));
    expect(stuck.problems).toEqual(['instance-2 could not be started again']);
  });

  it('is not ok when an UNKNOWN is unexplained or a bound is broken, and says which', () => {
    const unexplained = Array.from({ length: 7 }, (_, i) => `invoice-${i} (key): why`);
    const report = chaosReport(
      facts({
        unknownCauses: {
          ...CAUSES,
          byCause: { ...CAUSES.byCause, unexplained: 7 },
          unexplained,
          broken: ['kill 1 (instance-2): 9 UNKNOWN, more than the 8 calls in flight'],
        },
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(2);
    expect(report.problems[0]).toContain('7 UNKNOWN not explained');
    expect(report.problems[0]).toContain('invoice-4 (key): why');
    expect(report.problems[0]).not.toContain('invoice-5');
    expect(report.problems[1]).toBe(
      'bound broken: kill 1 (instance-2): 9 UNKNOWN, more than the 8 calls in flight',
    );
  });

  it('fails a run with an outage that stranded more UNKNOWN than its bound', () => {
    const over =
      'outage 1: 40 UNKNOWN, more than the 30 calls in flight when it began plus 3 probes';
    const report = chaosReport(facts({ unknownCauses: { ...CAUSES, outagesOverBound: [over] } }));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([`bound broken: ${over}`]);
    expect(report.warnings).toEqual([]);
    expect(report.unknownBoundsBroken).toEqual([over]);
  });

  it('warns, without failing, of UNKNOWN from timeouts with nothing else to blame', () => {
    const report = chaosReport(
      facts({ unknownCauses: { ...CAUSES, byCause: { ...CAUSES.byCause, timeout: 2 } } }),
    );
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.stringContaining('2 UNKNOWN from timeouts')]);
  });

  it('warns, without failing, of crashes nobody asked for, skipped steps and per-process replays', () => {
    const report = chaosReport(
      facts({
        unexpectedExits: ['instance-1 (pid 5) exited on its own (code 1)'],
        skippedSteps: 1,
        findings: { ...CLEAN, replaysCharged: 3 },
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.unexpectedExits).toBe(1);
    expect(report.warnings).toHaveLength(3);
  });

  it('makes a broken run a report that is not ok, with the cause chain', () => {
    const error = new Error('Could not start PostgreSQL', { cause: new Error('initdb failed') });
    const report = brokenRunReport(options([]), Date.now(), error, '/tmp/x');
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toContain('initdb failed');
    expect(report.keptIn).toBe('/tmp/x');
  });
});

describe('formatChaosReport', () => {
  it('shows each check and the verdict', () => {
    const text = formatChaosReport(chaosReport(facts()));
    expect(text).toContain('chaos seed 9: OK');
    expect(text).toContain('kills 2/2, PostgreSQL crash-restarts 1/1');
    expect(text).toContain('calls in flight at each kill: 5, 0; UNKNOWN from each: 3, 0');
    expect(text).toContain(
      'UNKNOWN by cause: kill 3, lost-answer 1 (1 processed by the provider: its lookup can still settle them)',
    );
    expect(text).toContain('(a) double charges: 0');
    expect(text).toContain('(c) audit: ok');
    expect(text).toContain('(d) ambiguous attempts retried: 0');
  });

  it("shows each outage's UNKNOWN against its bound", () => {
    const outage = { outage: 1, unknown: 9, inFlightAtStart: 24, probes: 6, bound: 30 };
    const base = options(['--seed', '9', '--outages', '1', '--invoices', '100']);
    const report = chaosReport(
      facts({ options: base, unknownCauses: { ...CAUSES, perOutage: [outage] } }),
    );
    expect(formatChaosReport(report)).toContain(
      'UNKNOWN per outage (bound: in flight when it began + probes): #1 9 (bound 30 = 24 + 6)',
    );
  });

  it('lists the problems and where the evidence is when not ok', () => {
    const findings = {
      ...CLEAN,
      doubleCharges: ['1'],
      problems: ['1 invoices charged more than once: ["1"]'],
    };
    const report = { ...chaosReport(facts({ findings })), keptIn: '/tmp/chaos-1' };
    const text = formatChaosReport(report);
    expect(text).toContain('chaos seed 9: NOT OK');
    expect(text).toContain('- 1 invoices charged more than once');
    expect(text).toContain('evidence kept in /tmp/chaos-1');
  });
});
