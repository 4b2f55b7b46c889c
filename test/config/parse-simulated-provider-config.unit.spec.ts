import {
  parseSimulatedProviderConfig,
  SIMULATED_VARIABLES,
} from '../../src/config/parse-simulated-provider-config';
import { DEFAULT_SIMULATED_PROVIDER_CONFIG } from '../../src/config/simulated-provider-config';

function errorsOf(env: Record<string, string | undefined>): readonly string[] {
  const result = parseSimulatedProviderConfig(env);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors;
}

describe('parseSimulatedProviderConfig', () => {
  it('uses the defaults when nothing is set, ignoring unrelated variables', () => {
    expect(parseSimulatedProviderConfig({ PATH: '/usr/bin', DATABASE_URL: 'x' })).toEqual({
      ok: true,
      config: DEFAULT_SIMULATED_PROVIDER_CONFIG,
    });
  });

  it('defaults to an idempotent provider with about 90% paid', () => {
    const { rates, idempotent } = DEFAULT_SIMULATED_PROVIDER_CONFIG;
    const failures = Object.values(rates).reduce((sum, rate) => sum + rate, 0);
    expect(idempotent).toBe(true);
    expect(failures).toBeCloseTo(0.1, 9);
    expect(Object.values(rates).every((rate) => rate > 0)).toBe(true);
  });

  it('reads every variable', () => {
    const result = parseSimulatedProviderConfig({
      SIMULATED_SEED: '4294967295',
      SIMULATED_LATENCY_MS: '20',
      SIMULATED_LATENCY_JITTER_MS: '5',
      SIMULATED_IDEMPOTENT: 'FALSE',
      SIMULATED_LOOKUP: 'false',
      SIMULATED_DECLINED_RATE: '0.5',
      SIMULATED_CUSTOMER_NOT_FOUND_RATE: '.1',
      SIMULATED_CURRENCY_MISMATCH_RATE: '0',
      SIMULATED_NETWORK_ERROR_RATE: '0.2',
      SIMULATED_AMBIGUOUS_CHARGED_RATE: '0.1',
      SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE: '0.1',
      SIMULATED_LEDGER_FILE: ' /tmp/antaeus ledger.jsonl ',
      SIMULATED_LATE_PAYERS: 'acme:8, globex:20',
    });
    expect(result).toEqual({
      ok: true,
      config: {
        seed: 4294967295,
        latencyMs: 20,
        latencyJitterMs: 5,
        idempotent: false,
        lookup: false,
        rates: {
          declined: 0.5,
          customer_not_found: 0.1,
          currency_mismatch: 0,
          network_error: 0.2,
          ambiguous_charged: 0.1,
          ambiguous_not_charged: 0.1,
        },
        ledgerFile: '/tmp/antaeus ledger.jsonl',
        latePayers: { acme: 8, globex: 20 },
      },
    });
  });

  it('keeps the ledger in memory only unless SIMULATED_LEDGER_FILE is set', () => {
    expect(DEFAULT_SIMULATED_PROVIDER_CONFIG.ledgerFile).toBeNull();
    const result = parseSimulatedProviderConfig({ SIMULATED_LEDGER_FILE: 'ledger.jsonl' });
    expect(result).toEqual({
      ok: true,
      config: { ...DEFAULT_SIMULATED_PROVIDER_CONFIG, ledgerFile: 'ledger.jsonl' },
    });
  });

  it('treats blank values as unset', () => {
    const result = parseSimulatedProviderConfig({
      SIMULATED_SEED: '',
      SIMULATED_DECLINED_RATE: '  ',
    });
    expect(result).toEqual({ ok: true, config: DEFAULT_SIMULATED_PROVIDER_CONFIG });
  });

  it.each([
    ['SIMULATED_SEED', '-1', 'SIMULATED_SEED must be an integer from 0 to 4294967295, got "-1"'],
    ['SIMULATED_SEED', '4294967296', 'SIMULATED_SEED must be an integer from 0 to 4294967295'],
    ['SIMULATED_SEED', '1.5', 'SIMULATED_SEED must be an integer'],
    [
      'SIMULATED_LATENCY_MS',
      'fast',
      'SIMULATED_LATENCY_MS must be an integer from 0 to 600000, got "fast"',
    ],
    ['SIMULATED_LATENCY_JITTER_MS', '1e3', 'SIMULATED_LATENCY_JITTER_MS must be an integer'],
    ['SIMULATED_IDEMPOTENT', 'yes', 'SIMULATED_IDEMPOTENT must be "true" or "false", got "yes"'],
    ['SIMULATED_LOOKUP', '1', 'SIMULATED_LOOKUP must be "true" or "false"'],
    ['SIMULATED_DECLINED_RATE', '1.5', 'SIMULATED_DECLINED_RATE must be a decimal from 0 to 1'],
    [
      'SIMULATED_NETWORK_ERROR_RATE',
      '-0.1',
      'SIMULATED_NETWORK_ERROR_RATE must be a decimal from 0 to 1',
    ],
    [
      'SIMULATED_AMBIGUOUS_CHARGED_RATE',
      '5%',
      'SIMULATED_AMBIGUOUS_CHARGED_RATE must be a decimal',
    ],
    ['SIMULATED_DECLINE_RATE', '0.1', 'SIMULATED_DECLINE_RATE is not a known variable'],
    [
      'SIMULATED_LATE_PAYERS',
      'acme:0',
      'SIMULATED_LATE_PAYERS: "acme:0" is not customerId:days (days 1 to 366)',
    ],
    [
      'SIMULATED_LATE_PAYERS',
      'acme:8,globex',
      'SIMULATED_LATE_PAYERS: "globex" is not customerId:days',
    ],
    [
      'SIMULATED_LEDGER_FILE',
      '/tmp/ledgers/',
      'SIMULATED_LEDGER_FILE must name a file, not a directory, got "/tmp/ledgers/"',
    ],
  ])('rejects %s=%s', (name, value, message) => {
    const errors = errorsOf({ [name]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it('rejects a SIMULATED_LEDGER_FILE with a NUL byte, which no file name can hold', () => {
    expect(errorsOf({ SIMULATED_LEDGER_FILE: 'ledger\0.jsonl' })).toEqual([
      'SIMULATED_LEDGER_FILE must be a file path, got "ledger\\u0000.jsonl"',
    ]);
  });

  it('rejects rates that add up to more than 1, defaults included', () => {
    const errors = errorsOf({ SIMULATED_DECLINED_RATE: '0.95' });
    expect(errors).toEqual([
      expect.stringMatching(/SIMULATED_DECLINED_RATE.*must add up to at most 1.*got 1\.01$/),
    ]);
  });

  it('accepts rates adding up to exactly 1 despite floating point', () => {
    const result = parseSimulatedProviderConfig({
      SIMULATED_DECLINED_RATE: '0.1',
      SIMULATED_CUSTOMER_NOT_FOUND_RATE: '0.2',
      SIMULATED_CURRENCY_MISMATCH_RATE: '0.7',
      SIMULATED_NETWORK_ERROR_RATE: '0',
      SIMULATED_AMBIGUOUS_CHARGED_RATE: '0',
      SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE: '0',
    });
    expect(result.ok).toBe(true);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf({
      SIMULATED_SEED: 'x',
      SIMULATED_IDEMPOTENT: 'maybe',
      SIMULATED_RATE: '0.1',
    });
    expect(errors.map((e) => e.split(' ')[0])).toEqual([
      'SIMULATED_SEED',
      'SIMULATED_IDEMPOTENT',
      'SIMULATED_RATE',
    ]);
  });

  it('lists every variable it reads', () => {
    expect([...SIMULATED_VARIABLES].sort()).toEqual([
      'SIMULATED_AMBIGUOUS_CHARGED_RATE',
      'SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE',
      'SIMULATED_CURRENCY_MISMATCH_RATE',
      'SIMULATED_CUSTOMER_NOT_FOUND_RATE',
      'SIMULATED_DECLINED_RATE',
      'SIMULATED_IDEMPOTENT',
      'SIMULATED_LATENCY_JITTER_MS',
      'SIMULATED_LATENCY_MS',
      'SIMULATED_LATE_PAYERS',
      'SIMULATED_LEDGER_FILE',
      'SIMULATED_LOOKUP',
      'SIMULATED_NETWORK_ERROR_RATE',
      'SIMULATED_SEED',
    ]);
  });
});
