import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { problemsOf } from './problems-of';

const KEY_A = 'a-key-of-twenty-four-chars';
const KEY_B = 'another-key-0123456789abcd';

const keys = (entries: unknown) => ({ ANTAEUS_API_KEYS: JSON.stringify(entries) });

describe('ANTAEUS_API_KEYS and ANTAEUS_API_TOKEN', () => {
  it('reads keys inline, scopes in a fixed order', () => {
    const config = loadConfig(
      keys([
        { name: 'finance-ro', scopes: ['read'], key: KEY_A },
        { name: 'ops', scopes: ['operate', 'read'], key: KEY_B },
      ]),
    );

    expect(config.apiKeys).toEqual([
      { name: 'finance-ro', scopes: ['read'], key: KEY_A },
      { name: 'ops', scopes: ['read', 'operate'], key: KEY_B },
    ]);
  });

  it('reads keys from the file whose path it gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'antaeus-keys-'));
    try {
      const file = join(dir, 'keys.json');
      writeFileSync(file, JSON.stringify([{ name: 'ops', scopes: ['operate'], key: KEY_A }]));

      expect(loadConfig({ ANTAEUS_API_KEYS: file }).apiKeys).toEqual([
        { name: 'ops', scopes: ['operate'], key: KEY_A },
      ]);
      expect(problemsOf({ ANTAEUS_API_KEYS: join(dir, 'missing.json') })).toEqual([
        `ANTAEUS_API_KEYS must be a JSON array or the path of a file holding one; cannot read ${join(dir, 'missing.json')} (ENOENT)`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes ANTAEUS_API_TOKEN as one key named api-token with both scopes, beside the others', () => {
    const config = loadConfig({
      ...keys([{ name: 'finance-ro', scopes: ['read'], key: KEY_A }]),
      ANTAEUS_API_TOKEN: KEY_B,
    });

    expect(config.apiKeys).toEqual([
      { name: 'finance-ro', scopes: ['read'], key: KEY_A },
      { name: 'api-token', scopes: ['read', 'operate'], key: KEY_B },
    ]);
  });

  it('allows one name twice with the same scopes: a key and its replacement', () => {
    const config = loadConfig(
      keys([
        { name: 'ops', scopes: ['operate'], key: KEY_A },
        { name: 'ops', scopes: ['operate'], key: KEY_B },
      ]),
    );

    expect(config.apiKeys.map((key) => key.name)).toEqual(['ops', 'ops']);
  });

  it('configures none when neither is set (the service generates one outside production)', () => {
    expect(loadConfig({}).apiKeys).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'NODE_ENV=production needs ANTAEUS_API_KEYS or ANTAEUS_API_TOKEN: the service generates a key only outside production',
    ]);
    expect(loadConfig({ NODE_ENV: 'production', ANTAEUS_API_TOKEN: KEY_A }).apiKeys).toHaveLength(
      1,
    );
  });

  const MALFORMED: [what: string, value: string, problem: string][] = [
    [
      'text that is not JSON',
      `[{"name": "ops", "key": "${KEY_A}"`,
      'ANTAEUS_API_KEYS is not valid JSON: expected [{ "name": ..., "scopes": ["read", "operate"], "key": ... }, ...]',
    ],
    ['JSON with text after it', '[] and more', 'ANTAEUS_API_KEYS is not valid JSON'],
    ['an empty array', '[]', 'ANTAEUS_API_KEYS must be a non-empty JSON array'],
    [
      'an entry that is not an object',
      JSON.stringify([KEY_A]),
      'ANTAEUS_API_KEYS[0] must be an object { name, scopes, key }',
    ],
    [
      'a short key',
      JSON.stringify([{ name: 'ops', scopes: ['read'], key: 'short-key' }]),
      'ANTAEUS_API_KEYS[0] ("ops"): key is too short: an API key needs at least 24 characters',
    ],
    [
      'a key with a space',
      JSON.stringify([{ name: 'ops', scopes: ['read'], key: `${KEY_A} x` }]),
      'ANTAEUS_API_KEYS[0] ("ops"): key must be at most 512 printable ASCII characters without spaces',
    ],
    [
      'a key that is not a string',
      JSON.stringify([{ name: 'ops', scopes: ['read'], key: 1234567890 }]),
      'ANTAEUS_API_KEYS[0] ("ops"): key must be a string',
    ],
    [
      'an unknown scope',
      JSON.stringify([{ name: 'ops', scopes: ['read', 'admin'], key: KEY_A }]),
      'ANTAEUS_API_KEYS[0] ("ops"): unknown scopes "admin"; scopes are "read" and/or "operate"',
    ],
    [
      'no scopes',
      JSON.stringify([{ name: 'ops', scopes: [], key: KEY_A }]),
      'ANTAEUS_API_KEYS[0] ("ops"): scopes must be a non-empty array of "read" and/or "operate"',
    ],
    [
      'a bad name',
      JSON.stringify([{ name: 'ops team', scopes: ['read'], key: KEY_A }]),
      'ANTAEUS_API_KEYS[0]: name must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
    [
      'an unknown field',
      JSON.stringify([{ name: 'ops', scopes: ['read'], key: KEY_A, scope: 'operate' }]),
      'ANTAEUS_API_KEYS[0] ("ops") has unknown fields "scope"',
    ],
    [
      'the same key twice',
      JSON.stringify([
        { name: 'ops', scopes: ['read'], key: KEY_A },
        { name: 'finance', scopes: ['read'], key: KEY_A },
      ]),
      'ANTAEUS_API_KEYS[1] ("finance") has the same key as ANTAEUS_API_KEYS[0] ("ops"): keys must differ',
    ],
    [
      'one name with different scopes',
      JSON.stringify([
        { name: 'ops', scopes: ['read'], key: KEY_A },
        { name: 'ops', scopes: ['operate'], key: KEY_B },
      ]),
      'ANTAEUS_API_KEYS[1] ("ops") and ANTAEUS_API_KEYS[0] ("ops") are both "ops" (a key and its replacement) but grant different scopes',
    ],
  ];

  it.each(MALFORMED)('refuses %s, naming the entry and quoting no key', (_, value, problem) => {
    const problems = problemsOf({ ANTAEUS_API_KEYS: value });

    expect(problems).toEqual([expect.stringContaining(problem)]);
    expect(problems.join()).not.toContain(KEY_A);
    expect(problems.join()).not.toContain('short-key');
  });

  it('refuses an ANTAEUS_API_TOKEN shorter than 24 characters', () => {
    expect(problemsOf({ ANTAEUS_API_TOKEN: 'change-me' })).toEqual([
      'ANTAEUS_API_TOKEN is too short: an API key needs at least 24 characters',
    ]);
  });
});

describe('LOG_FORMAT and LOG_LEVEL', () => {
  it('are readable lines at info by default, JSON lines when NODE_ENV=production', () => {
    expect(loadConfig({}).log).toEqual({ format: 'pretty', level: 'info' });
    expect(loadConfig({ NODE_ENV: 'production', ANTAEUS_API_TOKEN: KEY_A }).log).toEqual({
      format: 'json',
      level: 'info',
    });
  });

  it('are set by LOG_FORMAT and LOG_LEVEL, and refused when unknown', () => {
    expect(loadConfig({ LOG_FORMAT: 'JSON', LOG_LEVEL: 'debug' }).log).toEqual({
      format: 'json',
      level: 'debug',
    });
    expect(
      loadConfig({ NODE_ENV: 'production', ANTAEUS_API_TOKEN: KEY_A, LOG_FORMAT: 'pretty' }).log
        .format,
    ).toBe('pretty');
    expect(problemsOf({ LOG_FORMAT: 'xml', LOG_LEVEL: 'loud' })).toEqual([
      'LOG_FORMAT must be one of json, pretty, got "xml"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, got "loud"',
    ]);
  });
});
