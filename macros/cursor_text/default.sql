{{!-- The cursor as the runner reads it back (and saves as the watermark): text that compares back to the
     same value. --}}
{{macro "to_text" value}}
