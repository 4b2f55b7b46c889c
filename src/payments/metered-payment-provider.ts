import type { AntaeusMetrics, ProviderCallOutcome } from '../metrics/antaeus-metrics';
import { NetworkError } from '../payment-provider/errors/network.error';
import type {
  ChargeLookupResult,
  ChargeRequest,
  PaymentProvider,
} from '../payment-provider/payment-provider.port';

interface Ended {
  readonly outcome: ProviderCallOutcome;
  readonly reason: string;
}

/**
 * The payment provider with every call counted and timed, as the provider answered it
 * (before the engine classifies or retries anything): `antaeus_provider_charges_total`,
 * `antaeus_provider_call_duration_seconds`, `antaeus_provider_calls_in_flight`.
 */
export class MeteredPaymentProvider implements PaymentProvider {
  readonly idempotent: boolean;
  readonly lookup?: (idempotencyKey: string) => Promise<ChargeLookupResult>;
  readonly notFoundFinalAfterMs?: number;

  constructor(
    private readonly provider: PaymentProvider,
    private readonly metrics: AntaeusMetrics,
  ) {
    this.idempotent = provider.idempotent;
    const lookup = provider.lookup?.bind(provider);
    if (lookup) this.lookup = (key) => this.meteredLookup(lookup, key);
    if (provider.notFoundFinalAfterMs !== undefined) {
      this.notFoundFinalAfterMs = provider.notFoundFinalAfterMs;
    }
  }

  async charge(request: ChargeRequest): Promise<boolean> {
    const { providerCallsInFlight: inFlight, providerCallDuration, providerCharges } = this.metrics;
    inFlight.inc({ operation: 'charge' });
    const end = providerCallDuration.startTimer({ operation: 'charge' });
    let ended: Ended = { outcome: 'error', reason: 'unrecognised' };
    try {
      const paid = await this.provider.charge(request);
      ended = paid
        ? { outcome: 'paid', reason: 'none' }
        : { outcome: 'declined', reason: 'insufficient_funds' };
      return paid;
    } catch (error) {
      ended = endedBy(error);
      throw error;
    } finally {
      inFlight.dec({ operation: 'charge' });
      end({ outcome: ended.outcome });
      providerCharges.inc({ outcome: ended.outcome, reason: ended.reason });
    }
  }

  private async meteredLookup(
    lookup: (key: string) => Promise<ChargeLookupResult>,
    key: string,
  ): Promise<ChargeLookupResult> {
    const { providerCallsInFlight: inFlight, providerCallDuration } = this.metrics;
    inFlight.inc({ operation: 'lookup' });
    const end = providerCallDuration.startTimer({ operation: 'lookup' });
    let outcome = 'error';
    try {
      const result = await lookup(key);
      outcome = result;
      return result;
    } finally {
      inFlight.dec({ operation: 'lookup' });
      end({ outcome });
    }
  }
}

/** The provider's refusal or failure, as a low-cardinality outcome and reason. */
function endedBy(error: unknown): Ended {
  if (error instanceof NetworkError) {
    if (error.throttled) return { outcome: 'error', reason: 'throttled' };
    return {
      outcome: 'error',
      reason: error.mayHaveReachedProvider ? 'network_maybe_sent' : 'network_not_sent',
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'CUSTOMER_NOT_FOUND':
    case 'CURRENCY_MISMATCH':
    case 'PROVIDER_REJECTED':
      return { outcome: 'rejected', reason: code.toLowerCase() };
    default:
      return { outcome: 'error', reason: 'unrecognised' };
  }
}
