{{!-- Text compared byte by byte (UTF-8), whatever the column's collation: the order the runner's
     comparePositions uses for event ids and text cursors, so both agree on which of two comes first.
     https://www.postgresql.org/docs/current/collation.html#COLLATION-MANAGING-STANDARD --}}
{{value}} collate "C"
