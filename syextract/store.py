"""The SQLite archive behind ``syextract extract --db archive.sqlite``.

Standard library only (``sqlite3``), no server. One row per input in
``documents`` (a Document, or an error record with ``error_kind`` and
``error_message`` set), and below it::

    documents (doc_key)
      plans (plan_key, doc_key)
        sections (section_key, plan_key, doc_key, parent_key -> sections)
        times | quantities | people | organizations | placeholders | activities
              (<table>_key, plan_key, doc_key, section_key -> sections)
          activity_links (activity_key, kind, target_table, target_key, ...)

Every mention table has the record's own fields (``month``, ``unit``,
``name`` …) as columns, plus ``mention_id`` (the record's ``id``, such as
``t3``), ``text``, ``start``, ``end``, ``section_id``. The columns are derived
from the pydantic models in :mod:`syextract.records`, so a field added there
becomes a column (added with ``ALTER TABLE`` to an existing archive). Two
field names are SQL keywords and are renamed: ``Person.group`` ->
``group_id``; everything else keeps its JSON name. List-valued fields other
than activity links are stored as JSON text.

Each document is written in one transaction, so a run killed at any point
leaves complete documents only; the journal is in WAL mode so readers may
query the archive while a batch is writing.
"""
from __future__ import annotations

import json
import sqlite3
import typing
from datetime import datetime, timezone
from typing import Iterable, Optional

from . import records as R

#: mention tables, the model of their rows, and the record field they come from
MENTION_TABLES: list[tuple[str, type]] = [
    ("times", R.TimeExpr),
    ("quantities", R.Quantity),
    ("people", R.Person),
    ("organizations", R.Organization),
    ("placeholders", R.Placeholder),
    ("activities", R.Activity),
]
LINK_KINDS = ("times", "responsible", "participants", "quantities")
_RENAME = {"group": "group_id"}
_MENTION_BASE = {"id", "text", "start", "end", "section"}
_PREFIX_TABLE = {"t": "times", "q": "quantities", "h": "people", "o": "organizations", "g": "placeholders",
                 "a": "activities"}


def _sql_type(annotation) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    ann = args[0] if typing.get_origin(annotation) is typing.Union and args else annotation
    if typing.get_origin(ann) is typing.Literal:
        return "TEXT"
    if ann is bool or ann is int:
        return "INTEGER"
    if ann is float:
        return "REAL"
    if ann is str:
        return "TEXT"
    return "TEXT"  # lists and anything else: JSON text


def _fields(model) -> list[tuple[str, str, str]]:
    """(field name, column name, SQL type) of a mention model's own fields."""
    out = []
    for name, info in model.model_fields.items():
        if name in _MENTION_BASE or (model is R.Activity and name in LINK_KINDS):
            continue
        out.append((name, _RENAME.get(name, name), _sql_type(info.annotation)))
    return out


def _key(table: str) -> str:
    return {"times": "time_key", "quantities": "quantity_key", "people": "person_key",
            "organizations": "organization_key", "placeholders": "placeholder_key",
            "activities": "activity_key"}[table]


def _ddl() -> list[str]:
    stmts = [
        """CREATE TABLE IF NOT EXISTS documents (
            doc_key INTEGER PRIMARY KEY,
            path TEXT, doc_id TEXT, sha256 TEXT, text_sha256 TEXT, format TEXT, encoding TEXT,
            chars INTEGER, title TEXT, n_plans INTEGER, n_mentions INTEGER, warnings TEXT,
            error_kind TEXT, error_message TEXT,
            record TEXT NOT NULL,
            added_at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS plans (
            plan_key INTEGER PRIMARY KEY,
            doc_key INTEGER NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
            plan_id TEXT, title TEXT, start INTEGER, "end" INTEGER, issuer TEXT, year INTEGER)""",
        """CREATE TABLE IF NOT EXISTS sections (
            section_key INTEGER PRIMARY KEY,
            plan_key INTEGER NOT NULL REFERENCES plans(plan_key) ON DELETE CASCADE,
            doc_key INTEGER NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
            parent_key INTEGER REFERENCES sections(section_key),
            section_id TEXT, number TEXT, title TEXT, level INTEGER, parent_id TEXT,
            start INTEGER, "end" INTEGER, scheme TEXT, value INTEGER)""",
    ]
    for table, model in MENTION_TABLES:
        cols = ", ".join(f'"{col}" {typ}' for _n, col, typ in _fields(model))
        stmts.append(f"""CREATE TABLE IF NOT EXISTS {table} (
            {_key(table)} INTEGER PRIMARY KEY,
            plan_key INTEGER NOT NULL REFERENCES plans(plan_key) ON DELETE CASCADE,
            doc_key INTEGER NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
            section_key INTEGER REFERENCES sections(section_key),
            mention_id TEXT, text TEXT, start INTEGER, "end" INTEGER, section_id TEXT,
            {cols})""")
    stmts.append("""CREATE TABLE IF NOT EXISTS activity_links (
            link_key INTEGER PRIMARY KEY,
            activity_key INTEGER NOT NULL REFERENCES activities(activity_key) ON DELETE CASCADE,
            doc_key INTEGER NOT NULL REFERENCES documents(doc_key) ON DELETE CASCADE,
            kind TEXT NOT NULL, target_table TEXT, target_key INTEGER, target_id TEXT,
            text TEXT, start INTEGER, "end" INTEGER, name TEXT)""")
    stmts += [
        "CREATE INDEX IF NOT EXISTS documents_sha256 ON documents(sha256)",
        "CREATE INDEX IF NOT EXISTS documents_path ON documents(path)",
        "CREATE INDEX IF NOT EXISTS plans_doc ON plans(doc_key)",
        "CREATE INDEX IF NOT EXISTS sections_plan ON sections(plan_key)",
        "CREATE INDEX IF NOT EXISTS times_month ON times(month)",
        "CREATE INDEX IF NOT EXISTS activity_links_activity ON activity_links(activity_key, kind)",
        "CREATE INDEX IF NOT EXISTS activity_links_target ON activity_links(target_table, target_key)",
    ]
    for table, _model in MENTION_TABLES:
        stmts.append(f"CREATE INDEX IF NOT EXISTS {table}_plan ON {table}(plan_key)")
    return stmts


def _value(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


class Store:
    """A SQLite archive of records; ``add(record)`` writes one document in one transaction."""

    def __init__(self, path: str):
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT below
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("BEGIN")
        for stmt in _ddl():
            self.conn.execute(stmt)
        self._migrate()
        self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        """Add the columns of fields that records.py gained since the archive was made."""
        for table, model in MENTION_TABLES:
            have = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            for _n, col, typ in _fields(model):
                if col not in have:
                    self.conn.execute(f'ALTER TABLE {table} ADD COLUMN "{col}" {typ}')

    # ------------------------------------------------------------ reading

    def done_hashes(self) -> set[str]:
        """sha256 of every input already in the archive (Documents and content errors)."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT sha256 FROM documents WHERE sha256 IS NOT NULL")}

    def done_inputs(self) -> set[tuple]:
        """(path, sha256) of every record in the archive (sha256 None for an input that could not be read)."""
        return {(r[0], r[1]) for r in self.conn.execute("SELECT DISTINCT path, sha256 FROM documents")}

    def count(self, table: str) -> int:
        return self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    # ------------------------------------------------------------ writing

    def add(self, record: dict | R.Document | R.ErrorRecord, line: Optional[str] = None) -> int:
        """Write one record (a Document or an error record, as a model or its JSON dict); returns doc_key."""
        if not isinstance(record, dict):
            line = line or record.model_dump_json()
            record = json.loads(line)
        line = line or json.dumps(record, ensure_ascii=False)
        c = self.conn
        c.execute("BEGIN")
        try:
            key = self._add(c, record, line)
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        return key

    def _add(self, c: sqlite3.Connection, rec: dict, line: str) -> int:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        src = rec.get("source") or {}
        if "error" in rec:
            cur = c.execute(
                "INSERT INTO documents (path, sha256, error_kind, error_message, record, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (src.get("path"), src.get("sha256"), rec["error"].get("kind"), rec["error"].get("message"), line, now))
            return cur.lastrowid
        plans = rec.get("plans") or []
        n_mentions = sum(len(p.get(t) or []) for p in plans for t, _m in MENTION_TABLES)
        cur = c.execute(
            "INSERT INTO documents (path, doc_id, sha256, text_sha256, format, encoding, chars, title, n_plans,"
            " n_mentions, warnings, record, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (src.get("path"), rec.get("id"), src.get("sha256"), src.get("text_sha256"), src.get("format"),
             src.get("encoding"), src.get("chars"), rec.get("title"), len(plans), n_mentions,
             json.dumps(rec.get("warnings") or [], ensure_ascii=False), line, now))
        doc_key = cur.lastrowid
        for p in plans:
            plan_key = c.execute(
                'INSERT INTO plans (doc_key, plan_id, title, start, "end", issuer, year) VALUES (?,?,?,?,?,?,?)',
                (doc_key, p.get("id"), p.get("title"), p.get("start"), p.get("end"), p.get("issuer"),
                 p.get("year"))).lastrowid
            sec_keys: dict[str, int] = {}
            for s in p.get("sections") or []:
                sec_keys[s["id"]] = c.execute(
                    'INSERT INTO sections (plan_key, doc_key, parent_key, section_id, number, title, level,'
                    ' parent_id, start, "end", scheme, value) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                    (plan_key, doc_key, sec_keys.get(s.get("parent")), s.get("id"), s.get("number"),
                     s.get("title"), s.get("level"), s.get("parent"), s.get("start"), s.get("end"),
                     s.get("scheme"), s.get("value"))).lastrowid
            mention_keys: dict[str, tuple[str, int]] = {}
            activity_rows = []
            for table, model in MENTION_TABLES:
                fields = _fields(model)
                cols = ", ".join(f'"{col}"' for _n, col, _t in fields)
                sql = (f'INSERT INTO {table} (plan_key, doc_key, section_key, mention_id, text, start, "end",'
                       f' section_id, {cols}) VALUES ({", ".join("?" * (8 + len(fields)))})')
                for m in p.get(table) or []:
                    k = c.execute(sql, (plan_key, doc_key, sec_keys.get(m.get("section")), m.get("id"),
                                        m.get("text"), m.get("start"), m.get("end"), m.get("section"),
                                        *(_value(m.get(n)) for n, _c, _t in fields))).lastrowid
                    if m.get("id"):
                        mention_keys[m["id"]] = (table, k)
                    if table == "activities":
                        activity_rows.append((k, m))
            for akey, a in activity_rows:
                for kind in LINK_KINDS:
                    for ref in a.get(kind) or []:
                        rid = ref.get("id")
                        table, tkey = mention_keys.get(rid, (None, None)) if rid else (None, None)
                        if table is None and rid:
                            table = _PREFIX_TABLE.get(rid[:1])
                        c.execute(
                            'INSERT INTO activity_links (activity_key, doc_key, kind, target_table, target_key,'
                            ' target_id, text, start, "end", name) VALUES (?,?,?,?,?,?,?,?,?,?)',
                            (akey, doc_key, kind, table, tkey, rid, ref.get("text"), ref.get("start"),
                             ref.get("end"), ref.get("name")))
        return doc_key

    def add_many(self, records: Iterable) -> None:
        for r in records:
            self.add(r)

    def close(self) -> None:
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(path: str) -> Store:
    return Store(path)
