type Env = Readonly<Record<string, string | undefined>>;

const INTEGER = /^\d+$/;
const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;

/**
 * The one reader of settings from the environment, with one grammar for every variable
 * (the README's "Configuration" says the same):
 * - blank counts as unset (compose files often write `NAME=` to mean "the default"),
 *   and values are trimmed;
 * - integers are plain digits within the setting's range;
 * - booleans are `true` or `false`, in any case; nothing else (not `1`/`0`, not `yes`);
 * - a bad value is a problem naming the variable, what it must be and what it got, and
 *   the reader carries on with the default so that every problem is reported at once.
 */
export class EnvReader {
  constructor(
    private readonly env: Env,
    readonly problems: string[] = [],
  ) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (INTEGER.test(text) && value >= min && value <= max) return value;
    return this.fail(name, text, `an integer from ${min} to ${max}`, fallback);
  }

  /** A fraction from 0 to 1, such as a rate: `0.05`, `.5`, `1`. */
  fraction(name: string, fallback: number): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    if (DECIMAL.test(text) && Number(text) <= 1) return Number(text);
    return this.fail(name, text, 'a decimal from 0 to 1, for example 0.05', fallback);
  }

  boolean(name: string, fallback: boolean): boolean {
    const text = this.string(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if (text === 'true' || text === 'false') return text === 'true';
    return this.fail(name, text, '"true" or "false"', fallback);
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const text = this.string(name)?.toLowerCase();
    if (text === undefined) return fallback;
    if ((values as readonly string[]).includes(text)) return text as T;
    return this.fail(name, text, `one of ${values.join(', ')}`, fallback);
  }

  /** A postgres:// (or postgresql://) URL. */
  postgresUrl(name: string): string | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (URL.canParse(text) && /^postgres(ql)?:$/.test(new URL(text).protocol)) return text;
    return this.fail(name, text, 'a postgres:// URL', undefined);
  }

  httpUrl(name: string): string | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (URL.canParse(text) && /^https?:$/.test(new URL(text).protocol)) return text;
    return this.fail(name, text, 'an http:// or https:// URL', undefined);
  }

  timeZone(name: string, fallback: string): string {
    const text = this.string(name) ?? fallback;
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: text });
      return text;
    } catch {
      return this.fail(name, text, 'an IANA time zone such as Europe/Copenhagen', fallback);
    }
  }

  /** A problem that is not one value's grammar (two settings that do not go together). */
  problem(text: string): void {
    this.problems.push(text);
  }

  private fail<T>(name: string, text: string, expected: string, fallback: T): T {
    this.problems.push(`${name} must be ${expected}, got ${JSON.stringify(text)}`);
    return fallback;
  }
}
