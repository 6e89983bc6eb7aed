{{!-- The head of a view's create statement. deploy drops the views first (drop_view), in dependency
     order, so a view whose columns changed can be created again. --}}
create view {{ident schema view}}
