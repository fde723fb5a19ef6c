"""Pure-Python rule engine (issue 4). Imports only the standard library."""
