{{!-- The time `seconds` (a whole number) before now, when the statement runs: compared with a timestamp
     column as it is, so an index on that column (or BigQuery's partitions) still applies. --}}
current_timestamp - interval '{{seconds}} seconds'
