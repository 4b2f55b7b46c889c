/** A refusal a person (or a REST layer) can act on: a stable code and a plain message. */
export interface DomainError<Code extends string> {
  readonly code: Code;
  readonly message: string;
}

/** What decide returns: the events to append, or why nothing may be appended. */
export type Decision<Event, Code extends string> =
  | { readonly ok: true; readonly events: readonly Event[] }
  | { readonly ok: false; readonly error: DomainError<Code> };

export function accept<Event>(...events: Event[]): {
  readonly ok: true;
  readonly events: readonly Event[];
} {
  return { ok: true, events };
}

export function reject<Code extends string>(
  code: Code,
  message: string,
): { readonly ok: false; readonly error: DomainError<Code> } {
  return { ok: false, error: { code, message } };
}
