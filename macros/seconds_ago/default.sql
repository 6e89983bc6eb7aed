{{!-- The time a number of seconds (the one parameter) before now: compared with a timestamp column as
     it is, so an index (or BigQuery's partitions, Snowflake's clustering) on that column still applies. --}}
current_timestamp - cast(? as integer) * interval '1 second'
