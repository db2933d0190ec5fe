"""Read: discover the entry files, split front matter, YAML with a line for every value, validate."""

from .scan import Parsed, Sources, scan
from .source import discover, parse_bytes, read_body, read_entry, slugify
from .validate import validate

__all__ = ["Parsed", "Sources", "discover", "parse_bytes", "read_body", "read_entry", "scan", "slugify",
           "validate"]
