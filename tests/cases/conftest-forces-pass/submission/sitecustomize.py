import builtins

builtins.float = lambda *a: 0.0
