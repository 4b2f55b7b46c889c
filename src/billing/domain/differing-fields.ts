/**
 * The fields of `wanted` whose value differs from `existing`: what a repeated create
 * with the same id would change, so a conflict can name them.
 */
export function differingFields<T extends object>(existing: T, wanted: T): (keyof T & string)[] {
  return (Object.keys(wanted) as (keyof T & string)[]).filter(
    (field) => JSON.stringify(existing[field]) !== JSON.stringify(wanted[field]),
  );
}
