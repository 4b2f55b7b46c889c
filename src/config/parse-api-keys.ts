import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { API_SCOPES, type ApiKeyConfig, type ApiScope } from './app-config';
import type { EnvReader } from './env-reader';

export const MIN_API_KEY_LENGTH = 24;
const MAX_API_KEY_LENGTH = 512;
/** Printable ASCII without spaces: anything else could not travel in a Bearer header. */
const KEY_CHARACTERS = /^[\x21-\x7e]+$/;
/** Names go into event metadata and log lines: keep them plain. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const FIELDS = new Set(['name', 'scopes', 'key']);

/** The principal ANTAEUS_API_TOKEN acts as: one key with every scope. */
export const API_TOKEN_KEY_NAME = 'api-token';

interface LabelledKey {
  readonly label: string;
  readonly key: ApiKeyConfig;
}

/**
 * The API keys: ANTAEUS_API_KEYS (a JSON array, inline or in the file whose path it
 * gives) and ANTAEUS_API_TOKEN (one key named `api-token` with both scopes). Problems
 * name the entry (`ANTAEUS_API_KEYS[2] ("finance-ro")`) and never quote a key or the
 * JSON around it.
 */
export function parseApiKeys(read: EnvReader): readonly ApiKeyConfig[] {
  const problems = read.problems;
  const keys: LabelledKey[] = [];
  const listed = read.string('ANTAEUS_API_KEYS');
  if (listed) {
    const entries = readEntries(listed, problems);
    entries?.forEach((entry, index) => {
      const label = `ANTAEUS_API_KEYS[${index}]${nameSuffix(entry)}`;
      const key = parseEntry(entry, label, problems);
      if (key) keys.push({ label, key });
    });
  }
  const token = read.string('ANTAEUS_API_TOKEN');
  if (token) {
    const key = { name: API_TOKEN_KEY_NAME, scopes: [...API_SCOPES], key: token };
    if (checkKey(token, 'ANTAEUS_API_TOKEN', problems))
      keys.push({ label: 'ANTAEUS_API_TOKEN', key });
  }
  checkAcrossEntries(keys, problems);
  return keys.map(({ key }) => key);
}

function readEntries(value: string, problems: string[]): unknown[] | undefined {
  let text = value;
  let source = 'ANTAEUS_API_KEYS';
  if (!value.startsWith('[')) {
    const path = resolve(value);
    source = `ANTAEUS_API_KEYS (the file ${path})`;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(
        `ANTAEUS_API_KEYS must be a JSON array or the path of a file holding one; cannot read ${path} (${code})`,
      );
      return undefined;
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, and the text holds keys.
    problems.push(
      `${source} is not valid JSON: expected [{ "name": ..., "scopes": ["read", "operate"], "key": ... }, ...]`,
    );
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    problems.push(`${source} must be a non-empty JSON array of { name, scopes, key } objects`);
    return undefined;
  }
  return parsed;
}

function nameSuffix(entry: unknown): string {
  const name = (entry as { name?: unknown } | null)?.name;
  return typeof name === 'string' && NAME.test(name) ? ` ("${name}")` : '';
}

function parseEntry(entry: unknown, label: string, problems: string[]): ApiKeyConfig | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.push(`${label} must be an object { name, scopes, key }`);
    return undefined;
  }
  const before = problems.length;
  const { name, scopes, key } = entry as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((field) => !FIELDS.has(field));
  if (unknown.length > 0) {
    problems.push(`${label} has unknown fields ${unknown.map((f) => `"${f}"`).join(', ')}`);
  }
  if (typeof name !== 'string' || !NAME.test(name)) {
    problems.push(
      `${label}: name must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  const parsedScopes = parseScopes(scopes, label, problems);
  if (typeof key !== 'string') {
    problems.push(`${label}: key must be a string`);
  } else {
    checkKey(key, `${label}: key`, problems);
  }
  if (problems.length > before) return undefined;
  return { name: name as string, scopes: parsedScopes, key: key as string };
}

function parseScopes(scopes: unknown, label: string, problems: string[]): ApiScope[] {
  const allowed = API_SCOPES.map((scope) => `"${scope}"`).join(' and/or ');
  if (!Array.isArray(scopes) || scopes.length === 0) {
    problems.push(`${label}: scopes must be a non-empty array of ${allowed}`);
    return [];
  }
  const wrong = scopes.filter((scope) => !API_SCOPES.includes(scope as ApiScope));
  if (wrong.length > 0) {
    problems.push(
      `${label}: unknown scopes ${wrong.map((s) => JSON.stringify(s)).join(', ')}; scopes are ${allowed}`,
    );
    return [];
  }
  return API_SCOPES.filter((scope) => scopes.includes(scope));
}

function checkKey(key: string, label: string, problems: string[]): boolean {
  if (key.length < MIN_API_KEY_LENGTH) {
    problems.push(
      `${label} is too short: an API key needs at least ${MIN_API_KEY_LENGTH} characters`,
    );
    return false;
  }
  if (key.length > MAX_API_KEY_LENGTH || !KEY_CHARACTERS.test(key)) {
    problems.push(
      `${label} must be at most ${MAX_API_KEY_LENGTH} printable ASCII characters without spaces`,
    );
    return false;
  }
  return true;
}

/**
 * A key listed twice would make its principal ambiguous; one name with two keys is a
 * rotation, whose old and new key must grant the same scopes.
 */
function checkAcrossEntries(keys: readonly LabelledKey[], problems: string[]): void {
  keys.forEach(({ label, key }, index) => {
    const earlier = keys.slice(0, index);
    const sameKey = earlier.find((other) => other.key.key === key.key);
    if (sameKey) problems.push(`${label} has the same key as ${sameKey.label}: keys must differ`);
    const sameName = earlier.find((other) => other.key.name === key.name);
    if (sameName && sameName.key.scopes.join() !== key.scopes.join()) {
      problems.push(
        `${label} and ${sameName.label} are both "${key.name}" (a key and its replacement) but grant different scopes`,
      );
    }
  });
}
