"""Turn the CLIXML that powershell.exe writes to a redirected stderr back into error text.

Error streams arrive as ``<S S="Error">`` strings with characters escaped as ``_xHHHH_``;
progress and other records are ignored (non-empty stderr with exit code 0 is not a failure).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

HEADER = "#< CLIXML"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def error_text(stderr: str) -> str:
    """The error lines of a CLIXML stderr (or the stderr itself when it is plain text), trimmed."""
    body = stderr.strip()
    if not body.startswith(HEADER):
        return body
    try:
        root = ET.fromstring(body[len(HEADER):].strip())
    except ET.ParseError:
        return body
    parts = [_unescape(el.text or "") for el in root.iter() if el.tag.endswith("}S") and el.get("S") == "Error"]
    return "".join(parts).strip()


def first_message(stderr: str) -> str:
    """The error's own message, without PowerShell's position and category lines."""
    lines: list[str] = []
    for line in error_text(stderr).splitlines():
        if line.startswith(("At line:", "At char:", "+ ", "    + ")) or (lines and not line.strip()):
            break
        lines.append(line.strip())
    return " ".join(lines)
