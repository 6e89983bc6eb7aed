{{!-- The value without the characters that are not letters (letters.ts: Unicode categories L and M), as
     on Postgres. Snowflake's [:alpha:] is ASCII-only and \p{L} is not documented, so translate removes
     the characters letters.json lists: every assigned character of the Basic Multilingual Plane that is
     no letter or mark (spaces such as U+2009 and U+3000, punctuation, symbols, digits, control and
     format characters) and the symbols and emoji of U+1F000-U+1FFFF. Snowflake has no NFC: an accent
     exported as a separate mark stays a separate mark (Postgres and BigQuery join it to its letter).
     https://docs.snowflake.com/en/sql-reference/functions/translate --}}
translate({{value}}, '{{#each (unicode_chars "removed")}}{{#if visible}}{{char}}{{else}}\u{{hex}}{{/if}}{{/each}}', '')
