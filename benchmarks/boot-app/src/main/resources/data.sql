INSERT INTO specialty VALUES (1, 'radiology'), (2, 'surgery'), (3, 'dentistry'), (4, 'dermatology');
INSERT INTO vet VALUES (1, 'Ada', 'Lindqvist'), (2, 'Tomas', 'Okafor'), (3, 'Mira', 'Hallberg'),
  (4, 'Jonas', 'Petrescu'), (5, 'Rosa', 'Almeida'), (6, 'Karl', 'Nyberg');
INSERT INTO vet_specialty VALUES (2, 1), (3, 2), (3, 3), (4, 2), (5, 4), (6, 1), (6, 3);
INSERT INTO pet_type VALUES (1, 'cat'), (2, 'dog'), (3, 'rabbit'), (4, 'parrot'), (5, 'hamster'), (6, 'turtle');
INSERT INTO owner (id, first_name, last_name, address, city, telephone) VALUES
  (1, 'Greta', 'Holm', '12 Birch Lane', 'Uppsala', '4670123456'),
  (2, 'Emil', 'Davies', '4 Harbour Road', 'Cardiff', '4429111222'),
  (3, 'Lucia', 'Ferrante', '88 Via Roma', 'Torino', '3901155566'),
  (4, 'Noah', 'Davidson', '7 Elm Street', 'Leeds', '4411322233'),
  (5, 'Ines', 'Moreau', '21 Rue Lepic', 'Lyon', '3347200011'),
  (6, 'Pavel', 'Novak', '3 Nerudova', 'Brno', '4205412345'),
  (7, 'Hana', 'Davis', '150 Pine Avenue', 'Madison', '6085550147'),
  (8, 'Oskar', 'Brandt', '9 Lindenstrasse', 'Kassel', '4956178901'),
  (9, 'Maya', 'Iyer', '61 Lake View', 'Pune', '9120445566'),
  (10, 'Tariq', 'Haddad', '5 Cedar Court', 'Amman', '9626555123');
INSERT INTO pet (id, name, birth_date, type_id, owner_id) VALUES
  (1, 'Miso', '2019-04-02', 1, 1), (2, 'Bruno', '2017-09-15', 2, 2), (3, 'Pepe', '2021-01-20', 4, 3),
  (4, 'Nala', '2020-06-11', 1, 4), (5, 'Rex', '2016-03-30', 2, 4), (6, 'Coco', '2022-02-14', 3, 5),
  (7, 'Tom', '2018-11-05', 1, 6), (8, 'Luna', '2019-07-19', 2, 7), (9, 'Kiwi', '2023-05-01', 5, 7),
  (10, 'Shelly', '2010-08-08', 6, 8), (11, 'Max', '2015-12-24', 2, 9), (12, 'Ziggy', '2021-10-10', 4, 10),
  (13, 'Olive', '2020-04-04', 1, 7);
INSERT INTO visit (id, pet_id, visit_date, description) VALUES
  (1, 1, '2024-01-10', 'vaccination'), (2, 2, '2024-02-03', 'limping, front left leg'),
  (3, 4, '2024-02-20', 'dental check'), (4, 5, '2024-03-12', 'ear infection'),
  (5, 8, '2024-04-01', 'annual check-up'), (6, 8, '2024-09-18', 'skin rash'),
  (7, 9, '2024-05-22', 'overgrown teeth'), (8, 10, '2024-06-30', 'shell inspection'),
  (9, 11, '2024-07-07', 'neutering'), (10, 13, '2024-08-15', 'vaccination'),
  (11, 3, '2024-10-02', 'beak trim'), (12, 7, '2024-11-11', 'weight loss');
ALTER TABLE owner ALTER COLUMN id RESTART WITH 11;
ALTER TABLE pet ALTER COLUMN id RESTART WITH 14;
ALTER TABLE visit ALTER COLUMN id RESTART WITH 13;
