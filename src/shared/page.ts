/** A page of a list read from a read model: the REST views and projections/ share it. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly page: number;
  readonly size: number;
  readonly total: number;
}

export interface PageRequest {
  /** 0-based. */
  readonly page: number;
  /** 1..500. */
  readonly size: number;
}
