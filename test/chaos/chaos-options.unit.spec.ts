import { parseChaosArgs, type ChaosOptions } from '../../chaos/chaos-options';

function options(argv: string[]): ChaosOptions {
  const parsed = parseChaosArgs(argv);
  if (parsed.kind !== 'options') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function error(argv: string[]): string {
  const parsed = parseChaosArgs(argv);
  if (parsed.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('parseChaosArgs', () => {
  it('reads the issue example', () => {
    const argv =
      '--seed 7 --instances 3 --invoices 5000 --kills 5 --provider idempotent --pg-restart --json';
    expect(options(argv.split(' '))).toMatchObject({
      seed: 7,
      instances: 3,
      invoices: 5000,
      kills: 5,
      provider: 'idempotent',
      pgRestart: true,
      json: true,
    });
  });

  it('has defaults for everything', () => {
    expect(options([])).toEqual({
      seed: 1,
      instances: 3,
      invoices: 5000,
      kills: 5,
      provider: 'non-idempotent',
      pgRestart: false,
      json: false,
      timeoutS: 900,
      simulator: 'http',
      concurrency: 8,
      latencyMs: 20,
      jitterMs: 20,
      attemptTimeoutMs: 4000,
      lookup: true,
      keep: false,
      outages: [],
      backgroundFaults: true,
      providerDeadlineMs: null,
    });
  });

  it('plans seeded provider outages, or takes a script as given', () => {
    const seeded = options(['--outages', '2', '--invoices', '1000', '--seed', '5']).outages;
    expect(seeded).toHaveLength(2);
    expect(options(['--outages', '2', '--invoices', '1000', '--seed', '5']).outages).toEqual(
      seeded,
    );
    expect(
      options(['--faults', '400:refused=6000,500=4000,429=4000', '--no-background-faults']),
    ).toMatchObject({
      backgroundFaults: false,
      outages: [
        {
          afterRequests: 400,
          windows: [
            { kind: 'refused', ms: 6000 },
            { kind: '500', ms: 4000 },
            { kind: '429', ms: 4000 },
          ],
        },
      ],
    });
  });

  it('refuses a bad fault script, and outages without the http simulator', () => {
    expect(error(['--faults', '400:slow=100'])).toMatch(/^--faults: "slow=100" is not <kind>=<ms>/);
    expect(error(['--outages', '1', '--simulator', 'in-process'])).toBe(
      '--outages and --faults need --simulator http',
    );
  });

  it("declares the provider's processing deadline, only to the http simulator with its lookup", () => {
    expect(options([]).providerDeadlineMs).toBeNull();
    expect(options(['--provider-deadline-ms', '2000']).providerDeadlineMs).toBe(2000);
    for (const argv of [['--no-lookup'], ['--simulator', 'in-process']]) {
      expect(error(['--provider-deadline-ms', '2000', ...argv])).toBe(
        '--provider-deadline-ms needs --simulator http and the lookup',
      );
    }
  });

  it('turns lookups off and picks the in-process simulator', () => {
    expect(options(['--no-lookup', '--simulator', 'in-process'])).toMatchObject({
      lookup: false,
      simulator: 'in-process',
    });
  });

  it('names each bad value and its option', () => {
    const message = error(['--instances', '0', '--provider', 'sometimes', '--seed', '-3x']);
    expect(message.split('\n')).toEqual([
      '--seed must be a whole number from 0 to 4294967295, got "-3x"',
      '--instances must be a whole number from 1 to 16, got "0"',
      '--provider must be idempotent or non-idempotent, got "sometimes"',
    ]);
  });

  it('refuses fractions, unknown options, stray arguments and a missing value', () => {
    expect(error(['--kills', '1.5'])).toBe(
      '--kills must be a whole number from 0 to 1000, got "1.5"',
    );
    expect(error(['--kill', '3'])).toMatch(/unknown option '--kill'/);
    expect(error(['5000'])).toMatch(/too many arguments/);
    expect(error(['--seed'])).toMatch(/'--seed <n>' argument missing/);
  });

  it('answers --help with the usage, the checks and the PostgreSQL requirement', () => {
    const parsed = parseChaosArgs(['--help']);
    expect(parsed.kind).toBe('help');
    const text = parsed.kind === 'help' ? parsed.text : '';
    expect(text).toContain('--pg-restart');
    expect(text).toContain('PostgreSQL server binaries');
    expect(text).toContain('Exit code 0');
  });
});
