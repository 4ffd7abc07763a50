"""Name the repository files the tests read: sample inputs, templates and the seed notice."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_NOTICE = REPO / "inputs" / "notice.yaml"
EXAMPLE_NOTICE = REPO / "inputs" / "examples" / "county_metrology_notice.yaml"
SEED = REPO.parent / "shared" / "seed" / "000_eddc111c1b1eb28e.txt"
