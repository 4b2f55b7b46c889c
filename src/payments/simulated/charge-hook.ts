import type { ChargeRequest } from '../../payment-provider/payment-provider.port';
import type { SimulatedOutcome } from './simulated-outcome';

/**
 * Where a call to the simulated provider can be observed or held:
 * - `received`: before anything happened at the provider (nothing charged yet);
 * - `processed`: after the outcome is decided and in the ledger, before the caller sees
 *   it (a charge held here is the "crashed after the provider charged" case).
 */
export type ChargeHookEvent =
  | { readonly phase: 'received'; readonly request: ChargeRequest }
  | {
      readonly phase: 'processed';
      readonly request: ChargeRequest;
      readonly outcome: SimulatedOutcome;
      /** An idempotent replay of an earlier result: nothing new was charged. */
      readonly replay: boolean;
    };

export type ChargeHookPhase = ChargeHookEvent['phase'];

/** Runs inside charge(); returning a promise holds the call until it settles. */
export type ChargeHook = (event: ChargeHookEvent) => void | Promise<void>;
