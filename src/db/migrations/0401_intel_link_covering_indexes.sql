-- Intel: neighbourhood queries (network view, 2-hop, suggestions' co-mentioned places) walk
-- entity_links from one side at a time: by a through the primary key, by b through an index.
-- Both only gave the row's position, so every link found cost a visit to the table (a random page
-- once the store is large and links arrive in report order): at 1M reports that was most of a
-- 2-hop query. With the other end and the count carried in both indexes, those walks are
-- index-only scans. The price: a count increment is no longer a HOT update, so it also writes one
-- entry in each index; an ingest touches a few dozen links, which is small beside one round trip.
ALTER TABLE entity_links DROP CONSTRAINT entity_links_pkey;
ALTER TABLE entity_links ADD CONSTRAINT entity_links_pkey PRIMARY KEY (owner_agency_id, a, b) INCLUDE (count);
DROP INDEX entity_links_b_idx;
CREATE INDEX entity_links_b_idx ON entity_links (owner_agency_id, b, a) INCLUDE (count);
