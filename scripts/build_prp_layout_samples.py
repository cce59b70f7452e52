#!/usr/bin/env python3
"""Write the test exports of every Project Results layout, ``tests/data/imports/layouts/``, from the real
records in ``../shared/data/external/erasmus-prp-sample-records/`` (see its SOURCE.md).

Each JSON file there is one row of an export, keyed by the export's own headers in the export's column order.
For each predecessor programme this writes ``<name>.csv``: the headers as row 1, the record's values as row 2,
no value changed (UTF-8, comma-separated, as the platform's CSV download), and, for one of them
(``LifeLongLearning_Projects_Overview``), the same row as ``<name>.xlsx`` (text cells, one sheet).

Usage: ``python scripts/build_prp_layout_samples.py [RECORDS_FOLDER]`` from the repository root.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT.parent / "shared" / "data" / "external" / "erasmus-prp-sample-records"
OUT = ROOT / "tests" / "data" / "imports" / "layouts"
PREDECESSORS = (
    "CoopIndustrialisedCountries_Projects_Overview",
    "CreativeEurope_Projects_Overview",
    "Culture_2007_2013_Projects_Overview",
    "ErasmusMundus_Projects_Overview",
    "LifeLongLearning_Projects_Overview",
    "Sports_Projects_Overview",
    "Tempus_Projects_Overview",
    "YouthInAction_Projects_Overview",
)
AS_XLSX = "LifeLongLearning_Projects_Overview"


def record(folder: Path, name: str) -> dict[str, str]:
    with (folder / f"{name}.json").open(encoding="utf-8") as handle:
        found: dict[str, str] = json.load(handle)  # json keeps the file's key order
    return found


def write_csv(path: Path, row: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(row.keys())
        writer.writerow(row.values())


def write_xlsx(path: Path, row: dict[str, str]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Projects")
    sheet.append(list(row.keys()))
    sheet.append([value or None for value in row.values()])
    workbook.save(path)


def build(folder: Path = RECORDS, out: Path = OUT) -> list[Path]:
    """Write the test exports of the records in `folder` to `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PREDECESSORS:
        row = record(folder, name)
        write_csv(out / f"{name}.csv", row)
        written.append(out / f"{name}.csv")
        if name == AS_XLSX:
            write_xlsx(out / f"{name}.xlsx", row)
            written.append(out / f"{name}.xlsx")
    return written


if __name__ == "__main__":
    files = build(Path(sys.argv[1]) if len(sys.argv) > 1 else RECORDS)
    print(f"wrote {len(files)} files to {OUT}")
