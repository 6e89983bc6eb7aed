{{!-- The time `days` days before now, when the statement runs. --}}
current_timestamp - interval '{{days}} days'
