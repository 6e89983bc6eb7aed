{{!-- A stable id for a row without event_id or order_id: the same inputs give the same id on every
     run, so a re-sent event is deduplicated by Snap. value: the row's inputs joined by concat_fields. --}}
'cs-' || substr({{macro "sha256_hex" value}}, 1, 32)
