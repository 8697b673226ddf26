-- NAT-13 interaction: messages taken in from a site's message system.
CREATE TABLE IF NOT EXISTS site_messages (
  id BIGINT NOT NULL AUTO_INCREMENT,
  site_id BIGINT NOT NULL,
  external_id VARCHAR(128) NOT NULL,
  received_time DATETIME(6) NOT NULL,
  answered_time DATETIME(6) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY site_messages_external (site_id, external_id),
  KEY site_messages_open (site_id, answered_time, received_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
