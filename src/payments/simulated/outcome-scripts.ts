import type { ChargeRequest } from '../../payment-provider/payment-provider.port';
import type { SimulatedOutcome } from './simulated-outcome';

/**
 * Outcomes a test forces for an invoice or an idempotency key. Each delivery takes the
 * next one and the last repeats, so `['network_error', 'paid']` fails once then pays,
 * and `['declined']` always declines. A key's script wins over its invoice's.
 */
export class OutcomeScripts {
  private readonly byKey = new Map<string, { outcomes: SimulatedOutcome[]; next: number }>();
  private readonly byInvoice = new Map<string, { outcomes: SimulatedOutcome[]; next: number }>();

  forKey(idempotencyKey: string, outcomes: SimulatedOutcome[]): void {
    this.byKey.set(idempotencyKey, { outcomes, next: 0 });
  }

  forInvoice(invoiceId: string, outcomes: SimulatedOutcome[]): void {
    this.byInvoice.set(invoiceId, { outcomes, next: 0 });
  }

  /** The scripted outcome of this delivery, or undefined when nothing is scripted. */
  take(request: ChargeRequest): SimulatedOutcome | undefined {
    // Checked first so unscripted runs (benchmarks) pay no map lookups.
    if (this.byKey.size === 0 && this.byInvoice.size === 0) return undefined;
    const script = this.byKey.get(request.idempotencyKey) ?? this.byInvoice.get(request.invoiceId);
    if (script === undefined) return undefined;
    const outcome = script.outcomes[Math.min(script.next, script.outcomes.length - 1)];
    script.next++;
    return outcome;
  }

  clear(): void {
    this.byKey.clear();
    this.byInvoice.clear();
  }
}
