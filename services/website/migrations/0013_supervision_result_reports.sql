-- NAT-14: a site's annual website report in an ANNUAL_REPORT run (serialized
-- gongkai.website.v1.SiteAnnualReport); NULL for the other cadences.
ALTER TABLE supervision_results
  ADD COLUMN annual_report MEDIUMBLOB NULL;
