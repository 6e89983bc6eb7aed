drop view if exists {{ident schema name}}
