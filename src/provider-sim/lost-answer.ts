/**
 * How the simulator loses the answer to an ambiguous outcome, so the caller cannot tell
 * whether it was charged: the connection is dropped, the answer is a 500, or it is held
 * (`--stall-ms`) past the caller's timeout.
 */
export const LOST_ANSWERS = ['dropped', 'error500', 'held'] as const;
export type LostAnswer = (typeof LOST_ANSWERS)[number];
