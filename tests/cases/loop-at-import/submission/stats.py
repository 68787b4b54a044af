import time

while True:
    time.sleep(0)  # a busy loop that also survives signal-based per-test timeouts poorly
