-- Roll-ups add up an indicator's approved measurements per area and period in SQL. The sums
-- for one period over all areas read this index alone (it holds every column they need),
-- instead of looking up each of a national set's buurten in the table; it replaces the
-- narrower index on (indicator_id, period), whose queries it serves as well. The sums for one
-- area over all periods read a range of area codes from the UNIQUE (indicator_id, area, period)
-- index of 0009.
DROP INDEX measurements_indicator;
CREATE INDEX measurements_indicator ON measurements(indicator_id, period, status, area, numerator, denominator);
