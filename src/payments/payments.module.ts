import {
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
} from '@nestjs/common';
import { HttpPaymentProvider } from './http/http-payment-provider';
import type { PaymentProviderConfig } from '../config/payment-provider-config';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../payment-provider/payment-provider.port';
import { SimulatedPaymentProvider } from './simulated/simulated-payment-provider';
import type { SimulatedClock } from './simulated/simulated-clock';
import { AntaeusMetrics } from '../metrics/antaeus-metrics';
import { MeteredPaymentProvider } from './metered-payment-provider';

/** The adapter itself, before it is metered: what SimulatedPaymentProvider is read from. */
const PROVIDER_ADAPTER = Symbol('PROVIDER_ADAPTER');

export interface PaymentsModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: FactoryProvider['inject'];
  /** Returns which provider to use and its settings (from loadConfig); runs once. */
  readonly useFactory: (...args: never[]) => PaymentProviderConfig | Promise<PaymentProviderConfig>;
  /** The in-process simulator's clock (the test clock, so late payers pay when it moves). */
  readonly simulatedClock?: SimulatedClock;
}

/**
 * Wires the payment provider; computes nothing. PAYMENT_PROVIDER is what the billing
 * code injects, metered when the app has metrics (MetricsModule). SimulatedPaymentProvider
 * is exported too, so tests can read its ledger; it is null when the provider is not the
 * in-process simulator.
 */
@Module({})
export class PaymentsModule {
  static register(options: PaymentsModuleOptions): DynamicModule {
    return {
      module: PaymentsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: PROVIDER_ADAPTER,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) =>
            createProvider(await options.useFactory(...args), options.simulatedClock),
        },
        {
          provide: PAYMENT_PROVIDER,
          inject: [PROVIDER_ADAPTER, { token: AntaeusMetrics, optional: true }],
          useFactory: (provider: PaymentProvider, metrics: AntaeusMetrics | undefined) =>
            metrics ? new MeteredPaymentProvider(provider, metrics) : provider,
        },
        {
          provide: SimulatedPaymentProvider,
          inject: [PROVIDER_ADAPTER],
          useFactory: (provider: PaymentProvider) =>
            provider instanceof SimulatedPaymentProvider ? provider : null,
        },
      ],
      exports: [PAYMENT_PROVIDER, SimulatedPaymentProvider],
    };
  }
}

function createProvider(config: PaymentProviderConfig, clock?: SimulatedClock): PaymentProvider {
  switch (config.kind) {
    case 'simulated':
      return new SimulatedPaymentProvider(config.simulated, clock);
    case 'http':
      return new HttpPaymentProvider(config.http);
  }
}
