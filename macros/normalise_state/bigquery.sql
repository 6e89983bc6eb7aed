{{!-- lower-case letters, kept only when exactly two (CA, ny). --}}
regexp_extract(lower({{macro "letters_only" value}}), r'^\p{L}{2}$')
