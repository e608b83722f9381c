"""`annotator serve`: the same screens in a browser, one app process per tab (textual-serve),
with who is who and who may do what decided by the server."""
