-- Paid store orders, one row each, for capi-sync to send to Snap as PURCHASE events.
-- Values stay as the export has them: capi-sync normalises and hashes them in its own views, so this
-- model only chooses the rows and the columns. loaded_at, set by the loader, is capi-sync's cursor.
-- A view, so that capi-sync's filter on loaded_at reaches the index of shop.orders.
{{ config(materialized='view') }}

select
  order_ref,
  paid_at,
  loaded_at,
  total_amount,
  currency_code,
  customer_email,
  customer_phone,
  first_name,
  last_name,
  city,
  zip,
  country
from {{ source('shop', 'orders') }}
where status = 'paid'
