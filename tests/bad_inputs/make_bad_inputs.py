#!/usr/bin/env python3
"""The bad inputs of issue 8: every kind of messy file an archive holds.

Small files are checked in next to this script (``python make_bad_inputs.py
--small`` rewrites them); the large and special ones (a 20 MB text file, a
single 1 MB line, numbering nested 1,000 deep, a .docx zip bomb, symlink loops,
a named pipe, an unreadable file, folders named like files) are made at test
time by :func:`make_special` into a temporary folder, never checked in.

``KINDS`` lists every kind: file name, what it is, and the expected outcome,
a Document (``"record"``) or the kind of its error record; a tuple lists the
outcomes allowed where the result depends on the machine's speed (a document
over the ``--timeout`` limit gets a ``timeout`` record).

Usage: python tests/bad_inputs/make_bad_inputs.py [--small] [DEST]
"""
from __future__ import annotations

import io
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

PLAN = ("青山镇2024年双拥工作计划\n"
        "一、指导思想\n以习近平新时代中国特色社会主义思想为指导，深入开展双拥工作。\n"
        "二、主要活动\n（一）春节前夕走访慰问烈属25户，发放慰问金1.2万元，由镇民政办负责。\n"
        "（二）8月1日前召开军政座谈会，由镇人武部牵头，联系人：张明。\n"
        "三、工作要求\n各村（社区）要高度重视，于12月底前上报工作总结。\n")
TRAD = ("太平門社區2024年雙擁工作計劃\n一、組織領導\n春節前夕走訪慰問烈屬二十五戶，並發放慰問金。\n"
        "二、活動安排\n八一建軍節前夕召開軍政座談會，由社區居委會負責。\n")

#: name -> (what it is, expected outcome). Names under ``special/`` are made by make_special().
KINDS: dict[str, tuple[str, object]] = {
    "empty.txt": ("empty file", "empty"),
    "whitespace.txt": ("whitespace only", "empty"),
    "binary_junk.txt": ("binary junk named .txt", "undecodable"),
    "not_a_zip.docx": (".docx that is not a zip (binary junk)", "unreadable"),
    "truncated.docx": ("truncated zip (.docx cut in half)", "unreadable"),
    "old_word.doc": ("old Word .doc (OLE2)", "unsupported"),
    "text_layer.pdf": ("PDF with a text layer", "record"),
    "scanned.pdf": ("PDF without a text layer (a scan)", "unsupported"),
    "broken.pdf": ("damaged PDF (header only)", "unsupported"),
    "gbk.txt": ("GBK", "record"),
    "gb18030.txt": ("GB18030 (4-byte sequences)", "record"),
    "big5.txt": ("Big5", "record"),
    "utf16le_bom.txt": ("UTF-16 LE with BOM", "record"),
    "utf16be_bom.txt": ("UTF-16 BE with BOM", "record"),
    "mixed_eol.txt": ("mixed line endings (CRLF, LF, CR)", "record"),
    "no_chinese.txt": ("a document with no Chinese", "record"),
    "only_numbering.txt": ("only numbering", "record"),
    "nul_bytes.txt": ("NUL bytes inside the text", "record"),
    "surrogate_cesu8.txt": ("lone surrogates: UTF-8 with CESU-8 encoded surrogates", "record"),
    "surrogate_utf16.txt": ("lone surrogate in UTF-16 LE with BOM", "record"),
    "2024年 双拥 工作计划 (终稿).txt": ("file name with spaces and Chinese", "record"),
    "special/big_20mb.txt": ("a 20 MB text file", ("timeout", "record")),
    "special/one_line_1mb.txt": ("a single 1 MB line", ("record", "timeout")),
    "special/nested_1000.txt": ("numbering nested 1,000 deep (1 … 1.1.….1)", ("record", "timeout")),
    "special/zip_bomb.docx": (".docx zip bomb (document.xml expands to 210 MB)", "too_large"),
    "special/self_loop.txt": ("symlink loop: a link to itself", "unreadable"),
    "special/loop": ("symlink loop: a link to its own folder (walked once, gives no input)", None),
    "special/unreadable.txt": ("unreadable file (chmod 000; simulated when running as root)", "unreadable"),
    "special/named_pipe.txt": ("named pipe (FIFO), whose open() would block", "unreadable"),
    "special/dangling.txt": ("dangling symlink", "unreadable"),
    "special/folder.docx/inside.txt": ("folder named like a file (holding a plan)", "record"),
    "empty_folder.txt": ("empty folder named like a file, named as an input", "empty"),
}


def _docx_bytes(text: str = PLAN) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    # the same bytes on every run: fixed timestamps in the zip
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), src.read(info.filename),
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is drawn with a Type0 font (Identity-H, 2-byte codes = BMP code
    points) and a ToUnicode map, so a reader recovers the Chinese text; no lines: no text layer."""
    chars = sorted({c for line in lines for c in line})
    content = "BT /F1 12 Tf 14 TL 50 800 Td " + " ".join(
        "<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*" for line in lines) + " ET" if lines else ""
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
    for i in range(0, len(chars), 100):
        part = chars[i:i + 100]
        cmap += f"{len(part)} beginbfchar\n" + "".join(f"<{ord(c):04X}> <{ord(c):04X}>\n" for c in part) + "endbfchar\n"
    cmap += "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content.encode("ascii")) + content.encode("ascii") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap.encode("ascii")) + cmap.encode("ascii") + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def small_files() -> dict[str, bytes]:
    """The small bad inputs, name -> bytes (deterministic: the same bytes on every run)."""
    junk = bytes((i * 7919 + 13) % 256 for i in range(4096))
    docx_bytes = _docx_bytes()
    gb18030_text = PLAN.replace("张明", "㐀㐁明") + "附：䶮字与𠀀字（四字节编码）。\n"
    return {
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\r\n" + "\u3000\n".encode("utf-8"),
        "binary_junk.txt": junk,
        "not_a_zip.docx": junk[:2048],
        "truncated.docx": docx_bytes[: len(docx_bytes) // 2],
        "old_word.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "双拥工作计划".encode("utf-16-le") * 20,
        "text_layer.pdf": _pdf(PLAN.splitlines()),
        "scanned.pdf": _pdf([]),
        "broken.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog",
        "gbk.txt": PLAN.encode("gbk"),
        "gb18030.txt": gb18030_text.encode("gb18030"),
        "big5.txt": (TRAD * 2).encode("big5"),
        "utf16le_bom.txt": b"\xff\xfe" + PLAN.encode("utf-16-le"),
        "utf16be_bom.txt": b"\xfe\xff" + PLAN.encode("utf-16-be"),
        "mixed_eol.txt": PLAN.replace("\n", "\r\n", 2).replace("二、", "\r二、").encode("utf-8"),
        "no_chinese.txt": b"Annual plan 2024\n1. Visit families of martyrs before the Spring Festival.\n"
                          b"2. Hold a forum on August 1.\n",
        "only_numbering.txt": "".join(f"{n}、\n（{n}）\n" for n in "一二三四五六七八九十").encode("utf-8")
                              + b"".join(b"%d.\n" % i for i in range(1, 50)),
        "nul_bytes.txt": PLAN.replace("二、", "\0二、").replace("三、", "\0\0三、").encode("utf-8"),
        "surrogate_cesu8.txt": PLAN.replace("联系人", "联系人\ud83d\ude00", 1).encode("utf-8", "surrogatepass"),
        "surrogate_utf16.txt": b"\xff\xfe" + PLAN.encode("utf-16-le").replace("联系人".encode("utf-16-le"),
                                                                              "联系人".encode("utf-16-le") + b"\x3d\xd8", 1),
        "2024年 双拥 工作计划 (终稿).txt": PLAN.encode("utf-8"),
    }


def _zip_bomb(path: str, size: int = 210 * 1024 * 1024) -> None:
    """A real .docx whose word/document.xml holds ``size`` bytes (mostly spaces: it compresses ~1000:1)."""
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename != "word/document.xml":
                z.writestr(info.filename, data)
                continue
            with z.open("word/document.xml", "w", force_zip64=True) as f:
                head, tail = data.split(b"<w:body>", 1)
                f.write(head + b"<w:body>")
                chunk = b" " * (1 << 20)
                for _ in range(size // len(chunk)):
                    f.write(chunk)
                f.write(tail)


def make_special(dest: str, unreadable: bool = True) -> dict[str, str]:
    """Make the large and special inputs under ``dest/special``; returns name -> note (what was skipped)."""
    notes: dict[str, str] = {}
    sp = os.path.join(dest, "special")
    os.makedirs(sp, exist_ok=True)
    with open(os.path.join(sp, "big_20mb.txt"), "wb") as f:
        block = (PLAN * 40).encode("utf-8")
        target = 20 * 1024 * 1024
        while f.tell() < target:
            f.write(block[: target - f.tell()])
    with open(os.path.join(sp, "one_line_1mb.txt"), "wb") as f:
        line = PLAN.replace("\n", " ").encode("utf-8")
        target = 1024 * 1024
        out = bytearray()
        while len(out) + len(line) <= target:
            out += line
        f.write(bytes(out) + b"\n")
    with open(os.path.join(sp, "nested_1000.txt"), "w", encoding="utf-8") as f:
        f.write("青山镇2024年双拥工作计划\n")
        for k in range(1, 1001):
            f.write(".".join(["1"] * k) + f" 第{k}层\n")
    _zip_bomb(os.path.join(sp, "zip_bomb.docx"))
    os.symlink("self_loop.txt", os.path.join(sp, "self_loop.txt"))
    os.symlink(".", os.path.join(sp, "loop"))
    os.symlink("no_such_target.txt", os.path.join(sp, "dangling.txt"))
    os.mkfifo(os.path.join(sp, "named_pipe.txt"))
    p = os.path.join(sp, "unreadable.txt")
    with open(p, "w", encoding="utf-8") as f:
        f.write(PLAN)
    if unreadable:
        os.chmod(p, 0)
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            notes["special/unreadable.txt"] = "running as root: chmod 000 does not stop reading (simulated)"
    os.makedirs(os.path.join(sp, "folder.docx"))
    with open(os.path.join(sp, "folder.docx", "inside.txt"), "w", encoding="utf-8") as f:
        f.write(PLAN)
    os.makedirs(os.path.join(dest, "empty_folder.txt"))  # outside special/: named as an input itself
    return notes


def make_all(dest: str, unreadable: bool = True) -> dict[str, str]:
    os.makedirs(dest, exist_ok=True)
    for name, data in small_files().items():
        with open(os.path.join(dest, name), "wb") as f:
            f.write(data)
    return make_special(dest, unreadable)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--small":
        for name, data in small_files().items():
            with open(os.path.join(HERE, name), "wb") as f:
                f.write(data)
        print(f"wrote {len(small_files())} small files to {HERE}")
        return 0
    dest = argv[0] if argv else "bad_inputs_out"
    notes = make_all(dest)
    print(f"made the bad inputs in {dest}", *(f"{k}: {v}" for k, v in notes.items()), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
