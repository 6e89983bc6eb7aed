{{!-- Seconds from the timestamp `start` to the timestamp `end`, with their fraction (null when either is).
     https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-EXTRACT --}}
extract(epoch from ({{end}} - {{start}}))
