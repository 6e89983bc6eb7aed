{{!-- The value without the characters that are not letters, for names, cities and states: RE2's \p{L}
     is every Unicode letter. https://github.com/google/re2/wiki/Syntax --}}
regexp_replace({{value}}, r'\P{L}', '')
