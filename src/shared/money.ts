/**
 * Money is a decimal string and a currency, never a float: a charge of 0.1 + 0.2 must
 * be 0.30 exactly, on every instance and in every replay.
 */
export const CURRENCIES = ['EUR', 'USD', 'DKK', 'SEK', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

// A type alias, not an interface: only aliases are assignable to the event store's
// JsonObject, so events can carry Money and still be checked as JSON by the compiler.
export type Money = {
  /** A non-negative decimal with at most two fraction digits, for example "123.45". */
  readonly value: string;
  readonly currency: Currency;
};

const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

export type MoneyParseResult =
  { readonly ok: true; readonly money: Money } | { readonly ok: false; readonly message: string };

/** Parses and normalises ("10.5" becomes "10.50"); says what was wrong otherwise. */
export function parseMoney(value: unknown, currency: unknown): MoneyParseResult {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    return {
      ok: false,
      message: `amount must be a decimal string with at most two fraction digits, got ${JSON.stringify(value)}`,
    };
  }
  if (!isCurrency(currency)) {
    return {
      ok: false,
      message: `currency must be one of ${CURRENCIES.join(', ')}, got ${JSON.stringify(currency)}`,
    };
  }
  const [whole, fraction = ''] = value.split('.');
  return { ok: true, money: { value: `${whole}.${fraction.padEnd(2, '0')}`, currency } };
}

/** Minor units (cents) as a bigint: exact arithmetic for sums and comparisons. */
export function toMinorUnits(money: Money): bigint {
  const [whole, fraction = ''] = money.value.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
}

export function fromMinorUnits(minor: bigint, currency: Currency): Money {
  if (minor < 0n) throw new RangeError(`money cannot be negative: ${minor}`);
  const whole = minor / 100n;
  const fraction = (minor % 100n).toString().padStart(2, '0');
  return { value: `${whole}.${fraction}`, currency };
}
