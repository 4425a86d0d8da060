"""`python -m outreach_tui` runs the same entry point as the `outreach-tui` script."""

import sys

from outreach_tui.cli import main

sys.exit(main())
