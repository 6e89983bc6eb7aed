{{!-- As default.sql, with a fast path for plain ASCII (as many bytes as characters): there NFC changes
     nothing and the letters are a-z and A-Z, so two translates keep them (the inner one lists the
     characters that are not letters, the outer one deletes those) instead of a regex over the text. --}}
case
  when octet_length({{value}}) = length({{value}})
    then nullif(lower(translate({{value}}, translate({{value}}, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', ''), '')), '')
  else {{macro "normalise_name" value from="default"}}
end
