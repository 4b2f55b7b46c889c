import { Test } from '@nestjs/testing';
import {
  PAYMENT_PROVIDER,
  type PaymentProvider,
} from '../../src/payment-provider/payment-provider.port';
import { PaymentsModule } from '../../src/payments/payments.module';
import { parseSimulatedProviderConfig } from '../../src/config/parse-simulated-provider-config';
import { SimulatedPaymentProvider } from '../../src/payments/simulated/simulated-payment-provider';

describe('PaymentsModule', () => {
  it('provides the simulated provider built from the factory config under PAYMENT_PROVIDER', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        PaymentsModule.register({
          useFactory: () => {
            const result = parseSimulatedProviderConfig({ SIMULATED_IDEMPOTENT: 'false' });
            if (!result.ok) throw new Error(result.errors.join('\n'));
            return { kind: 'simulated' as const, simulated: result.config };
          },
        }),
      ],
    }).compile();

    const provider = moduleRef.get<PaymentProvider>(PAYMENT_PROVIDER);
    expect(provider).toBeInstanceOf(SimulatedPaymentProvider);
    expect(provider.idempotent).toBe(false);
    expect(moduleRef.get(SimulatedPaymentProvider)).toBe(provider);
  });
});
