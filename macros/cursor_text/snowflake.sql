{{!-- The cursor as the watermark keeps it. --}}
{{macro "to_text" value}}
