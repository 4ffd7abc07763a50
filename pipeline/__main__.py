"""Run the pipeline's command line: python -m pipeline STAGE ..."""

import sys

from .cli import main

sys.exit(main())
