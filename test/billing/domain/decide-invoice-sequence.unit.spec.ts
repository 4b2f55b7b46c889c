import {
  decideInvoiceSequence,
  foldInvoice,
  initialInvoiceState,
} from '../../../src/billing/domain';
import { at, claim, issue, paid, requeue, T0 } from './invoice-test-kit';

describe('decideInvoiceSequence', () => {
  it('decides each command on the state the previous ones left', () => {
    const result = decideInvoiceSequence([issue(), claim(), paid(1)], initialInvoiceState, at(T0));
    expect(result.ok && result.events.map((event) => event.type)).toEqual([
      'InvoiceIssued',
      'ChargeAttempted',
      'InvoicePaid',
    ]);
    expect(result.ok && result.state).toEqual(foldInvoice(result.ok ? result.events : []));
    expect(result.ok && result.state.exists && result.state.status).toBe('PAID');
  });

  it('stops at the first refusal and says which command it was', () => {
    const result = decideInvoiceSequence(
      [issue(), requeue(), claim()],
      initialInvoiceState,
      at(T0),
    );
    expect(result).toMatchObject({ ok: false, at: 1, error: { code: 'NOT_FAILED' } });
  });
});
