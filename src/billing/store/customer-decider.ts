import type { RecordedEvent } from '../../event-store/recorded-event';
import {
  StreamCorruptError,
  customerStream,
  decideCustomer,
  evolveCustomer,
  initialCustomerState,
  isCustomerEventType,
  type CustomerCommand,
  type CustomerErrorCode,
  type CustomerEvent,
  type CustomerState,
} from '../domain';
import { deterministicEventId } from './deterministic-event-id';
import type { StreamDecider } from './stream-decider';

/** The customer stream `customer-<id>`: registered once, so its id names the fact. */
export const customerDecider: StreamDecider<
  CustomerCommand,
  CustomerState,
  CustomerEvent,
  CustomerErrorCode
> = {
  idOf: (command) => command.customerId,
  streamName: customerStream,
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  decide: decideCustomer,
  fromRecorded,
  eventId: (event) => deterministicEventId(event.type, event.data.customerId),
};

function fromRecorded(recorded: RecordedEvent): CustomerEvent {
  if (!isCustomerEventType(recorded.type)) {
    throw new StreamCorruptError(
      'customer',
      recorded.type,
      `unexpected event in ${recorded.stream}`,
    );
  }
  return { type: recorded.type, data: recorded.data } as unknown as CustomerEvent;
}
