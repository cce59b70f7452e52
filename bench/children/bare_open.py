"""Start-up cost of the baseline (bench/query.py): import pyoxigraph and open a build read-only, nothing else.

python bench/children/bare_open.py DB
"""

import sys

import pyoxigraph

pyoxigraph.Store.read_only(sys.argv[1])
