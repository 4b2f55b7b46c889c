import type { Money } from '../../billing/domain';
import type { Page, PageRequest } from '../../shared/page';

/** The customer views the REST queries read; projections/ implements the port. */
export const CUSTOMER_READ_MODEL = Symbol('CUSTOMER_READ_MODEL');

export interface CustomerView {
  readonly customerId: string;
  readonly currency: Money['currency'];
  readonly invoices: number;
  /** As registered; null when not given, or for a customer known only from its invoices. */
  readonly name: string | null;
  readonly email: string | null;
}

export interface CustomerReadModel {
  list(page: PageRequest): Promise<Page<CustomerView>>;
  get(customerId: string): Promise<CustomerView | null>;
}
