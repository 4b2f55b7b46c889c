import {
  CHARGE_FAILURE_REASONS,
  classifyFailure,
  isChargeFailureReason,
  isUnknownOutcomeReason,
  type ChargeFailureReason,
} from './failure-reason';
import { isEntityId } from './entity-id';

/**
 * When to try a failed charge again, per failure reason (docs/design.md §2.11): plain data,
 * read once at start. `retries[reason]` lists the delays of retry 1, 2, … each counted
 * from the failure before it (`3d`: three days after the attempt that failed); a reason
 * not listed, or listed empty, is never retried. Only the delays in force at a failure
 * are used, and they are written into the log with it, so a later policy never moves a
 * retry already scheduled.
 */
export interface RetryPolicy {
  /** Named in every RetryScheduled / RetriesExhausted, so the audit says which policy. */
  readonly name: string;
  readonly retries: Readonly<Partial<Record<ChargeFailureReason, readonly string[]>>>;
}

/** The documented defaults (docs/billing.md "Retries"): declines wait days, outages hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  name: 'default',
  retries: Object.freeze({
    INSUFFICIENT_FUNDS: Object.freeze(['3d', '5d', '7d']),
    NETWORK: Object.freeze(['1h', '6h', '24h']),
    CUSTOMER_NOT_FOUND: Object.freeze([]),
    CURRENCY_MISMATCH: Object.freeze([]),
    PROVIDER_REJECTED: Object.freeze([]),
  }),
});

/** More retries than this per reason is a typo, not a policy. */
export const MAX_RETRIES_PER_REASON = 20;
const MAX_DELAY_MS = 366 * 24 * 60 * 60_000;
const DELAY = /^([1-9]\d{0,5})([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 60 * 60_000, d: 24 * 60 * 60_000 } as const;

/** `90s`, `30m`, `6h`, `3d` in milliseconds; null for anything else. */
export function retryDelayMs(text: string): number | null {
  const match = DELAY.exec(text);
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms <= MAX_DELAY_MS ? ms : null;
}

export type ParsedRetryPolicy =
  | { readonly ok: true; readonly policy: RetryPolicy }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * A policy from its JSON form, `{"name": "...", "retries": {"INSUFFICIENT_FUNDS": ["3d",
 * "5d", "7d"], ...}}`, with every problem at once, each saying what to write instead.
 */
export function parseRetryPolicy(input: unknown): ParsedRetryPolicy {
  const errors: string[] = [];
  if (!isPlainObject(input)) {
    return { ok: false, errors: ['must be a JSON object like {"name": "...", "retries": {...}}'] };
  }
  for (const key of Object.keys(input)) {
    if (key !== 'name' && key !== 'retries') errors.push(`unknown field "${key}" (name, retries)`);
  }
  const { name, retries } = input;
  if (!isEntityId(name)) {
    errors.push('"name" must name the policy (letters, digits, "_", ".", ":" or "-")');
  }
  if (!isPlainObject(retries)) {
    errors.push(
      `"retries" must be an object of failure reason to delays, e.g. {"NETWORK": ["1h"]}`,
    );
    return { ok: false, errors };
  }
  const parsed: Partial<Record<ChargeFailureReason, readonly string[]>> = {};
  for (const [reason, delays] of Object.entries(retries)) {
    const rule = parseRule(reason, delays, errors);
    if (rule && isChargeFailureReason(reason)) parsed[reason] = rule;
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policy: { name: name as string, retries: parsed } };
}

function parseRule(reason: string, delays: unknown, errors: string[]): readonly string[] | null {
  if (isUnknownOutcomeReason(reason) || reason === 'UNKNOWN') {
    errors.push(
      `"${reason}" is an unknown outcome, not a failure: it is never retried automatically (a person resolves it)`,
    );
    return null;
  }
  if (!isChargeFailureReason(reason)) {
    errors.push(`"${reason}" is not a failure reason (${CHARGE_FAILURE_REASONS.join(', ')})`);
    return null;
  }
  if (!Array.isArray(delays) || delays.some((delay) => typeof delay !== 'string')) {
    errors.push(`"${reason}" must be a list of delays such as ["3d", "5d"], or [] for never`);
    return null;
  }
  const texts = delays as string[];
  if (texts.length > 0 && classifyFailure(reason).class === 'permanent') {
    errors.push(
      `"${reason}" is permanent: another attempt cannot succeed until a person fixes it, so it must be []`,
    );
    return null;
  }
  if (texts.length > MAX_RETRIES_PER_REASON) {
    errors.push(`"${reason}" has ${texts.length} retries; at most ${MAX_RETRIES_PER_REASON}`);
    return null;
  }
  const bad = texts.filter((text) => retryDelayMs(text) === null);
  if (bad.length > 0) {
    errors.push(
      `"${reason}": ${bad.map((text) => JSON.stringify(text)).join(', ')} is not a delay; write a number and s, m, h or d (e.g. "90m", "3d"), at most 366d`,
    );
    return null;
  }
  return Object.freeze([...texts]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
