{{!-- The value without the characters that are not letters (letters.ts: Unicode categories L and M, less
     the variation selectors that only pick an emoji's look), as on Postgres; NFC first. RE2's \p{L} and
     \p{M} are those categories. https://github.com/google/re2/wiki/Syntax --}}
regexp_replace(normalize({{value}}, NFC), r'[^\p{L}\p{M}]|[\x{180B}-\x{180D}\x{180F}\x{FE00}-\x{FE0F}\x{E0100}-\x{E01EF}]', '')
