{{!-- The JSON text sent as it is: the runner joins these without parsing them. --}}
to_json_string({{value}})
