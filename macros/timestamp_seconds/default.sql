{{!-- Whole Unix seconds of a timestamp column of capi-sync's own tables (timestamptz), rounded down.
     https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-EXTRACT --}}
cast(floor(extract(epoch from {{value}})) as bigint)
