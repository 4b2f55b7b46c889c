import {
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
} from '@nestjs/common';
import { PAYMENT_PROVIDER } from './payment-provider.port';
import { SimulatedPaymentProvider } from './simulated/simulated-payment-provider';
import type { SimulatedProviderConfig } from './simulated/simulated-provider-config';

export interface PaymentsModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  /** Returns the parsed config (see parseSimulatedProviderConfig); runs once. */
  readonly useFactory: (
    ...args: never[]
  ) => SimulatedProviderConfig | Promise<SimulatedProviderConfig>;
}

/**
 * Wires the payment provider; computes nothing. PAYMENT_PROVIDER is what the billing
 * code injects; SimulatedPaymentProvider is exported too so tests can read its ledger.
 */
@Module({})
export class PaymentsModule {
  static register(options: PaymentsModuleOptions): DynamicModule {
    return {
      module: PaymentsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: SimulatedPaymentProvider,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) =>
            new SimulatedPaymentProvider(await options.useFactory(...args)),
        },
        { provide: PAYMENT_PROVIDER, useExisting: SimulatedPaymentProvider },
      ],
      exports: [PAYMENT_PROVIDER, SimulatedPaymentProvider],
    };
  }
}
