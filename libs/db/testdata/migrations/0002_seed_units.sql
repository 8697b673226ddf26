/* Seed rows: semicolons and quotes inside strings must not split statements. */
INSERT IGNORE INTO mig_units (code, name) VALUES
  ('BASIC', '主动公开基本目录；第一部分'),
  ('QUOTE', 'it''s a "test"; really');
INSERT IGNORE INTO mig_notes (id, body) VALUES (1, 'line one;
line two');
