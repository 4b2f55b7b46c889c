import type { Money } from '../../billing/domain';
import type { Page, PageRequest } from '../../shared/page';

/** The customer views the REST queries read; projections/ implements the port. */
export const CUSTOMER_READ_MODEL = Symbol('CUSTOMER_READ_MODEL');

export interface CustomerView {
  readonly customerId: string;
  readonly currency: Money['currency'];
  readonly invoices: number;
}

export interface CustomerReadModel {
  list(page: PageRequest): Promise<Page<CustomerView>>;
  get(customerId: string): Promise<CustomerView | null>;
}
