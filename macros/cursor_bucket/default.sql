{{!-- Which of `parts` reads a row belongs to, from a hash of its cursor (read_connections): a condition on
     the cursor alone, so each connection's filter goes down to the source's scan and each computes the
     view for its share of the rows only. The text is the cursor column's, the same on every connection
     of a run (one pool, one session setting). --}}
(hashtextextended(cast({{value}} as text), 0) & 9223372036854775807) % {{parts}}
