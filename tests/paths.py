"""Name the repository files the tests read: sample inputs, templates and the seed notice."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_NOTICE = REPO / "inputs" / "notice.yaml"
EXAMPLE_NOTICE = REPO / "inputs" / "examples" / "county_metrology_notice.yaml"
# The reference notice (CNIPA 国知办函服字〔2022〕270号), copied from shared/seed so a clone is self-contained.
SEED = REPO / "tests" / "data" / "seed_notice.txt"
SHARED_SEED = REPO.parent / "shared" / "seed" / "000_eddc111c1b1eb28e.txt"
