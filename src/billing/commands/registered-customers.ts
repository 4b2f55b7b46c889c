import type { Customer, CustomerState } from '../domain';

/** Customers remembered at most (a few hundred bytes each): past it, read every time. */
const DEFAULT_LIMIT = 100_000;

/**
 * The registered customers a run of invoice batches (one bulk import) has read, so its
 * later batches do not read their streams again. Sound because a registered customer
 * never changes: its stream holds one CustomerRegistered and `evolveCustomer` refuses any
 * event after it (docs/design.md §3.2a). A customer not registered is never remembered,
 * so a later batch reads its stream again and sees it once registered.
 */
export class RegisteredCustomers {
  private readonly known = new Map<string, Customer>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  get(customerId: string): Customer | undefined {
    return this.known.get(customerId);
  }

  /** Keeps `state` if it is a registered customer and there is room. */
  remember(customerId: string, state: CustomerState): void {
    if (state.exists && this.known.size < this.limit) this.known.set(customerId, state);
  }
}
