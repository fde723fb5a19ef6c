"""
Demo data: a realistic org tree, members and demo logins (``orglife demo``).

``names`` holds the word lists and the identity generators (names, national
IDs, phones), ``tree`` plans the organizations, ``people`` plans members,
histories and committee posts, and ``build`` writes a plan to the database.
Planning is pure Python and deterministic for a seed, so tests can compare
plans without a database.
"""
