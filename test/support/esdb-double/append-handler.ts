import {
  Metadata,
  status,
  type sendUnaryData,
  type ServerErrorResponse,
  type ServerReadableStream,
} from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendOutcome, ExpectedVersion, InMemoryLog, ProposedEvent } from './in-memory-log';
import { streamName } from './read-messages';
import { parseUuid } from './uuid-message';

/** The server's default `MaxAppendSize`: 1 MiB of data, metadata and type per append. */
const MAX_APPEND_SIZE = 1024 * 1024;

export interface AppendHooks {
  /** Resolves when the response may be sent: the write is already applied ("slow ack"). */
  beforeResponse(): Promise<void>;
  /** An append was applied but its caller had gone before the answer (outcome unknown to it). */
  unanswered(): void;
  /** Fault: never answer this applied write (the caller's deadline passes, outcome unknown). */
  withholdAnswer(write: WrittenAppend): boolean;
}

export interface WrittenAppend {
  readonly stream: string;
  readonly types: readonly string[];
}

/**
 * `Streams/Append`, client streaming: an options message (stream, expected revision)
 * then one proposed message per event. A wrong expected version is answered in the
 * response body (as servers since 21.x do), not as a gRPC error.
 */
export function appendHandler(log: InMemoryLog, hooks: AppendHooks) {
  return (
    call: ServerReadableStream<AppendReq, AppendResp>,
    callback: sendUnaryData<AppendResp>,
  ): void => {
    const requests: AppendReq[] = [];
    call.on('data', (request: AppendReq) => requests.push(request));
    call.on('error', () => undefined); // the client went away: nothing to answer
    call.on('end', () => {
      let response: AppendResp;
      try {
        const applied = appendRequests(log, requests);
        if (applied.outcome.result === 'written' && hooks.withholdAnswer(applied.write)) {
          hooks.unanswered();
          return;
        }
        response = toResponse(applied);
      } catch (error) {
        callback(error as ServerErrorResponse);
        return;
      }
      hooks.beforeResponse().then(
        () => {
          if (call.cancelled) hooks.unanswered();
          callback(null, response);
        },
        (error: ServerErrorResponse) => callback(error),
      );
    });
  };
}

function appendRequests(
  log: InMemoryLog,
  requests: readonly AppendReq[],
): { outcome: AppendOutcome; expected: ExpectedVersion; write: WrittenAppend } {
  const [first, ...rest] = requests;
  const options = first?.getOptions();
  if (!options)
    throw grpcError(
      status.UNKNOWN,
      'Exception was thrown by handler. (first message was not options)',
    );
  const stream = streamName(options.getStreamIdentifier());
  const expected = expectedVersion(options);
  let size = 0;
  const proposed = rest.map((request): ProposedEvent => {
    const message = request.getProposedMessage();
    if (!message)
      throw grpcError(
        status.UNKNOWN,
        'Exception was thrown by handler. (expected a proposed message)',
      );
    const metadata = message.getMetadataMap();
    const type = metadata.get('type');
    const contentType = metadata.get('content-type');
    if (type === undefined) throw missingMetadata('type');
    if (contentType === undefined) throw missingMetadata('content-type');
    const id = parseUuid(message.getId());
    if (!id)
      throw grpcError(status.UNKNOWN, 'Exception was thrown by handler. (event id is not a GUID)');
    const data = message.getData_asU8();
    const customMetadata = message.getCustomMetadata_asU8();
    size += data.length + customMetadata.length + Buffer.byteLength(type);
    if (size > MAX_APPEND_SIZE) throw maxAppendSizeExceeded();
    return { id, type, contentType, data, customMetadata };
  });
  return {
    outcome: log.append(stream, expected, proposed),
    expected,
    write: { stream, types: proposed.map((event) => event.type) },
  };
}

function expectedVersion(options: AppendReq.Options): ExpectedVersion {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no_stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    case AppendReq.Options.ExpectedStreamRevisionCase.ANY:
      return { kind: 'any' };
    default:
      throw grpcError(status.UNKNOWN, 'Exception was thrown by handler. (no expected revision)');
  }
}

function toResponse({
  outcome,
  expected,
}: {
  readonly outcome: AppendOutcome;
  readonly expected: ExpectedVersion;
}): AppendResp {
  if (outcome.result === 'wrong_expected_version') {
    const wrong = new AppendResp.WrongExpectedVersion();
    if (outcome.current === 'no_stream') wrong.setCurrentNoStream(new Empty());
    else wrong.setCurrentRevision(outcome.current.toString());
    if (expected.kind === 'revision') wrong.setExpectedRevision(expected.revision.toString());
    else if (expected.kind === 'no_stream') wrong.setExpectedNoStream(new Empty());
    else if (expected.kind === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
    else wrong.setExpectedAny(new Empty());
    return new AppendResp().setWrongExpectedVersion(wrong);
  }
  const success = new AppendResp.Success();
  if (outcome.lastRevision < 0n) success.setNoStream(new Empty());
  else success.setCurrentRevision(outcome.lastRevision.toString());
  if (outcome.position.commit < 0n) success.setNoPosition(new Empty());
  else {
    success.setPosition(
      new AppendResp.Position()
        .setCommitPosition(outcome.position.commit.toString())
        .setPreparePosition(outcome.position.prepare.toString()),
    );
  }
  return new AppendResp().setSuccess(success);
}

function grpcError(code: status, details: string, metadata = new Metadata()): ServerErrorResponse {
  return Object.assign(new Error(details), { code, details, metadata });
}

function missingMetadata(property: string): ServerErrorResponse {
  const metadata = new Metadata();
  metadata.set('exception', 'missing-required-metadata-property');
  metadata.set('required-metadata-properties', property);
  return grpcError(
    status.INVALID_ARGUMENT,
    `Required metadata property ${property} is missing`,
    metadata,
  );
}

function maxAppendSizeExceeded(): ServerErrorResponse {
  const metadata = new Metadata();
  metadata.set('exception', 'maximum-append-size-exceeded');
  metadata.set('maximum-append-size', String(MAX_APPEND_SIZE));
  return grpcError(
    status.INVALID_ARGUMENT,
    `Maximum Append Size of ${MAX_APPEND_SIZE} Exceeded.`,
    metadata,
  );
}
