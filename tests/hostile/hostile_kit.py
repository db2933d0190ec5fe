"""Shared tools of the hostile suite: a strict scanner for unsafe HTML, site manifests, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT

# Every payload carries this word, so that a survivor is recognised wherever it lands.
MARK = "pwn"
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite",
                  "data", "codebase", "ping", "srcset", "longdesc", "manifest", "icon", "lowsrc", "dynsrc"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg", "math",
                  "style", "noscript", "template", "portal", "xmp", "plaintext", "listing"}
# Browsers drop these characters anywhere in a URL scheme, and C0 controls and spaces around it.
_SCHEME_NOISE = re.compile(r"[\t\n\r]")


def normalise_url(value: str) -> str:
    """The URL as a browser reads its scheme: trimmed of controls and spaces, tabs and newlines out."""
    return _SCHEME_NOISE.sub("", value.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
                                            "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
                                            )).lower()


class _Scanner(HTMLParser):
    """Collects every construct through which a page could run script, with where it was found."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.texts: list[str] = []  # text nodes and attribute values, decoded: where payloads show
        self._script: tuple[str, dict[str, str]] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = f"line {self.getpos()[0]}: <{tag}>"
        values = {name: value or "" for name, value in attrs}
        self.texts.extend(values.values())
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"{where} element")
        if tag == "meta" and "http-equiv" in values:
            self.findings.append(f"{where} http-equiv={values['http-equiv']!r}")
        for name, value in values.items():
            if name.startswith("on"):
                self.findings.append(f"{where} event handler {name}={value!r}")
            if name == "style" and MARK in value:
                self.findings.append(f"{where} style={value!r}")
            if name in URL_ATTRIBUTES:
                url = normalise_url(value)
                candidates = [normalise_url(part.split()[0]) for part in value.split(",") if part.split()] \
                    if name == "srcset" else [url]
                if any(c.startswith(UNSAFE_SCHEMES) for c in candidates):
                    self.findings.append(f"{where} {name}={value!r}")
        if tag == "script":
            self._script = (where, values)
            self._script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        where, attrs = self._script
        text = "".join(self._script_text)
        kind = attrs.get("type", "").lower()
        if kind in ("application/ld+json", "application/json"):
            try:
                json.loads(text)
            except ValueError:
                self.findings.append(f"{where} JSON data that does not parse (broken out of?)")
        elif MARK in text or MARK in attrs.get("src", ""):
            self.findings.append(f"{where} script carrying the payload")
        elif re.match(r"^(https?:)?//", attrs.get("src", "").strip(), re.I):
            self.findings.append(f"{where} script from another site: {attrs['src']!r}")
        self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.texts.append(data)


def scan(html: str) -> tuple[list[str], str]:
    """(unsafe constructs found, all decoded text and attribute values joined)."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.findings, "\n".join(scanner.texts)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def manifest(folder: Path) -> dict[str, str]:
    """Every file under folder -> sha256 of its bytes (symbolic links by their target)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[rel + "/"] = "dir"
    return found


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """python build.py ARGS in cwd: exit code, stdout and stderr, as CI sees them."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def write_bytes(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
