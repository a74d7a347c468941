"""Tables and labelled records in plain text: cells with their column header.

Activity schemes are often tables (时间 | 活动内容 | 责任单位 | 牵头单位). A Word
table arrives with its cells from the reader (``io.docx``), an HTML table
from ``io.html``; in text the same table is written as

* markdown pipes (``| 7月下旬 | 召开座谈会 | 县双拥办 |``) or columns separated
  by tabs or runs of two or more spaces, under a header row naming the
  columns;
* labelled records: ``时间：1月20日—25日；内容：走访慰问驻军；牵头单位：县退役军人事务局``
  on one line, or the same fields on consecutive lines.

Each cell is ``(start, end, table, row, col, header)`` on the normalised text,
the shape ``Ctx.cells`` holds for every format, so the linker and the
people/organization extractors read one thing whatever the source format.
"""
from __future__ import annotations

import functools
import re

from .extractors.base import alternation, lexicon
from .structure import INLINE_ITEM

Cell = tuple  # (start, end, table, row, col, header)
_WIDE_GAP = re.compile(r"\S[ \u3000]{2,}\S")  # columns set apart by spaces
_COLON = re.compile(r"[:：]\s*")  # where a field label ends (with the blanks after it)
_OWN_MAX = 4  # characters of a record's own words before a label ending (训练时间)


@functools.lru_cache(maxsize=1)
def _rx() -> dict:
    lx = lexicon("tables")
    # every role label of a unit (配合部门, 协作单位 …) is a field label too: otherwise the field
    # before it would run on over it ("牵头部门：A；配合部门：B" read as one 牵头 field)
    roles = lexicon("organizations")
    headers = list(dict.fromkeys(list(lx["column_headers"]) + [
        w for table in ("role_labels", "header_roles") for ws in roles[table].values() for w in ws if len(w) >= 4]))
    # a field label of a record's own words opening a line or a clause: 训练时间：…, 活动地点：…
    own = r"[\u4e00-\u9fff]{1,%d}(?:%s)" % (_OWN_MAX, alternation(lx["record_label_endings"]))
    return {
        "headers": set(headers),
        "header_endings": tuple(lx["column_header_endings"]),
        "label": re.compile(r"(?:(?:^|(?<=[;；。\s.、)）]))(%s|%s)|(%s))\s*[:：]\s*"
                            % (alternation(headers), own, alternation(lx["glued_labels"]))),
        # the longest label: a label's search starts that far before its colon (see _labels)
        "reach": max(max(map(len, headers + lx["glued_labels"])),
                     _OWN_MAX + max(map(len, lx["record_label_endings"]))),
        "line_label": re.compile(r"^\s*(?:[-*]\s*)?(%s|%s)\s*[:：]" % (alternation(headers), own)),
        "split": re.compile(r"\t+|[ \u3000]{2,}|\|"),
        "rule": re.compile(r"^[\s|:\-+]+$"),
    }


def _columns(line: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of the non-empty columns of a table line."""
    cols = []
    pos = 0
    for m in list(_rx()["split"].finditer(line)) + [None]:
        end = m.start() if m else len(line)
        raw = line[pos:end]
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            cols.append((offset + pos + lead, offset + pos + len(raw.rstrip()), raw.strip()))
        pos = m.end() if m else len(line)
    return cols


def _join_padded(cols: list, want: int) -> list:
    """Join a padded two-character name split in two columns (杨  帆) while the row has more
    columns than its header."""
    cols = list(cols)
    k = 0
    while len(cols) > want and k + 1 < len(cols):
        a, b = cols[k], cols[k + 1]
        if len(a[2]) == 1 and len(b[2]) == 1 and "\u4e00" <= a[2] <= "\u9fff" and "\u4e00" <= b[2] <= "\u9fff" \
                and b[0] - a[1] <= 4:
            cols[k:k + 2] = [(a[0], b[1], a[2] + b[2])]
        else:
            k += 1
    return cols


def text_tables(text: str) -> list[Cell]:
    """Cells of the column tables in ``text`` (markdown pipes, tabs, wide spaces) under a header row."""
    out: list[Cell] = []
    if not ("|" in text or "\t" in text or "  " in text or "\u3000" in text):
        return out  # no line can be a row (half the documents): their lines are not read one by one
    rx = _rx()
    header: list[str] = []
    table = -1
    row = 0
    pos = 0
    for line in text.split("\n"):
        offset, pos = pos, pos + len(line) + 1
        if not (("|" in line and line.count("|") >= 2) or "\t" in line
                or (("  " in line or "\u3000" in line) and _WIDE_GAP.search(line))):
            header = []
            continue
        if rx["rule"].match(line):
            continue  # markdown |---|---|
        cols = _columns(line, offset)
        names = [c[2] for c in cols]
        if len(cols) >= 2 and sum(n in rx["headers"] or (len(n) <= 10 and n.endswith(rx["header_endings"]))
                                  for n in names) >= 2 and not any("。" in n for n in names):
            header, table, row = names, offset, 0
            continue
        if header and len(cols) > len(header):
            cols = _join_padded(cols, len(header))
        if header and len(cols) == len(header):
            row += 1
            for col, ((a, b, _t), h) in enumerate(zip(cols, header)):
                out.append((a, b, table, row, col, h))
        elif header and len(cols) < 2:
            header = []
    return out


def _labels(line: str, rx: dict) -> list[re.Match]:
    """The matches of ``rx["label"].finditer(line)``, searched near the colons only: a label ends at a
    colon (after blanks) and is at most ``rx["reach"]`` long, so no match starts further before it, and
    the positions of a long line away from its colons are not tried one by one."""
    label, reach = rx["label"], rx["reach"]
    out = []
    pos = 0  # where the previous match ended
    for c in _COLON.finditer(line):
        a, b = c.span()
        while a > pos and line[a - 1].isspace():  # the blanks before the colon
            a -= 1
        m = label.search(line, max(pos, a - reach), b)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


def labelled_records(text: str) -> list[Cell]:
    """Cells of ``时间：…；内容：…；牵头单位：…`` records (one line, or consecutive labelled lines)."""
    rx = _rx()
    out: list[Cell] = []
    pos = 0
    record = None  # (table id, next col, headers seen) of the record being read across lines
    for line in text.split("\n"):
        offset, pos = pos, pos + len(line) + 1
        if ":" not in line and "：" not in line:  # every label ends with a colon: no field on this line
            record = None
            continue
        labels = _labels(line, rx)
        if not labels or (len(labels) < 2 and not rx["line_label"].match(line)):
            record = None
            continue
        names = {m.group(1) or m.group(2) for m in labels}
        if record is None or len(labels) >= 2 or names & record[2]:
            record = (-(offset + 1), 0, set())  # a new record: a repeated label starts the next one
        table, col, seen = record
        in_line: set = set()
        item = None
        for k, m in enumerate(labels):
            name = m.group(1) or m.group(2)
            if name in in_line or (item and item.start() < m.start()):
                # a repeated label or an item marker before it: the next record on the same line
                # (a page that lost its line breaks: "时间:7月下旬 责任单位:… 二、… 时间:8月份 …")
                table, col, in_line = -(offset + m.start() + 1), 0, set()
            in_line.add(name)
            a = m.end()
            b = labels[k + 1].start() if k + 1 < len(labels) else len(line)
            item = INLINE_ITEM.search(line, a, b)  # the next item, on the same line of a flattened page
            if item:
                b = item.start()
            while b > a and line[b - 1] in " \t;；。,，":
                b -= 1
            if b > a:
                out.append((offset + a, offset + b, table, 0, col, name))
                col += 1
        seen = seen | in_line
        record = (table, col, seen) if len(labels) == 1 else None
    return out
