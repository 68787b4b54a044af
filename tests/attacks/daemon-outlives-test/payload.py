import os as _os

if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        while True:
            pass
    _os._exit(0)
