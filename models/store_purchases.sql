-- Store purchases from the point-of-sale export: one row per paid order.
-- Columns are named after capi-sync's fields (event_time, email, phone, ...); other columns are ignored.
-- Normalising and hashing are done by the views capi-sync builds on top of this select.
select
  order_ref      as order_id,
  paid_at        as event_time,
  total_amount   as value,
  currency_code  as currency,
  customer_email as email,
  customer_phone as phone,
  first_name,
  last_name,
  city,
  zip            as postal_code,
  country,
  loaded_at
from shop.orders
where status = 'paid'
