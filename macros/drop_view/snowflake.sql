{{!-- Nothing: create_view replaces a view with `copy grants`, and a drop before it would lose them. --}}
