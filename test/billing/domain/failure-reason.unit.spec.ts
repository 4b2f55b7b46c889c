import {
  CHARGE_FAILURE_REASONS,
  UNKNOWN_OUTCOME_REASONS,
  classifyFailure,
  isChargeFailureReason,
  isUnknownOutcomeReason,
} from '../../../src/billing/domain';

describe('classifyFailure (docs/design.md §4.2)', () => {
  it.each([
    ['INSUFFICIENT_FUNDS', 'business', true],
    ['CUSTOMER_NOT_FOUND', 'permanent', false],
    ['CURRENCY_MISMATCH', 'permanent', false],
    ['PROVIDER_REJECTED', 'permanent', false],
    ['NETWORK', 'transient', true],
    ['AMBIGUOUS_NETWORK_ERROR', 'ambiguous', false],
    ['ATTEMPT_TIMED_OUT', 'ambiguous', false],
  ] as const)('%s is %s, retryable=%s', (reason, failureClass, retryable) => {
    expect(classifyFailure(reason)).toEqual({ class: failureClass, retryable });
  });

  it('classifies every reason, and never retries an ambiguous one automatically', () => {
    for (const reason of [...CHARGE_FAILURE_REASONS, ...UNKNOWN_OUTCOME_REASONS]) {
      const { class: failureClass, retryable } = classifyFailure(reason);
      expect(['business', 'permanent', 'transient', 'ambiguous']).toContain(failureClass);
      if (failureClass === 'ambiguous') expect(retryable).toBe(false);
    }
  });

  it('tells the two kinds of reason apart', () => {
    expect(isChargeFailureReason('NETWORK')).toBe(true);
    expect(isChargeFailureReason('ATTEMPT_TIMED_OUT')).toBe(false);
    expect(isUnknownOutcomeReason('ATTEMPT_TIMED_OUT')).toBe(true);
    expect(isUnknownOutcomeReason('NETWORK')).toBe(false);
  });
});
