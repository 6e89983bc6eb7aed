{{!-- The value without the characters that are not letters, for names, cities and states. Snowflake's
     [:alpha:] is ASCII-only (it would drop é) and \p{L} is not documented, so the characters to remove
     are listed: ASCII and Latin-1 punctuation, digits and symbols, general punctuation (’ – “ …) and
     spaces. Letters of any script stay. https://docs.snowflake.com/en/sql-reference/functions/translate --}}
translate({{value}},
  ' !"#$%&''()*+,-./0123456789:;<=>?@[\\]^_`{|}~'
  || '¡¢£¤¥¦§¨©«¬®¯°±²³´¶·¸¹»¼½¾¿×÷'
  || '‐‑‒–—―‖‗‘’‚‛“”„‟†‡•‣․‥…‧‰‱′″‴‵‶‷‸‹›※‼‽‾‿⁀⁁⁂⁃⁄⁅⁆⁇⁈⁉⁊⁋⁌⁍⁎⁏⁐⁑⁒⁓⁔⁕⁖⁗⁘⁙⁚⁛⁜⁝⁞'
  || '\t\n\u000b\u000c\r\u00a0\u00ad\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202f\u205f\u3000\ufeff',
  '')
