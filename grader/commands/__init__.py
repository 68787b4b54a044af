"""What the ``grade`` commands do, one module per command family; ``grader/cli.py`` wires them.

These are CLI modules: they (and ``cli.py``) are the only ones that print, exit or read the
environment. ``context`` holds what every command shares (consoles, the error guard, the
settings the group stored on the click context, the runner built from them).
"""
