{{!-- A value given for the cursor (`reset --to`), read as the prepared view's cursor column (cursor_param,
     then UNION ALL with the column: a value that type cannot hold is an error), and written back as
     cursor_text writes it. --}}
select {{macro "cursor_text" "q.c"}} as cursor
from (select v.{{ident "cursor"}} as c from {{ident schema view}} as v where 1 = 0 union all select {{macro "cursor_param" name="value" type=cursor_type time=cursor_time}}) as q
