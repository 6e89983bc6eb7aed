{{!-- ISO 3166-1 alpha-2, lower-case, from the alpha-2 or alpha-3 code or the English name (US, USA,
     United States, Bolivia, Côte d'Ivoire → us, us, us, bo, ci; UK → gb), compared as lower-case letters
     (letters_only); codes: places.ts, the same pairs on every dialect. Anything else is left out, never
     hashed as free text. --}}
case lower({{macro "letters_only" value}}){{#each codes}} when '{{key}}' then '{{code}}'{{/each}} end
