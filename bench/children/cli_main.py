"""The console script's path, for `python -X importtime` (bench/query.py): `erasmus_kg.cli.main(argv)`.

python -X importtime bench/children/cli_main.py [erasmus-kg arguments...]
"""

import sys

from erasmus_kg.cli import main

main(sys.argv[1:])
