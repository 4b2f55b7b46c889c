import {
  DEFAULT_SIMULATED_PROVIDER_CONFIG,
  ledgerFileProblem,
  MAX_LATENCY_MS,
  MAX_SEED,
  RATE_SUM_TOLERANCE,
  sumOfRates,
  type FailureOutcome,
  type OutcomeRates,
  type SimulatedProviderConfig,
} from './simulated-provider-config';

type Env = Readonly<Record<string, string | undefined>>;

export type SimulatedProviderConfigResult =
  | { readonly ok: true; readonly config: SimulatedProviderConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

/** One variable per failure outcome: SIMULATED_<OUTCOME>_RATE. */
export const RATE_VARIABLES: Readonly<Record<FailureOutcome, string>> = {
  declined: 'SIMULATED_DECLINED_RATE',
  customer_not_found: 'SIMULATED_CUSTOMER_NOT_FOUND_RATE',
  currency_mismatch: 'SIMULATED_CURRENCY_MISMATCH_RATE',
  network_error: 'SIMULATED_NETWORK_ERROR_RATE',
  ambiguous_charged: 'SIMULATED_AMBIGUOUS_CHARGED_RATE',
  ambiguous_not_charged: 'SIMULATED_AMBIGUOUS_NOT_CHARGED_RATE',
};

export const SIMULATED_VARIABLES: readonly string[] = [
  'SIMULATED_SEED',
  'SIMULATED_LATENCY_MS',
  'SIMULATED_LATENCY_JITTER_MS',
  'SIMULATED_IDEMPOTENT',
  'SIMULATED_LOOKUP',
  ...Object.values(RATE_VARIABLES),
  'SIMULATED_LEDGER_FILE',
];

const INTEGER = /^\d+$/;
const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;

/**
 * Reads the simulated provider's settings from the environment. Unset or blank
 * variables take the defaults; every problem is reported, each naming its variable.
 * A SIMULATED_* variable this parser does not know is an error: a typo in a rate name
 * would otherwise silently run with the default rate.
 */
export function parseSimulatedProviderConfig(env: Env): SimulatedProviderConfigResult {
  const defaults = DEFAULT_SIMULATED_PROVIDER_CONFIG;
  const ctx: ReadContext = { env, errors: [] };
  const config: SimulatedProviderConfig = {
    seed: readInteger(ctx, 'SIMULATED_SEED', defaults.seed, MAX_SEED),
    latencyMs: readInteger(ctx, 'SIMULATED_LATENCY_MS', defaults.latencyMs, MAX_LATENCY_MS),
    latencyJitterMs: readInteger(
      ctx,
      'SIMULATED_LATENCY_JITTER_MS',
      defaults.latencyJitterMs,
      MAX_LATENCY_MS,
    ),
    idempotent: readBoolean(ctx, 'SIMULATED_IDEMPOTENT', defaults.idempotent),
    lookup: readBoolean(ctx, 'SIMULATED_LOOKUP', defaults.lookup),
    rates: readRates(ctx, defaults.rates),
    ledgerFile: readFilePath(ctx, 'SIMULATED_LEDGER_FILE', defaults.ledgerFile),
  };
  const errors = [...ctx.errors, ...unknownVariables(env)];
  return errors.length === 0 ? { ok: true, config } : { ok: false, errors };
}

/** Where the readers look and where they report; a failed read keeps the default. */
interface ReadContext {
  readonly env: Env;
  readonly errors: string[];
}

function readRates(ctx: ReadContext, defaults: OutcomeRates): OutcomeRates {
  const variables = Object.entries(RATE_VARIABLES) as [FailureOutcome, string][];
  const rates = Object.fromEntries(
    variables.map(([outcome, name]) => [outcome, readRate(ctx, name, defaults[outcome])]),
  ) as Record<FailureOutcome, number>;
  const total = sumOfRates(rates);
  if (total > 1 + RATE_SUM_TOLERANCE) {
    const names = Object.values(RATE_VARIABLES).join(', ');
    ctx.errors.push(
      `${names} must add up to at most 1 (defaults included), got ${Number(total.toFixed(6))}`,
    );
  }
  return rates;
}

function readInteger(ctx: ReadContext, name: string, fallback: number, max: number): number {
  const raw = readRaw(ctx, name);
  if (raw === undefined) return fallback;
  if (INTEGER.test(raw) && Number(raw) <= max) return Number(raw);
  return fail(ctx, name, raw, `an integer from 0 to ${max}`, fallback);
}

function readRate(ctx: ReadContext, name: string, fallback: number): number {
  const raw = readRaw(ctx, name);
  if (raw === undefined) return fallback;
  if (DECIMAL.test(raw) && Number(raw) <= 1) return Number(raw);
  return fail(ctx, name, raw, 'a decimal from 0 to 1, for example 0.05', fallback);
}

function readBoolean(ctx: ReadContext, name: string, fallback: boolean): boolean {
  const raw = readRaw(ctx, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return fail(ctx, name, raw, '"true" or "false"', fallback);
}

function readFilePath(ctx: ReadContext, name: string, fallback: string | null): string | null {
  const raw = readRaw(ctx, name);
  if (raw === undefined) return fallback;
  const problem = ledgerFileProblem(raw);
  if (problem === null) return raw;
  ctx.errors.push(`${name} ${problem}`);
  return fallback;
}

/** Blank counts as unset: compose files often write `NAME=` to mean "the default". */
function readRaw(ctx: ReadContext, name: string): string | undefined {
  const value = ctx.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function fail<T>(ctx: ReadContext, name: string, raw: string, expected: string, fallback: T): T {
  ctx.errors.push(`${name} must be ${expected}, got ${JSON.stringify(raw)}`);
  return fallback;
}

function unknownVariables(env: Env): string[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('SIMULATED_') && !SIMULATED_VARIABLES.includes(name))
    .map((name) => `${name} is not a known variable; known: ${SIMULATED_VARIABLES.join(', ')}`);
}
