{{!-- Now, in Unix seconds, evaluated when the view is read. --}}
date_part(epoch_second, current_timestamp())
