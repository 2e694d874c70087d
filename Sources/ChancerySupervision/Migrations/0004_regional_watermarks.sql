-- The supervisor's event-time clock is per region: a backfill of one region's history (e.g. an import of
-- older permits) must not be judged by another region's later time.
DELETE FROM supervision.watermarks;
ALTER TABLE supervision.watermarks ADD COLUMN region text NOT NULL;
ALTER TABLE supervision.watermarks DROP CONSTRAINT watermarks_pkey;
ALTER TABLE supervision.watermarks ADD PRIMARY KEY (consumer_group, region, topic, partition);
COMMENT ON TABLE supervision.watermarks IS 'Highest business time seen per region and partition by each supervisor group; a region''s clock is the minimum over the partitions that carry its events (time advances by event time).';
