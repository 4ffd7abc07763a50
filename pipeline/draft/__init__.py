"""Turn drafts a clerk typed into formatted notices: read, recognise, standardise, build, check."""
