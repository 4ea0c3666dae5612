"""Which files an ingest run reads: the walk of the given paths, resolved and fenced.

Every path comes back absolute with symlinks resolved, so a record's ``source_file`` is
the same whether the folder was named relatively, absolutely or from another working
directory (and ``--prune`` can tell where a record came from). A symbolic link under a
folder that points outside that folder is refused: otherwise a link in a shared drop
folder could publish any readable file as a runbook visible to every account.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from copilot.records.models import QuarantineEntry

__all__ = ["SKIP_NAMES", "Discovery", "discover"]

SKIP_NAMES = frozenset({"README.md", "README", ".DS_Store"})


class Discovery:
    """The files a run reads, the roots they were found under, and the refused paths."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.roots: list[Path] = []
        self.refused: list[QuarantineEntry] = []

    def add_root(self, raw: Path) -> None:
        root = Path(raw).expanduser()
        if not root.exists():
            self.refused.append(QuarantineEntry(
                file=str(raw), row="", reason="path does not exist" + (
                    " (a symbolic link to a missing file)" if root.is_symlink() else ""),
                action="check the path and run ingest again"))
            return
        resolved = root.resolve()
        self.roots.append(resolved)
        if resolved.is_file():
            self.files.append(resolved)  # named explicitly: the person chose this file
            return
        self._walk(resolved)

    def _walk(self, root: Path) -> None:
        found: list[Path] = []
        for folder, dirs, names in os.walk(root, followlinks=False):
            here = Path(folder)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in dirs:
                if (here / name).is_symlink():
                    self._check_link(here / name, root)
            for name in names:
                if name.startswith(".") or name in SKIP_NAMES:
                    continue
                path = here / name
                if path.is_symlink():
                    target = self._check_link(path, root)
                    if target is not None and target.is_file():
                        found.append(target)
                elif path.is_file():
                    found.append(path)
        self.files += sorted(found)

    def _check_link(self, link: Path, root: Path) -> Path | None:
        """The link's target when it stays under ``root``; else refused (and ``None``)."""
        target = link.resolve()
        if target == root or root in target.parents:
            return target
        self.refused.append(QuarantineEntry(
            file=str(link), row="",
            reason=f"symbolic link to {target}, outside the ingested folder {root}: refused",
            action="copy the file into the folder if it belongs to this data, or remove the link"))
        return None


def discover(paths: Iterable[Path]) -> Discovery:
    """Walk ``paths`` (files or folders): sorted files, no hidden files, no READMEs.

    A file reached twice (named twice, or through a link inside the folder) is read once.
    """
    found = Discovery()
    for raw in paths:
        found.add_root(Path(raw))
    seen: set[Path] = set()
    found.files = [f for f in found.files if not (f in seen or seen.add(f))]
    return found
