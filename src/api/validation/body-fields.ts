import { describeEntityIdRule, isEntityId } from '../../billing/domain';
import type { FieldError } from './field-error';

/**
 * Reads the fields of a JSON object body, collecting every error with its path. Unknown
 * fields are refused, so a misspelt optional field is a 400, not a silent default.
 */
export class BodyFields {
  readonly errors: FieldError[] = [];
  private readonly object: Readonly<Record<string, unknown>>;

  constructor(
    value: unknown,
    private readonly path: string,
    known: readonly string[],
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path || 'body', 'must be a JSON object');
      this.object = {};
      return;
    }
    this.object = value as Record<string, unknown>;
    for (const key of Object.keys(this.object)) {
      if (!known.includes(key)) this.fail(this.at(key), 'is not a known property');
    }
  }

  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  raw(key: string): unknown {
    return this.object[key];
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.object, key) && this.object[key] !== undefined;
  }

  entityId(key: string): string {
    const value = this.object[key];
    if (!this.has(key)) this.fail(this.at(key), 'is required');
    else if (!isEntityId(value)) this.fail(this.at(key), `must be ${describeEntityIdRule()}`);
    return value as string;
  }

  /** An optional string; absent gives undefined, null is refused (leave it out instead). */
  optionalString(key: string, maxLength: number): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (typeof value !== 'string') this.fail(this.at(key), 'must be a string');
    else if (value.length > maxLength)
      this.fail(this.at(key), `must be at most ${maxLength} characters`);
    else if (value.includes('\u0000')) this.fail(this.at(key), 'must not contain NUL characters');
    else return value;
    return undefined;
  }
}
