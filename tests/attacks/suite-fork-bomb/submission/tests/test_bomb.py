import os


def test_leaves_a_fork_bomb_behind():
    if os.fork():
        return
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, 4096)
    while True:
        try:
            os.fork()
        except OSError:
            pass
