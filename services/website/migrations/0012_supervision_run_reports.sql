-- WEB-2 cadences: the quarterly census counts sites whose register record is incomplete;
-- the annual report run keeps the supervising office's report (serialized
-- gongkai.website.v1.OfficeAnnualReport, NAT-14) once it succeeds. One ALTER statement.
ALTER TABLE supervision_runs
  ADD COLUMN sites_register_incomplete INT NOT NULL DEFAULT 0,
  ADD COLUMN office_report MEDIUMBLOB NULL;
