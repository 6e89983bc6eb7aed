{{!-- The value without the characters that are not letters (letters.ts: Unicode categories L and M),
     for names, cities and the keys of the place tables; NFC first, so that José written as e + combining
     accent keeps its é. The class is written out from letters.json instead of [:alpha:], whose meaning
     depends on the database's locale (glibc's drops a Devanagari virama and keeps Arabic-Indic digits).
     https://www.postgresql.org/docs/current/functions-matching.html#POSIX-ESCAPE-SEQUENCES (\u, \U) --}}
regexp_replace(normalize({{value}}, NFC), '[^{{#each (unicode_ranges "letters")}}{{#if astral}}\U{{from8}}-\U{{to8}}{{else}}\u{{from}}-\u{{to}}{{/if}}{{/each}}]+', '', 'g')
