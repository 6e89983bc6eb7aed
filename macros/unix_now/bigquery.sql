{{!-- Now, in Unix seconds, evaluated when the view is read. --}}
unix_seconds(current_timestamp())
