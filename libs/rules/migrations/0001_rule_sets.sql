-- libs/rules: rule-set versions put at run time (PutRuleSet), shared by every replica
-- of a service (SyncFromStore). Insert-only: a version is never updated or deleted;
-- a change is a new version. `body` is the canonical JSON (RuleSetToJson), `checksum`
-- its lower-case hex SHA-256. effective_from is an Asia/Shanghai civil date.
CREATE TABLE IF NOT EXISTS rule_sets (
  name VARCHAR(100) NOT NULL,
  version BIGINT NOT NULL,
  effective_from DATE NOT NULL,
  body MEDIUMTEXT NOT NULL,
  checksum CHAR(64) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (name, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
