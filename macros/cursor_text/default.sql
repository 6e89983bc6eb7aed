{{!-- The cursor as the watermark keeps it: text that reads back as the same value under any session
     setting. A cast to text would follow DateStyle (`SQL, DMY` writes 28/11/2026 19:44:57.52 UTC, which
     another session reads as another date); JSON always writes ISO 8601 with the offset and every
     fraction digit, and numbers and text exactly.
     https://www.postgresql.org/docs/current/datatype-json.html#JSON-TYPE-MAPPING-TABLE --}}
to_jsonb({{value}}) #>> '{}'
