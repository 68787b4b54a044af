import sys

sys.modules.pop("coverage", None)
