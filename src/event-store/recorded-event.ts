import type { JsonObject } from './event-data';
import type { Position } from './position';

/** An event as stored: where it is in its stream and in the global log, and when. */
export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly stream: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: JsonObject;
  readonly createdAt: Date;
}
