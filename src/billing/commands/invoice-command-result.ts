import type { InvoiceStatus } from '../domain';
import type { Position } from '../../event-store/position';

/**
 * What a write on one invoice produced. The revision and position let a client wait
 * until the read side shows the change.
 */
export interface InvoiceCommandResult {
  readonly invoiceId: string;
  readonly status: InvoiceStatus;
  readonly revision: bigint;
  readonly position: Position;
}
