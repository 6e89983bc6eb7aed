{{!-- SHA-256 of the UTF-8 bytes as 64 lower-case hex.
     https://cloud.google.com/bigquery/docs/reference/standard-sql/hash_functions#sha256 --}}
to_hex(sha256({{value}}))
