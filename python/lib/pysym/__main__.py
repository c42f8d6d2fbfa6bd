"""`python -m pysym dump ...`: pysym-dump's reports from inside this interpreter."""

import sys

from pysym.dump import main

sys.exit(main(sys.argv[1:]))
