{{!-- A value given for the cursor (`reset --to`), read as the prepared view's cursor column: UNION ALL
     gives the parameter the column's type, so a value that type cannot hold is an error, and the value
     comes back as cursor_text writes it. --}}
select {{macro "cursor_text" "q.c"}} as cursor
from (select v.{{ident "cursor"}} as c from {{ident schema view}} as v where 1 = 0 union all select {{param "value"}}) as q
