_block = b"\0" * (1 << 20)
for _target in ("/work/fill.bin", "/tmp/fill.bin", "/dev/shm/fill.bin"):
    try:
        with open(_target, "wb") as _handle:
            for _ in range(4096):
                _handle.write(_block)
    except OSError:
        pass
