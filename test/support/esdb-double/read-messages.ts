import { Empty, StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { LogPosition, StoredEvent } from './in-memory-log';
import { toUuidMessage } from './uuid-message';

/** The messages of a `Streams/Read` response stream, shaped as the server sends them. */

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

export function streamName(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

/** Position.End, which servers send for an event whose `$all` position they do not give. */
const NO_POSITION = (2n ** 64n - 1n).toString();

/**
 * An event as a read sends it. `withPosition` false: as servers before 22.6 send events
 * read from a stream, with Position.End for commit and prepare and `no_position`.
 */
export function eventMessage(
  event: StoredEvent,
  structuredIds: boolean,
  withPosition = true,
): ReadResp {
  const record = new ReadResp.ReadEvent.RecordedEvent()
    .setId(toUuidMessage(event.id, structuredIds))
    .setStreamIdentifier(streamIdentifier(event.stream))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(withPosition ? event.position.commit.toString() : NO_POSITION)
    .setPreparePosition(withPosition ? event.position.prepare.toString() : NO_POSITION)
    .setData(event.data)
    .setCustomMetadata(event.customMetadata);
  record
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType)
    .set('created', event.createdTicks.toString());
  const read = new ReadResp.ReadEvent().setEvent(record);
  if (withPosition) read.setCommitPosition(event.position.commit.toString());
  else read.setNoPosition(new Empty());
  return new ReadResp().setEvent(read);
}

export function confirmationMessage(subscriptionId: string): ReadResp {
  return new ReadResp().setConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId),
  );
}

export function caughtUpMessage(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

export function checkpointMessage(position: LogPosition): ReadResp {
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint()
      .setCommitPosition(position.commit.toString())
      .setPreparePosition(position.prepare.toString()),
  );
}

export function streamNotFoundMessage(name: string): ReadResp {
  return new ReadResp().setStreamNotFound(
    new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name)),
  );
}

export const EMPTY = new Empty();
