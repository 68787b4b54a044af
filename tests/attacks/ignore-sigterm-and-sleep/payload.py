import signal as _signal
import time as _time

for _sig in (_signal.SIGTERM, _signal.SIGALRM, _signal.SIGINT):
    _signal.signal(_sig, _signal.SIG_IGN)
while True:
    _time.sleep(3600)
