{{!-- value: the trimmed input; normalised: its normalised form. A value that already is a SHA-256
     (64 hex) is passed through lower-cased, never hashed twice; an invalid one (null) is left out. --}}
case
  when {{value}} ~ '^[0-9A-Fa-f]{64}$' then lower({{value}})
  when {{normalised}} is not null then {{macro "sha256_hex" normalised}}
end
