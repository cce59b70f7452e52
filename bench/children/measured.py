"""Run a command and report its wall time, CPU time and peak memory as JSON on stdout (bench/benchlib.py).

    python bench/children/measured.py COMMAND [ARGS...]

Peak memory is getrusage(RUSAGE_CHILDREN).ru_maxrss here, in a small process started for this one command:
the largest resident set of the command and of every process it waited for. Prints {"wall_s", "cpu_s",
"peak_kb", "returncode", "stderr" (its last 2,000 characters)}.
"""

import json
import resource
import subprocess
import sys
import time

started = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, check=False)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
figures = {
    "wall_s": wall,
    "cpu_s": usage.ru_utime + usage.ru_stime,
    "peak_kb": usage.ru_maxrss,
    "returncode": proc.returncode,
    "stderr": proc.stderr.decode(errors="replace")[-2000:],
}
json.dump(figures, sys.stdout)
