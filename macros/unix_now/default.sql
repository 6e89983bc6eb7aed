{{!-- Now, in Unix seconds, evaluated when the view is read. --}}
cast(floor(extract(epoch from now())) as bigint)
