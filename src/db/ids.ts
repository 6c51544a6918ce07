/**
 * Record ids are UUIDs. Compare them as `id = $1::uuid` (which uses the primary key) after checking
 * the shape here, never as `id::text = $1`: that avoids the cast error on a malformed id only by
 * scanning the whole table (23 ms a lookup at 200k reports, found by the bulk loader).
 */
export const isUuid = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
