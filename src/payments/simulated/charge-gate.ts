import type { ChargeRequest } from '../../payment-provider/payment-provider.port';
import type { ChargeHook, ChargeHookPhase } from './charge-hook';

/**
 * Holds matching charges in flight at one phase until open() is called, for crash and
 * race tests: `provider.onCharge(gate.hook)`, then `await gate.whenHeld(1)`.
 */
export class ChargeGate {
  private readonly heldRequests: ChargeRequest[] = [];
  private readonly releases: (() => void)[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private isOpen = false;

  constructor(
    private readonly phase: ChargeHookPhase = 'processed',
    private readonly matches: (request: ChargeRequest) => boolean = () => true,
  ) {}

  readonly hook: ChargeHook = (event) => {
    if (this.isOpen || event.phase !== this.phase || !this.matches(event.request)) return;
    this.heldRequests.push(event.request);
    this.notifyWaiters();
    return new Promise<void>((resolve) => this.releases.push(resolve));
  };

  /** Requests held so far (including released ones), in arrival order. */
  get held(): readonly ChargeRequest[] {
    return this.heldRequests;
  }

  /** Resolves once `count` requests have been held. */
  whenHeld(count = 1): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve });
      this.notifyWaiters();
    });
  }

  /** Lets every held charge continue, and every later one pass. */
  open(): void {
    this.isOpen = true;
    this.releases.splice(0).forEach((release) => release());
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (this.heldRequests.length < waiter.count) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}
