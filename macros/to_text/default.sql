cast({{value}} as text)
