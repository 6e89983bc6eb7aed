cast({{value}} as varchar)
