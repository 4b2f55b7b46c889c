import type { HttpProviderConfig } from './http-provider-config';
import type { SimulatedProviderConfig } from './simulated-provider-config';

/** Which payment provider the service talks to (PAYMENT_PROVIDER), and how. */
export type PaymentProviderConfig =
  | { readonly kind: 'simulated'; readonly simulated: SimulatedProviderConfig }
  | { readonly kind: 'http'; readonly http: HttpProviderConfig };
