{{!-- The activation's ledger rows older than the retention (warehouse.ledger_retention_days). --}}
delete from {{ident schema "capi_sync_ledger"}}
where activation = {{param "activation"}} and sent_at < {{macro "days_ago" days=days}}
