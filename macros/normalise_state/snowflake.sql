{{!-- lower-case letters, kept only when exactly two (CA, ny). letters_only has removed everything else. --}}
regexp_substr(lower({{macro "letters_only" value}}), '^.{2}$')
