{{!-- As default.sql. The byte length is tested first: it is free, and only a 64-byte value can be a
     SHA-256, so the pattern (about 1 µs a row in Postgres) runs only on those. --}}
case
  when octet_length({{value}}) = 64 and {{value}} ~ '^[0-9A-Fa-f]{64}$' then lower({{value}})
  else {{macro "sha256_hex" normalised}}
end
