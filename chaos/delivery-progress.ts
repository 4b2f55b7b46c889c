import { isCharged } from '../src/payments/simulated/simulated-outcome';
import type { LedgerEntry } from '../test/support/service/ledger-entry';
import { LedgerTail } from '../test/support/service/ledger-tail';
import type { ServiceProcess } from '../test/support/service/service-process';

/**
 * What the provider has done so far, read from its ledger as it grows. Cheap to poll
 * every millisecond (LedgerTail reads only new bytes), so a kill can land right after
 * a charge.
 */
export class DeliveryProgress {
  private readonly tail: LedgerTail;
  private readonly seen = new Set<string>();
  private charges = 0;

  constructor(
    ledgerFile: string,
    private readonly invoices: number,
  ) {
    this.tail = new LedgerTail(ledgerFile);
  }

  /** Reads what was appended since the last poll; returns it. */
  poll(): LedgerEntry[] {
    const entries = this.tail.next();
    for (const entry of entries) {
      this.seen.add(entry.invoiceId);
      if (isCharged(entry.outcome)) this.charges++;
    }
    return entries;
  }

  describe(): string {
    this.poll();
    return `${this.seen.size}/${this.invoices} invoices seen by the provider, ${this.charges} charges`;
  }

  /**
   * Polls until `instance` makes its next successful charge, or `timeoutMs` passes;
   * returns that charge's key, or undefined on timeout.
   */
  async nextChargeBy(instance: ServiceProcess, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    const pid = instance.pid;
    this.poll(); // the charges before now are not the next one
    while (Date.now() < deadline) {
      const charge = this.poll().findLast(
        (entry) =>
          isCharged(entry.outcome) &&
          (entry.client === undefined ? entry.pid === pid : entry.client === instance.instanceId),
      );
      if (charge) return charge.idempotencyKey;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return undefined;
  }
}
