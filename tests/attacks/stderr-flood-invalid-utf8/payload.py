import os as _os

_junk = b"\xff\xfe\x80\x1b[2J\x1b]0;pwned\x07" * 4096
for _ in range(200):
    _os.write(1, _junk)
    _os.write(2, _junk)
