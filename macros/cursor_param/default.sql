{{!-- The parameter `name`, a cursor value as text (the watermark, the scan start, reset --to), read as the
     cursor column's type `type` (as the warehouse names it; absent when not known). Compared with the
     cursor column as it is, so the comparison can go down to the source table's scan: an index, a
     partition, a micro-partition. Postgres gives a parameter the type of the column it is compared with. --}}
{{param name}}
