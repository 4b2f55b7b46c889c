/**
 * Ids sort "shorter first, then bytewise" ("2" before "10"). Ids are ASCII (entity-id
 * rule, at most 128 characters), so a zero-padded length followed by the id, in the C
 * collation, sorts that way and can be indexed and used as a keyset.
 */
export function idOrderColumn(idColumn: string): string {
  return `id_order text COLLATE "C" GENERATED ALWAYS AS (lpad(length(${idColumn})::text, 3, '0') || ${idColumn}) STORED`;
}

/** The id_order value of an id, for keyset comparisons in SQL parameters. */
export function idOrderOf(id: string): string {
  return `${String(id.length).padStart(3, '0')}${id}`;
}
