{{!-- As default.sql, the names looked up in one jsonb object (parsed once per query, a binary search
     per row) instead of a CASE of about a thousand names; plain ASCII values skip the Unicode class. --}}
cast({{literal codes_json}} as jsonb) ->> (case when octet_length({{value}}) = length({{value}}) then lower(regexp_replace({{value}}, '[^A-Za-z]+', '', 'g')) else lower({{macro "letters_only" value}}) end)
