{{!-- A computed column, as the stages of prepared_view refer to it. Each stage there reads only the one
     before it, so the name alone is unambiguous. --}}
{{ident name}}
