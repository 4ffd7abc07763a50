"""Write a data file as YAML a clerk can read and edit: Chinese as written, keys in order, dates as YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

import yaml


def yaml_bytes(data: dict, header: str = "") -> bytes:
    """Return data as a YAML data file (block style, keys in the given order) after a comment header."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return (header + text).encode("utf-8")


class _Dumper(yaml.SafeDumper):
    """Dump dates as YYYY-MM-DD and lists indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


_Dumper.add_representer(dt.date, lambda dumper, day: dumper.represent_scalar("tag:yaml.org,2002:timestamp", day.isoformat()))
