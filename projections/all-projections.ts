import { billingRunsProjection } from './billing-runs/billing-runs.projection';
import { customersProjection } from './customers/customers.projection';
import { invoiceFailuresProjection } from './invoice-failures/invoice-failures.projection';
import { invoicesProjection } from './invoices/invoices.projection';
import type { Projection } from './projection';

/** Every read model the service keeps, each with its own checkpoint and lease. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  invoicesProjection,
  invoiceFailuresProjection,
  billingRunsProjection,
  customersProjection,
];

export function projectionsNamed(names?: readonly string[]): Projection[] {
  if (!names) return [...ALL_PROJECTIONS];
  return names.map((name) => {
    const projection = ALL_PROJECTIONS.find((each) => each.name === name);
    if (!projection) {
      const known = ALL_PROJECTIONS.map((each) => each.name).join(', ');
      throw new RangeError(`no projection named ${JSON.stringify(name)}; known: ${known}`);
    }
    return projection;
  });
}
