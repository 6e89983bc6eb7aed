-- Example data for the embedded warehouse, loaded once when it is created. Times are relative to
-- the load, so the example events are inside Snap's window. The data is as messy as real exports:
-- stray spaces and capitals, phones in every format, already-hashed emails, missing fields, refunds.
create schema if not exists shop;

create table shop.orders (
  order_ref      text primary key,
  status         text not null,
  paid_at        timestamptz,
  loaded_at      timestamptz not null,
  total_amount   numeric(12, 2),
  currency_code  text,
  customer_email text,
  customer_phone text,
  first_name     text,
  last_name      text,
  city           text,
  zip            text,
  country        text
);

-- Hand-written rows: one of each kind of mess.
insert into shop.orders values
  ('POS-1001', 'paid', now() - interval '3 hours', now() - interval '2 hours', 54.90, 'usd', '  Test123@GMAIL.com ', '+1 (415) 555-0132', 'José', 'O''Brien', 'New York', '10001-2345', 'US'),
  ('POS-1002', 'paid', now() - interval '1 day', now() - interval '1 day', 12.00, 'EUR', 'marie.dupont@example.fr', '06 12 34 56 78', 'Marie', 'Dupont', 'Paris', '75002', 'fr'),
  ('POS-1003', 'paid', now() - interval '2 days', now() - interval '2 days', 230.00, 'GBP', NULL, '+44 844 412 4653', 'Ian', 'Smith', 'London', 'SW1A 1AA', 'GB'),
  ('POS-1004', 'paid', now() - interval '5 hours', now() - interval '5 hours', 8.50, 'USD', 'CC779C04191C2E736D89E45C11339C8382832BCAF70383F7DF94E3D08BA7A6D9', NULL, NULL, NULL, NULL, NULL, 'us'),
  ('POS-1005', 'paid', now() - interval '6 hours', now() - interval '6 hours', 19.99, 'usd', '   ', '', 'Ann', 'Lee', 'Austin', '73301', 'US'),
  ('POS-1006', 'paid', now() - interval '20 days', now() - interval '1 hour', 99.00, 'USD', 'late.import@example.com', NULL, NULL, NULL, NULL, NULL, 'US'),
  ('POS-1007', 'paid', now() + interval '2 days', now() - interval '1 hour', 15.00, 'USD', 'clock.skew@example.com', NULL, NULL, NULL, NULL, NULL, 'US'),
  ('POS-1008', 'paid', now() - interval '4 hours', now() - interval '4 hours', NULL, 'USD', 'no.total@example.com', NULL, NULL, NULL, NULL, NULL, 'US'),
  ('POS-1009', 'paid', now() - interval '4 hours', now() - interval '4 hours', 42.00, 'dollars', 'bad.currency@example.com', NULL, NULL, NULL, NULL, NULL, 'US'),
  ('POS-1010', 'paid', NULL, now() - interval '3 hours', 5.00, 'USD', 'no.time@example.com', NULL, NULL, NULL, NULL, NULL, 'US'),
  ('POS-1011', 'paid', now() - interval '7 hours', now() - interval '7 hours', 61.30, 'CAD', 'not-an-email', '12', 'Zoë', 'Ng', 'Montréal', 'H2X 1Y4', 'CA'),
  ('POS-1012', 'refunded', now() - interval '8 hours', now() - interval '8 hours', 61.30, 'USD', 'refund@example.com', NULL, NULL, NULL, NULL, NULL, 'US');

-- Generated rows: ordinary purchases over the last five days, with the usual variety.
insert into shop.orders
select
  'POS-' || (2000 + g),
  case when g % 17 = 0 then 'refunded' else 'paid' end,
  now() - (g * interval '29 minutes'),
  now() - (g * interval '29 minutes') + interval '10 minutes',
  round((5 + (g * 7.31) % 250)::numeric, 2),
  (array['USD', 'usd', ' USD ', 'EUR', 'GBP'])[1 + g % 5],
  case g % 6
    when 0 then null
    when 1 then 'Customer' || g || '@Example.com'
    else ' customer' || g || '@example.com '
  end,
  case g % 5
    when 0 then '+1 415-555-' || lpad((g % 10000)::text, 4, '0')
    when 1 then '(415) 555 ' || lpad((g % 10000)::text, 4, '0')
    when 2 then '0044 20 7946 ' || lpad((g % 10000)::text, 4, '0')
    when 3 then null
    else '+44 (0)20 7946 ' || lpad((g % 10000)::text, 4, '0')
  end,
  (array['Ana', 'björn', 'CHLOÉ', 'Dmitri', ' Émile '])[1 + g % 5],
  (array['García', 'Müller', 'O''Neil', 'van der Berg', 'Smith-Jones'])[1 + g % 5],
  (array['San Francisco', 'Berlin', 'London', 'Paris', 'New York'])[1 + g % 5],
  (array['94103', '10115', 'EC1A 1BB', '75001', '10001'])[1 + g % 5],
  (array['US', 'de', 'GB', 'FR', 'us'])[1 + g % 5]
from generate_series(1, 240) as g;
