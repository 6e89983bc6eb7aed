{{!-- As default.sql: the 'utf8' collation compares by the UTF-8 bytes, whatever the column's collation.
     https://docs.snowflake.com/en/sql-reference/collation#collation-specifications --}}
collate({{value}}, 'utf8')
