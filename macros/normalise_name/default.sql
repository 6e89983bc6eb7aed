{{!-- lower-case, letters only (letters_only: Unicode letters and marks, NFC first); every script stays
     (José → josé, O'Brien → obrien, New York → newyork, Дмитрий → дмитрий); nothing left → left out.
     The same on every dialect: only letters_only differs. --}}
nullif(lower({{macro "letters_only" value}}), '')
