{{!-- Integer Unix seconds from the text of a timestamp, timestamptz, date or epoch number: see
     read_timestamp_text, which postgres.sql also falls back on after its fast path. --}}
{{macro "read_timestamp_text" value}}
