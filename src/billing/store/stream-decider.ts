import type { RecordedEvent } from '../../event-store/recorded-event';
import type { DecideContext, Decision } from '../domain';

/** The shape every domain event has: what the store appends as type and data. */
export type DomainEvent = { readonly type: string; readonly data: object };

/**
 * One kind of stream, as the write path needs it: the domain's pure functions (initial
 * state, evolve, decide) and how its events meet the store (stream name, recorded event
 * to domain event, the id that names each fact). The command executor works for any
 * stream through this, so every stream is written the same way.
 */
export interface StreamDecider<Command, State, Event extends DomainEvent, Code extends string> {
  /** The entity id a command is about: which stream it reads and appends to. */
  idOf(command: Command): string;
  streamName(id: string): string;
  readonly initialState: State;
  /** Throws the domain's corruption error for a stream decide cannot have written. */
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, context: DecideContext): Decision<Event, Code>;
  /** A stored event as a domain event; throws for a type the stream cannot hold. */
  fromRecorded(recorded: RecordedEvent): Event;
  /**
   * The id of an event about to land at `revision` of stream `id`. Named by the fact it
   * records wherever a fact happens once, so a retried append is idempotent and a second
   * writer of the same fact collides.
   */
  eventId(event: Event, id: string, revision: bigint): string;
}

/** Any decider, for code that only moves events (it never looks inside them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStreamDecider = StreamDecider<any, any, DomainEvent, string>;
