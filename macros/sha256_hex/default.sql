{{!-- SHA-256 of the UTF-8 bytes as 64 lower-case hex. https://www.postgresql.org/docs/current/functions-binarystring.html --}}
encode(sha256(convert_to({{value}}, 'UTF8')), 'hex')
