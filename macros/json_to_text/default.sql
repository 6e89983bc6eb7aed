{{!-- The JSON text sent as it is: the runner joins these without parsing them. --}}
cast({{value}} as text)
