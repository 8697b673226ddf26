-- Draws (ASM-2). `seed` stays secret (never read into an answer) until state = DRAWN;
-- a DRAWN row is never updated again (the UPDATE that draws requires state = COMMITTED).
CREATE TABLE IF NOT EXISTS draws (
  id BIGINT NOT NULL AUTO_INCREMENT,
  state TINYINT NOT NULL,
  seed CHAR(64) NOT NULL,
  commitment CHAR(64) NOT NULL,
  body MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  draw_time DATETIME(6) NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
