-- A directory of @members accounts (default 100,000; at most 1,000,000) in one statement, for
-- end-to-end tests and benchmarks of contacts and the user search. Re-running it adds only
-- the accounts that are missing.
--
--   mariadb videochat < tests/seed_directory.sql
--   mariadb videochat -e "SET @members = 5000; SOURCE tests/seed_directory.sql"
--
-- Usernames member000001, member000002, ...; display names combine 41 first names and 37 last
-- names (coprime, so 1,517 distinct names, each shared by about 66 of 100,000 accounts), with
-- stopwords ("Will"), words under the FULLTEXT minimum ("Al", "Bo") and accents ("José").
-- Every account's password is "directory member password": the hash below is what the API
-- stored for that password at the shipped cost (argon2id, m = 19 MiB, t = 2, p = 1).

SET @members = LEAST(COALESCE(@members, 100000), 1000000);

INSERT IGNORE INTO users (username, display_name, password_hash)
SELECT CONCAT('member', LPAD(seq, 6, '0')),
       CONCAT(ELT(1 + seq % 41,
                  'Ada', 'Al', 'Amara', 'Ana', 'Ben', 'Bo', 'Carlos', 'Chen', 'Dara', 'Elena',
                  'Emma', 'Fatima', 'Felix', 'Grace', 'Hana', 'Ivan', 'Jo', 'José', 'Julia',
                  'Kai', 'Lars', 'Lea', 'Liam', 'Maria', 'Mark', 'Mei', 'Noah', 'Nora', 'Omar',
                  'Priya', 'Rosa', 'Sam', 'Sofia', 'Søren', 'Tariq', 'Una', 'Victor', 'Will',
                  'Yuki', 'Zoë', 'Zara'),
              ' ',
              ELT(1 + seq % 37,
                  'Abbott', 'Álvarez', 'Baker', 'Berg', 'Chen', 'Costa', 'Dubois', 'Eriksson',
                  'Fischer', 'García', 'Hansen', 'Ibrahim', 'Ito', 'Jones', 'Kowalski', 'Li',
                  'López', 'Martin', 'Müller', 'Nakamura', 'Nguyen', 'Novak', 'O''Brien', 'Okafor',
                  'Patel', 'Quinn', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Smith', 'Tanaka',
                  'Turner', 'Van der Berg', 'Wang', 'Weber', 'Young')),
       '$argon2id$v=19$m=19456,t=2,p=1$RD400ipIMHooaI9OQ9uSXg$rKI0NQHVdGxvTulyQwNkQ5Rzl0XeDqy6SBVHmcICJOk'
FROM seq_1_to_1000000
WHERE seq <= @members;
