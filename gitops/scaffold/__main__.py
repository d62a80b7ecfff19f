"""`python -m gitops.scaffold`: rewrite this repository's workflows from the templates."""
import sys

from . import main

sys.exit(main(sys.argv[1:]))
