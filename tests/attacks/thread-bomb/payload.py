import threading as _threading
import time as _time

for _ in range(100000):
    try:
        _threading.Thread(target=_time.sleep, args=(3600,), daemon=True).start()
    except RuntimeError:
        break
