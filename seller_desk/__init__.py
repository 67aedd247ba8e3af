import time as _time

# The earliest timestamp the process can take in our code (before any other import): the startup
# probe (SELLER_DESK_STARTUP_PROBE=1) measures "launch to painted" from here.
PROCESS_T0 = _time.perf_counter()

__version__ = "0.1.0"
