/** The lease that makes one projector per projection active across instances. */
export function projectionLeaseKey(projection: string): string {
  return `projection:${projection}`;
}

/**
 * Held by a rebuild that wants the projection's lease: the active projector yields
 * when it sees it, and standbys do not take the lease while it is held.
 */
export function rebuildIntentKey(projection: string): string {
  return `projection-rebuild:${projection}`;
}
