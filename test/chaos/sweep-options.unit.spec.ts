import { chaosArgs, parseSweepArgs, sweepRuns, type SweepOptions } from '../../chaos/sweep-options';
import { parseChaosArgs } from '../../chaos/chaos-options';

function options(argv: string[]): SweepOptions {
  const parsed = parseSweepArgs(argv);
  if (parsed.kind !== 'options') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

describe('parseSweepArgs', () => {
  it('reads seeds, the first seed, the modes and the PostgreSQL restarts', () => {
    expect(
      options([
        '--seeds',
        '100',
        '--first-seed',
        '7',
        '--provider',
        'idempotent',
        '--pg-restart-every',
        '4',
      ]),
    ).toMatchObject({ seeds: 100, firstSeed: 7, modes: ['idempotent'], pgRestartEvery: 4 });
    expect(options([]).modes).toEqual(['idempotent', 'non-idempotent']);
  });

  it('--ci is the short pass, and explicit options win over it', () => {
    expect(options(['--ci'])).toMatchObject({
      seeds: 2,
      firstSeed: 1,
      modes: ['idempotent', 'non-idempotent'],
      pgRestartEvery: 2,
      outages: 1,
      outagesEvery: 2,
      invoices: 300,
      instances: 3,
      kills: 2,
    });
    expect(options(['--ci', '--seeds', '5', '--provider', 'non-idempotent'])).toMatchObject({
      seeds: 5,
      modes: ['non-idempotent'],
      invoices: 300,
    });
  });

  it('names the bad argument', () => {
    const parsed = parseSweepArgs(['--provider', 'all']);
    expect(parsed).toEqual({
      kind: 'error',
      message: '--provider must be idempotent or non-idempotent or both, got "all"',
    });
  });
});

describe('sweepRuns', () => {
  it('runs each seed in each mode, every k-th seed with a PostgreSQL crash', () => {
    const runs = sweepRuns(
      options(['--seeds', '4', '--first-seed', '10', '--pg-restart-every', '2']),
    );
    expect(runs.map((run) => `${run.seed} ${run.mode} ${run.pgRestart}`)).toEqual([
      '10 idempotent false',
      '10 non-idempotent false',
      '11 idempotent true',
      '11 non-idempotent true',
      '12 idempotent false',
      '12 non-idempotent false',
      '13 idempotent true',
      '13 non-idempotent true',
    ]);
    expect(sweepRuns(options(['--seeds', '3'])).some((run) => run.pgRestart)).toBe(false);
  });

  it('gives every k-th seed, from the first, its seeded provider outages', () => {
    const runs = sweepRuns(options(['--seeds', '3', '--outages', '2', '--outages-every', '2']));
    expect(runs.map((run) => `${run.seed} ${run.mode} ${run.outages}`)).toEqual([
      '1 idempotent 2',
      '1 non-idempotent 2',
      '2 idempotent 0',
      '2 non-idempotent 0',
      '3 idempotent 2',
      '3 non-idempotent 2',
    ]);
    expect(sweepRuns(options(['--seeds', '2'])).every((run) => run.outages === 0)).toBe(true);
  });
});

describe('chaosArgs', () => {
  it('gives arguments the runner accepts, the same run the sweep meant', () => {
    const sweep = options(['--ci']);
    const run = { seed: 2, mode: 'idempotent' as const, pgRestart: true, outages: 1 };
    const parsed = parseChaosArgs(chaosArgs(sweep, run));
    expect(parsed.kind).toBe('options');
    expect(parsed.kind === 'options' && parsed.options).toMatchObject({
      seed: 2,
      provider: 'idempotent',
      pgRestart: true,
      invoices: 300,
      instances: 3,
      kills: 2,
      concurrency: sweep.concurrency,
      latencyMs: sweep.latencyMs,
    });
    expect(parsed.kind === 'options' && parsed.options.outages).toHaveLength(1);
    expect(parsed.kind === 'options' && parsed.options.backgroundFaults).toBe(true);
  });

  it('passes --no-background-faults and --provider-deadline-ms on to every run', () => {
    const sweep = options(['--no-background-faults', '--provider-deadline-ms', '2000']);
    const run = { seed: 1, mode: 'non-idempotent' as const, pgRestart: false, outages: 0 };
    const parsed = parseChaosArgs(chaosArgs(sweep, run));
    expect(parsed.kind === 'options' && parsed.options).toMatchObject({
      backgroundFaults: false,
      providerDeadlineMs: 2000,
    });
    const plain = parseChaosArgs(chaosArgs(options([]), run));
    expect(plain.kind === 'options' && plain.options.providerDeadlineMs).toBeNull();
  });
});
