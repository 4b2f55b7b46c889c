import {
  decideInvoice,
  evolveInvoice,
  findInvoiceDiscrepancies,
  type InvoiceCommand,
  type InvoiceState,
  type ProcessingDeadline,
} from '../../../src/billing/domain';
import {
  at,
  claim,
  expectAccepted,
  expectRejected,
  given,
  invoiceOf,
  issue,
  minutesAfterT0,
  redrive,
  unknown,
  withdraw,
} from './invoice-test-kit';

/** Claimed at T0 + 1 min (given's second command). */
const CLAIMED_AT = Date.parse(minutesAfterT0(1));
const DEADLINE: ProcessingDeadline = { afterArrivalMs: 30_000, sendingWindowMs: 60_000 };
/** The last moment the provider may process the attempt: claim + window + deadline. */
const LAST_PROCESSING = CLAIMED_AT + 90_000;
const NOW = minutesAfterT0(60);

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function pastDeadline(notFoundAt: string, attempt = 1, deadline = DEADLINE): InvoiceCommand {
  return { type: 'WithdrawPastDeadline', invoiceId: '42', attempt, deadline, notFoundAt };
}

function decideNow(command: InvoiceCommand, state: InvoiceState) {
  return decideInvoice(command, state, at(NOW, 'instance-c'));
}

const processing = () => given(issue(), claim()).state;

describe('WithdrawPastDeadline (the provider declared a processing deadline)', () => {
  it('closes the attempt as not charged when the lookup was asked past the deadline; the invoice is PENDING again', () => {
    const notFoundAt = iso(LAST_PROCESSING + 1);
    const [event] = expectAccepted(decideNow(pastDeadline(notFoundAt), processing()));
    expect(event).toEqual({
      type: 'ChargeWithdrawn',
      data: {
        invoiceId: '42',
        attempt: 1,
        idempotencyKey: 'invoice-42-attempt-1',
        runId: '2025-05',
        instanceId: 'instance-c',
        reason: 'PROVIDER_DEADLINE_PASSED',
        message: `the provider has no record of invoice-42-attempt-1, and its processing deadline passed at ${iso(LAST_PROCESSING)}: nothing was charged`,
        withdrawnAt: NOW,
      },
    });
    const invoice = invoiceOf(evolveInvoice(processing(), event));
    expect(invoice.status).toBe('PENDING');
    expect(invoice.attempts[0].outcome).toBe('WITHDRAWN');
    expect(findInvoiceDiscrepancies(invoice)).toEqual([]);
  });

  it('lets the next claim make a new attempt with a new key', () => {
    const withdrawn = expectAccepted(
      decideNow(pastDeadline(iso(LAST_PROCESSING + 1)), processing()),
    ).reduce(evolveInvoice, processing());
    const [event] = expectAccepted(decideNow(claim(), withdrawn));
    expect(event).toMatchObject({
      type: 'ChargeAttempted',
      data: { attempt: 2, idempotencyKey: 'invoice-42-attempt-2' },
    });
  });

  it('refuses while the provider could still process the request: the lookup asked up to the deadline proves nothing', () => {
    const message = expectRejected(
      decideNow(pastDeadline(iso(LAST_PROCESSING)), processing()),
      'ATTEMPT_NOT_EXPIRED',
    );
    expect(message).toContain(
      `could still be processed by the provider until ${iso(LAST_PROCESSING)}`,
    );
  });

  it('counts from the last re-drive: the sweep may have sent it again', () => {
    // Re-driven at NOW - 1 min (decided at its own time, once the attempt timed out).
    const redrivenAt = Date.parse(NOW) - 60_000;
    const redriven = expectAccepted(
      decideInvoice(redrive(1, 60_000), processing(), at(iso(redrivenAt), 'instance-b')),
    ).reduce(evolveInvoice, processing());
    const deadline = { afterArrivalMs: 20_000, sendingWindowMs: 30_000 };
    expectRejected(
      decideNow(pastDeadline(iso(redrivenAt + 50_000), 1, deadline), redriven),
      'ATTEMPT_NOT_EXPIRED',
    );
    expectAccepted(decideNow(pastDeadline(iso(redrivenAt + 50_001), 1, deadline), redriven));
  });

  it('refuses evidence from the future, a bad time or a bad deadline', () => {
    expectRejected(
      decideNow(pastDeadline(iso(Date.parse(NOW) + 1)), processing()),
      'INVALID_COMMAND',
    );
    expectRejected(decideNow(pastDeadline('yesterday'), processing()), 'INVALID_COMMAND');
    for (const deadline of [
      { afterArrivalMs: -1, sendingWindowMs: 0 },
      { afterArrivalMs: 0, sendingWindowMs: Number.NaN },
      { afterArrivalMs: Number.POSITIVE_INFINITY, sendingWindowMs: 0 },
    ]) {
      expectRejected(decideNow(pastDeadline(NOW, 1, deadline), processing()), 'INVALID_COMMAND');
    }
  });

  it('leaves an attempt that already ended alone, and refuses one never made', () => {
    const ended = given(issue(), claim(), unknown(1)).state;
    expectRejected(decideNow(pastDeadline(NOW), ended), 'OUTCOME_ALREADY_RECORDED');
    expectRejected(decideNow(pastDeadline(NOW, 2), processing()), 'ATTEMPT_MISMATCH');
  });

  it('is the only way to PROVIDER_DEADLINE_PASSED: WithdrawCharge may not claim it', () => {
    expectRejected(
      decideNow(withdraw(1, 'PROVIDER_DEADLINE_PASSED'), processing()),
      'INVALID_COMMAND',
    );
  });
});
