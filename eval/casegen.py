"""Shared parts of the scripts that write the repository's own evaluation sets
(make_statsmodels_cases.py, make_vega_extra_cases.py): expected charts built
from pandas results in the JSONL format of ../shared/eval/README.md, and the
checks every case passes before it is written.

The judging rules are those of eval/judge.ts; the few of them a script must
respect when it writes an expectation are repeated here (ASKS_FOR_ORDER,
TIME_LABEL).
"""

import json
import re
import sys
from pathlib import Path

import pandas as pd

# No chart type named over a time axis: a line, an area or bars will do.
TIME_TYPES = ["line", "area", "bar"]

# eval/judge.ts `asksForOrder`: when a request matches it, category order is judged.
ASKS_FOR_ORDER = re.compile(
    r"\b(top|bottom|sort|sorted|order|ordered|orden|ordem|ordenad\w*|descend\w*"
    r"|ascend\w*|decrescente|crescente|decreciente|creciente|highest|lowest|most"
    r"|least|m[aá]s|mais|mayor\w*|maior\w*|menor\w*|mejor\w*|melhor\w*|rank\w*"
    r"|first|primer\w*|primeir\w*)\b",
    re.IGNORECASE | re.ASCII,
)
TIME_LABEL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def label(v) -> str:
    """A category or year as the judge reads it from the snapshot (JS String())."""
    if isinstance(v, str):
        return v
    f = float(v)
    return str(int(f)) if f.is_integer() else repr(f)


def num(v):
    """A value for the JSON; NaN is a missing point."""
    if v is None or pd.isna(v):
        return None
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)


def bars(s: pd.Series, name: str, *, type="bar", ordered=False) -> dict:
    """Categorical chart: x = s.index (in s's order), one series."""
    return {
        "kind": "chart",
        "type": type,
        "x": [label(i) for i in s.index],
        "series": {name: [num(v) for v in s.values]},
        "_ordered": ordered,
    }


def top(s: pd.Series, n: int, *, ascending=False) -> pd.Series:
    """The n largest (or smallest) values, in that order; the cut must not split a tie."""
    ranked = s.sort_values(ascending=ascending, kind="stable")
    if len(ranked) > n:
        assert ranked.iloc[n - 1] != ranked.iloc[n], f"tie at the top-{n} cut"
    return ranked.head(n)


def timeline(s: pd.Series, name: str, *, type=None, labels=None) -> dict:
    """Time axis: x = the index (years) or the given labels, in time order, one series."""
    s = s.sort_index()
    xs = labels if labels is not None else [label(i) for i in s.index]
    e = {"kind": "chart", "x": xs, "series": {name: [num(v) for v in s.values]}}
    if type:
        e["type"] = type
    else:
        e["type"], e["types"] = "line", TIME_TYPES
    return e


def split(frame: pd.DataFrame, *, type=None) -> dict:
    """Time axis split into series: frame indexed by time, one column per split value."""
    frame = frame.sort_index()
    e = {
        "kind": "chart",
        "x": [label(i) for i in frame.index],
        "series": {str(c): [num(v) for v in frame[c].values] for c in frame.columns},
    }
    if type:
        e["type"] = type
    else:
        e["type"], e["types"] = "line", TIME_TYPES
    return e


def scatter(df: pd.DataFrame, a: str, b: str, *, by: str | None = None) -> dict:
    """x: null; points [a, b] (the judge also accepts them swapped)."""
    df = df.dropna(subset=[a, b])
    if by is None:
        series = {b: [[num(p), num(q)] for p, q in zip(df[a], df[b])]}
    else:
        series = {
            str(k): [[num(p), num(q)] for p, q in zip(g[a], g[b])]
            for k, g in df.groupby(by, sort=True)
        }
    return {"kind": "chart", "type": "scatter", "x": None, "series": series}


def v2(e: dict, **changes) -> dict:
    """The same expectation as a second version of the previous chart."""
    e = {**e, **changes, "version": 2}
    if "type" in changes:
        e.pop("types", None)
    return e


def download(fmt: str) -> dict:
    return {"kind": "download", "format": fmt}


def clarify(*options: str) -> dict:
    return {"kind": "clarify", "options": list(options)}


class CaseSet:
    """The cases of one set, checked and written as JSONL (or compared with it)."""

    def __init__(self, data: Path, out: Path):
        self.data = data
        self.out = out
        self.cases: list[dict] = []

    def case(self, cid: str, file: str, turns, expect: dict) -> None:
        lang = cid.split("-")[1]
        turns = [turns] if isinstance(turns, str) else list(turns)
        self.cases.append({"id": cid, "lang": lang, "files": [file], "turns": turns, "expect": expect})

    def check(self, c: dict) -> None:
        e = c["expect"]
        text = " ".join(c["turns"])
        assert (self.data / c["files"][0]).exists(), c["id"]
        if e["kind"] != "chart" or e["x"] is None:
            return
        n = len(e["x"])
        for values in e["series"].values():
            assert len(values) == n, (c["id"], "series length")
            assert any(v is not None for v in values), (c["id"], "empty series")
        assert len(set(e["x"])) == n, (c["id"], "duplicate x")
        is_time = all(TIME_LABEL.match(x) for x in e["x"])
        if is_time:
            assert e["x"] == sorted(e["x"]), (c["id"], "time out of order")
        else:
            # Order is judged exactly when the request asks for one, so a case that
            # wants none must not trip the judge's order words by accident.
            ordered = e["_ordered"]
            assert bool(ASKS_FOR_ORDER.search(text)) == ordered, (c["id"], "order words")

    def write(self, script: str) -> None:
        """Checks every case, then writes the JSONL, or with --check fails if it differs."""
        for c in self.cases:
            self.check(c)
            c["expect"].pop("_ordered", None)
        ids = [c["id"] for c in self.cases]
        assert len(ids) == len(set(ids)), "duplicate ids"
        lines = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in self.cases)
        if "--check" in sys.argv:
            if self.out.read_text(encoding="utf-8") != lines:
                sys.exit(f"{self.out.name} is stale: rerun {Path(script).name}")
        else:
            self.out.write_text(lines, encoding="utf-8")
        counts = pd.Series([c["lang"] for c in self.cases]).value_counts().to_dict()
        where = self.out.relative_to(self.out.parent.parent)
        print(f"{len(self.cases)} cases {counts} -> {where}", file=sys.stderr)
