/**
 * JSON with every object's keys in code-unit order, so two bodies that differ only in
 * key order or spacing serialise the same. Values are what a JSON parser gives
 * (objects, arrays, strings, finite numbers, booleans, null); like JSON.stringify, an
 * undefined property is left out and an undefined value is `null`.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
