-- Reads: the serialized blob column of one Quartz table, each row keyed by scheduler, group and name, at most
-- ? bytes per blob (parameter 1) plus the full size. {{TABLE}}, {{COLUMN}}, {{GROUP}}, {{NAME}}, {{EXTRA}} are
-- replaced by src/dialects/sqlite/index.ts with quoted identifiers of the real table.
-- Needs: read access to the database file.
SELECT CAST(SCHED_NAME AS TEXT) AS sched,
       {{GROUP}} AS grp,
       CAST({{NAME}} AS TEXT) AS name,
       {{EXTRA}},
       substr(CAST({{COLUMN}} AS BLOB), 1, ?) AS data,
       length(CAST({{COLUMN}} AS BLOB)) AS size
FROM {{TABLE}};
