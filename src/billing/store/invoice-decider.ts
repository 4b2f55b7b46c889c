import {
  decideInvoice,
  evolveInvoice,
  initialInvoiceState,
  invoiceStream,
  type InvoiceCommand,
  type InvoiceErrorCode,
  type InvoiceEvent,
  type InvoiceState,
} from '../domain';
import { fromRecordedInvoiceEvent, invoiceEventId } from './invoice-event-data';
import type { StreamDecider } from './stream-decider';

/** The invoice stream `invoice-<id>` for the write path. */
export const invoiceDecider: StreamDecider<
  InvoiceCommand,
  InvoiceState,
  InvoiceEvent,
  InvoiceErrorCode
> = {
  idOf: (command) => command.invoiceId,
  streamName: invoiceStream,
  initialState: initialInvoiceState,
  evolve: evolveInvoice,
  decide: decideInvoice,
  fromRecorded: fromRecordedInvoiceEvent,
  eventId: (event, _id, revision) => invoiceEventId(event, revision),
};
