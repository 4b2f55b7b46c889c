import {
  billingRunStream,
  idempotencyKey,
  invoiceStream,
  parseBillingRunStream,
  parseIdempotencyKey,
  parseInvoiceStream,
} from '../../../src/billing/domain';

describe('invoice streams', () => {
  it('names and parses back', () => {
    expect(invoiceStream('42')).toBe('invoice-42');
    expect(parseInvoiceStream('invoice-42')).toBe('42');
    expect(parseInvoiceStream(invoiceStream('a-b.c'))).toBe('a-b.c');
  });

  it('refuses ids that would not survive a stream name', () => {
    expect(() => invoiceStream('')).toThrow(RangeError);
    expect(() => invoiceStream('4 2')).toThrow('not a valid invoice id: "4 2"');
  });

  it('does not take other streams for invoices', () => {
    expect(parseInvoiceStream('billing-run-2025-05')).toBeNull();
    expect(parseInvoiceStream('invoice-')).toBeNull();
  });
});

describe('billing-run streams', () => {
  it('names a scheduled run by its period and a manual run by its id', () => {
    expect(billingRunStream('2025-05')).toBe('billing-run-2025-05');
    expect(billingRunStream('manual-7f3a')).toBe('billing-run-manual-7f3a');
  });

  it('parses the trigger back from the name', () => {
    expect(parseBillingRunStream('billing-run-2025-05')).toEqual({
      trigger: 'scheduled',
      runId: '2025-05',
      period: '2025-05',
    });
    expect(parseBillingRunStream('billing-run-manual-7f3a')).toEqual({
      trigger: 'manual',
      runId: 'manual-7f3a',
    });
    expect(parseBillingRunStream('invoice-42')).toBeNull();
    expect(parseBillingRunStream('billing-run-')).toBeNull();
  });

  it('refuses an invalid run id', () => {
    expect(() => billingRunStream('a/b')).toThrow(RangeError);
  });
});

describe('idempotency keys', () => {
  it('are invoice-<id>-attempt-<n>', () => {
    expect(idempotencyKey('42', 3)).toBe('invoice-42-attempt-3');
  });

  it('parse back, even when the id has dashes', () => {
    expect(parseIdempotencyKey('invoice-a-attempt-b-attempt-12')).toEqual({
      invoiceId: 'a-attempt-b',
      attempt: 12,
    });
    expect(parseIdempotencyKey('invoice-42-attempt-0')).toBeNull();
    expect(parseIdempotencyKey('order-42-attempt-1')).toBeNull();
  });

  it.each([0, -1, 1.5])('refuse attempt %s', (attempt) => {
    expect(() => idempotencyKey('42', attempt)).toThrow(
      `attempt must be a positive integer, got ${attempt}`,
    );
  });
});
