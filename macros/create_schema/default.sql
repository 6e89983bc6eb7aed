create schema if not exists {{ident schema}}
