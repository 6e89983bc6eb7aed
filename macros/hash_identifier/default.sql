{{!-- value: the trimmed input; normalised: its normalised form. A value that already is a SHA-256
     (64 hex) is passed through lower-cased, never hashed twice. An invalid value normalises to null,
     and the hash of null is null: it is left out (and the normalisation is written out once). --}}
case
  when {{value}} ~ '^[0-9A-Fa-f]{64}$' then lower({{value}})
  else {{macro "sha256_hex" normalised}}
end
