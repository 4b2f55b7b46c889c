import { EnvReader } from '../../src/config/env-reader';
import { ConfigError, loadConfig, readDebug } from '../../src/config/load-config';
import { parseSimulatedProviderConfig } from '../../src/config/parse-simulated-provider-config';

describe('EnvReader, the one grammar of settings', () => {
  it('reads true and false in any case, and refuses 1, 0 and yes', () => {
    const read = new EnvReader({ A: 'TRUE', B: ' false ', C: '1', D: '0', E: 'yes', F: '' });
    expect(['A', 'B', 'C', 'D', 'E', 'F'].map((name) => read.boolean(name, true))).toEqual([
      true,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect(read.problems).toEqual([
      'C must be "true" or "false", got "1"',
      'D must be "true" or "false", got "0"',
      'E must be "true" or "false", got "yes"',
    ]);
  });

  it('reads integers as plain digits within the range', () => {
    const read = new EnvReader({ A: '7', B: '0', C: '1e3', D: '-1', E: '11' });
    expect(['A', 'B', 'C', 'D', 'E'].map((name) => read.integer(name, 5, 1, 10))).toEqual([
      7, 5, 5, 5, 5,
    ]);
    expect(read.problems).toEqual([
      'B must be an integer from 1 to 10, got "0"',
      'C must be an integer from 1 to 10, got "1e3"',
      'D must be an integer from 1 to 10, got "-1"',
      'E must be an integer from 1 to 10, got "11"',
    ]);
  });

  it('gives the service and the simulator the same answer for the same value', () => {
    const refusal = (name: string): string => `${name} must be "true" or "false", got "1"`;
    expect(() =>
      loadConfig({
        PAYMENT_PROVIDER: 'http',
        PAYMENT_PROVIDER_URL: 'http://pay',
        PAYMENT_PROVIDER_LOOKUP: '1',
      }),
    ).toThrow(new ConfigError([refusal('PAYMENT_PROVIDER_LOOKUP')]));
    expect(parseSimulatedProviderConfig({ SIMULATED_LOOKUP: '1' })).toEqual({
      ok: false,
      errors: [refusal('SIMULATED_LOOKUP')],
    });
  });

  it('reads ANTAEUS_DEBUG with the same grammar, and the service refuses a bad value', () => {
    expect(readDebug(new EnvReader({}))).toBe(false);
    expect(readDebug(new EnvReader({ ANTAEUS_DEBUG: 'true' }))).toBe(true);
    expect(() => loadConfig({ ANTAEUS_DEBUG: '1' })).toThrow(
      new ConfigError(['ANTAEUS_DEBUG must be "true" or "false", got "1"']),
    );
  });
});
