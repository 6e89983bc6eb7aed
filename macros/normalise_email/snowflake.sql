{{!-- trim (as_text), lower-case; kept only when it looks like x@y.z and holds no space (space_chars).
     Backslashes are doubled in Snowflake strings; 's': . and [^@] cross line breaks (which space_chars
     has refused already). --}}
case when translate({{value}}, {{macro "space_chars"}}, '') = {{value}} then regexp_substr(lower({{value}}), '^[^@]+@[^@]+\\.[^@.]+$') end
