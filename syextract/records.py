"""The public record contract (see the spec, EXTRACTION.md).

Field names here are what downstream tools read: extend, never rename.
Every mention carries ``text``, ``start``, ``end``: Python string indices into
the document's *source text* (end-exclusive), so ``source[start:end] == text``.
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mention(_Model):
    id: str = Field(description="Stable id within the document, e.g. 't3' (category letter + index).")
    text: str = Field(description="The mention exactly as written in the source text.")
    start: int = Field(ge=0, description="Start offset in the source text (Python str index).")
    end: int = Field(ge=0, description="End offset (exclusive) in the source text.")
    section: Optional[str] = Field(None, description="Id of the innermost section containing the mention.")


class TimeExpr(Mention):
    year: Optional[int] = None
    month: Optional[int] = None
    day: Optional[int] = None
    month_end: Optional[int] = Field(None, description="Upper month of a range (6-8月 -> 8).")
    day_end: Optional[int] = Field(None, description="Upper day of a range (6月3—8日 -> 8).")
    year_end: Optional[int] = None
    festival: Optional[str] = Field(None, description="Canonical festival or commemorative day (春节, 八一建军节 …).")
    part: Optional[str] = Field(None, description="Part of a period: 上旬, 中旬, 下旬, 初, 中, 底, 末.")
    relation: Optional[str] = Field(None, description="前, 前夕, 期间, 之际, 后, 前后, 以来, 起, 至 …")
    season: Optional[str] = Field(None, description="春, 夏, 秋, 冬, 暑期, 寒假, 假期, 新学期 …")
    recurrence: Optional[str] = Field(None, description="每年, 每季, 每月, 每周, 每学年, 定期, 不定期 …")
    placeholder: bool = Field(False, description="True when part of the expression is a template gap.")
    vague: bool = Field(False, description="A vague time (今年, 新的一年) that settles no field.")
    iso: Optional[str] = Field(None, description="ISO 8601 date or interval (a/b) when the year is known.")
    uninterpreted: Optional[str] = Field(
        None, description="Any part of the text the rules did not interpret (kept, never dropped silently).")
    part_end: Optional[str] = Field(None, description="Part of the upper end of a range (3月初至5月底 -> 底).")
    event: Optional[str] = Field(None, description="A named event the time is anchored to (二十大召开, 全国两会).")


class Quantity(Mention):
    value: Optional[Union[int, float]] = Field(None, description="The number; money normalised to 元; null for a gap.")
    value_end: Optional[Union[int, float]] = Field(None, description="Upper bound of a range (3-5名 -> 5).")
    unit: Optional[str] = None
    of: Optional[str] = Field(None, description="What is counted when the text says it (25名烈属 -> 烈属).")
    approx: bool = Field(False, description="The text marks the number as approximate (近, 约, 余, 多 …).")
    bound: Optional[str] = Field(None, description="以上, 以下, 至少, 不低于, 不少于, 不超过 …")
    per: Optional[str] = Field(None, description="Denominator of a rate (200元/人 -> 人).")
    placeholder: bool = False


class Person(Mention):
    name: Optional[str] = None
    title: Optional[str] = Field(None, description="职务 as written next to the name.")
    role: Optional[str] = Field(None, description="Role in the plan: 组长, 副组长, 成员, 负责人, 联系人 …")
    placeholder: bool = False
    group: Optional[str] = Field(None, description="Id of the leading group (Organization) the role belongs to.")


OrgKind = Literal["military", "government", "party", "community", "school", "union", "enterprise", "other"]


class Organization(Mention):
    name: str
    role: Optional[str] = Field(None, description="责任单位, 牵头单位, 参与单位, 配合单位, 承办单位, 主办单位, "
                                                  "协办单位, 共建单位, 负责 — only where a cue says it.")
    kind: Optional[OrgKind] = None
    leading_group: bool = Field(False, description="A 领导小组 set up by the plan.")


class Ref(_Model):
    """A link from an activity to another mention of the same plan (its id, text and offsets)."""
    id: Optional[str] = Field(None, description="Id of the linked mention; null when the target is not itself "
                                               "a listed mention (a place named as the actor).")
    text: str
    start: int
    end: int
    name: Optional[str] = Field(None, description="Resolved name (社区 -> 太平门社区).")


class Activity(Mention):
    action: Optional[str] = Field(None, description="The action verb (开展, 举办, 召开 …).")
    name: Optional[str] = Field(None, description="The object phrase.")
    times: list[Ref] = Field(default_factory=list)
    responsible: list[Ref] = Field(default_factory=list)
    participants: list[Ref] = Field(default_factory=list, description="参与/配合 units (not responsible).")
    quantities: list[Ref] = Field(default_factory=list)
    recurrence: Optional[str] = None


PlaceholderKind = Literal["blank", "masked_name", "masked_place", "masked_year", "masked_number"]


class Placeholder(Mention):
    kind: PlaceholderKind


class Section(_Model):
    id: str
    number: Optional[str] = Field(None, description="The label as written or recovered from Word's numbering.")
    title: Optional[str] = None
    level: int = Field(ge=1)
    parent: Optional[str] = None
    start: int
    end: int
    scheme: Optional[str] = Field(None, description="Numbering scheme (cn_dun, cn_paren, arabic_dot …).")
    value: Optional[int] = Field(None, description="The number's value (五 -> 5).")


class Plan(_Model):
    id: str
    title: Optional[str] = None
    start: int
    end: int
    issuer: Optional[str] = None
    year: Optional[int] = None
    sections: list[Section] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    times: list[TimeExpr] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    placeholders: list[Placeholder] = Field(default_factory=list)


class SourceInfo(_Model):
    path: Optional[str] = None
    format: str = Field(description="txt, md, html, docx or pdf (its text layer).")
    encoding: Optional[str] = Field(None, description="Detected encoding of a text file (utf-8, gb18030 …).")
    sha256: str = Field(description="sha256 of the input bytes.")
    chars: int = Field(description="Length of the source text.")
    text_sha256: str = Field(description="sha256 of the source text (UTF-8), what offsets index.")
    text: Optional[str] = Field(None, description="The source text itself where no file holds it: derived "
                                                 "(.docx) or given in memory (no path).")


class Document(_Model):
    schema_version: str = SCHEMA_VERSION
    id: str
    source: SourceInfo
    title: Optional[str] = None
    plans: list[Plan] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class ErrorInfo(_Model):
    kind: str = Field(description="unreadable, undecodable, unsupported, empty, too_large, timeout, internal")
    message: str


class ErrorRecord(_Model):
    """One per input that could not be processed (never together with a Document)."""
    source: dict
    error: ErrorInfo


Record = Union[Document, ErrorRecord]


def document_schema() -> dict:
    """JSON Schema of a Document, as checked in under schemas/."""
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://syextract.example/schemas/document.schema.json"
    return schema
