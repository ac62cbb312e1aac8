-- Favourite contacts, and word search over display names (GET /api/contacts, /api/users/search).

CREATE TABLE IF NOT EXISTS contacts (
  user_id    BIGINT UNSIGNED NOT NULL,
  contact_id BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (user_id, contact_id),
  KEY ix_contacts_contact (contact_id),
  CONSTRAINT fk_contacts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_contacts_contact FOREIGN KEY (contact_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- InnoDB fixes a FULLTEXT index's stopword list when the index is built, from this session
-- variable: with the default list, "Will", "The" or "About" in a name could never be found.
-- The index keeps the setting, whatever later sessions or the server say, until the table is
-- rebuilt (OPTIMIZE TABLE, ALTER TABLE ... FORCE, a restore from a dump): a rebuild takes the
-- setting of the session that runs it, so docs/DEPLOY.md sets it server-wide.
-- innodb_ft_min_token_size (3, server-wide) still leaves out words of one or two characters;
-- those names are found through the username prefix only (docs/API.md).
SET SESSION innodb_ft_enable_stopword = 0;
ALTER TABLE users ADD FULLTEXT INDEX IF NOT EXISTS ft_users_display_name (display_name);
SET SESSION innodb_ft_enable_stopword = 1;
