#!/usr/bin/env python3
"""mkpdf.py - writes small multi-page text PDFs with the Python standard library only.

Why it exists: vind's PDF extractor must be tested on reports that look like the
Word exports a Dutch care organisation publishes (a running header with the report
title, a footer "Pagina 3 van 7" on every page, words hyphenated at a line end such
as "kwaliteits-" / "gelden"), and `make demo` must build its sample reports without
any package outside Debian's python3.  Output is PDF 1.4 with the standard Type 1
fonts Helvetica and Helvetica-Bold in WinAnsiEncoding (so é, ë, ï, ‘ ’ and – work),
one Flate-compressed content stream per page, and a document information dictionary
(Title, Author, CreationDate).  The same input always gives the same bytes.

As a module:
    from mkpdf import write_report, write_single_line
    stats = write_report("out.pdf", title="...", author="...", created="2024-03-15",
                         blocks=[("h", "Inleiding"), ("p", "Tekst ..."), ("li", "punt")])
    stats -> {"pages": 4, "hyphenations": 1, "hyphenated": ["kwaliteits-gelden"], "bytes": 9876}

On the command line:
    mkpdf.py OUT.pdf --title T [--author A] [--date YYYY-MM-DD] [--header H] INPUT.txt
    INPUT.txt: paragraphs separated by blank lines; "# " starts a heading, "- " a bullet.

A soft hyphen (U+00AD) inside a word marks where it may be broken at a line end; the
break is printed as "-" and unused soft hyphens are not printed at all.  Words are never
broken after a real hyphen: poppler's text output joins "Noord-" + "Holland" at a line end
into "NoordHolland", which would spoil the sample reports for the demo.
"""

import argparse
import datetime
import hashlib
import sys
import zlib

# Advance widths (1/1000 em) of Helvetica and Helvetica-Bold for the WinAnsiEncoding
# bytes 32..255, from Adobe's AFM metrics (as shipped in groff's devps HR and HB
# files).  Bytes WinAnsi leaves undefined have width 0 and are never written.
_HELVETICA = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778,
    722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
    278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, 556, 0, 222, 556,
    333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 222, 222, 333, 333, 350, 556, 1000,
    333, 1000, 500, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556,
    584, 333, 737, 333, 400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778,
    778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500,
    556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556,
    556, 500, 556, 500,
]
_HELVETICA_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778,
    722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333,
    278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, 556, 0, 278, 556,
    500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 278, 278, 500, 500, 350, 556, 1000,
    333, 1000, 556, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556,
    584, 333, 737, 333, 400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778,
    778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556,
    556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611,
    611, 556, 611, 556,
]
_WIDTHS = {"F1": _HELVETICA, "F2": _HELVETICA_BOLD}
_BASE_FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold"}

SOFT_HYPHEN = "\u00ad"

# A4 in points, with Word's default margins (2.5 cm) rounded.
PAGE_WIDTH = 595
PAGE_HEIGHT = 842
MARGIN_LEFT = 72
MARGIN_RIGHT = 72
TEXT_TOP = 760  # first baseline of body text
TEXT_BOTTOM = 80  # no body baseline below this
HEADER_Y = 800
FOOTER_Y = 40

# (font, size, leading, space before) per block kind.
# Close to Word's defaults (11 pt body, a little air after each paragraph).
_STYLES = {
    "title": ("F2", 22, 28, 0),
    "subtitle": ("F1", 12, 17, 8),
    "byline": ("F1", 11, 15, 18),
    "h": ("F2", 14, 19, 16),
    "p": ("F1", 11, 16, 9),
    "li": ("F1", 11, 16, 3),
}
COVER_TOP = 560  # first baseline of the title on a cover page


def encode(text):
    """Encodes text in WinAnsi (cp1252); characters outside it are a caller error."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError as error:
        raise ValueError(f"mkpdf: character not in WinAnsiEncoding: {text[error.start:error.end]!r} in {text[:60]!r}")


def text_width(text, font, size):
    """Width in points of text set in font at size (soft hyphens take no room)."""
    widths = _WIDTHS[font]
    total = 0
    for byte in encode(text.replace(SOFT_HYPHEN, "")):
        total += widths[byte - 32] if byte >= 32 else 0
    return total * size / 1000.0


def pdf_string(text):
    """A PDF literal string in WinAnsi bytes, non-ASCII bytes as octal escapes."""
    out = []
    for byte in encode(text):
        if byte in (0x28, 0x29, 0x5C):
            out.append("\\" + chr(byte))
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append("\\%03o" % byte)
    return "(" + "".join(out) + ")"


def info_string(text):
    """A string for the info dictionary: ASCII as is, anything else as UTF-16BE with a BOM."""
    if all(32 <= ord(c) < 127 for c in text):
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _break_points(word):
    """Places a word may be split at a line end: (head printed on this line, rest)."""
    points = []
    for index, char in enumerate(word):
        if char == SOFT_HYPHEN and 0 < index < len(word) - 1:
            points.append((word[:index].replace(SOFT_HYPHEN, "") + "-", word[index + 1:], True))
    return points


def wrap(text, font, size, width, stats):
    """Splits a paragraph into lines no wider than width; counts soft-hyphen breaks in stats."""
    lines = []
    current = ""
    words = text.split()
    position = 0
    while position < len(words):
        word = words[position]
        candidate = (current + " " + word) if current else word
        if text_width(candidate, font, size) <= width:
            current = candidate
            position += 1
            continue
        # The word does not fit: hyphenate at the last break point whose head still fits.
        split = None
        for head, rest, soft in _break_points(word):
            trial = (current + " " + head) if current else head
            if text_width(trial, font, size) <= width:
                split = (trial, rest, soft)
        if split:
            lines.append(split[0])
            if split[2]:
                stats["hyphenations"] += 1
                stats.setdefault("hyphenated", []).append(split[0].rsplit(" ", 1)[-1] + split[1])
            words[position] = split[1]
            current = ""
            continue
        if current:
            lines.append(current)
            current = ""
            continue
        # A single word wider than the line (a URL): let it run over the margin.
        lines.append(word.replace(SOFT_HYPHEN, ""))
        position += 1
    if current:
        lines.append(current)
    return [line.replace(SOFT_HYPHEN, "") for line in lines]


def layout(title, subtitle, byline, blocks, stats, cover=False):
    """Places blocks on pages: a list of pages, each a list of (font, size, x, y, text).

    With cover, the title, subtitle and byline sit alone on page 1 (a Word cover page)."""
    pages = [[]]
    y = COVER_TOP if cover else TEXT_TOP
    width = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    first = True
    items = [("title", title)] + ([("subtitle", subtitle)] if subtitle else [])
    items += [("byline", byline)] if byline else []
    items += [("newpage", "")] if cover else []
    for kind, text in items + list(blocks):
        if kind == "newpage":
            pages.append([])
            y = TEXT_TOP
            first = True
            continue
        if kind not in _STYLES:
            raise ValueError(f"mkpdf: unknown block kind {kind!r}")
        font, size, leading, before = _STYLES[kind]
        indent = 14 if kind == "li" else 0
        lines = wrap(text, font, size, width - indent, stats)
        if not first:
            y -= before
        # Keep a heading with at least two lines of what follows.
        needed = leading * (3 if kind == "h" else 1)
        for number, line in enumerate(lines):
            if y - (needed if number == 0 else 0) < TEXT_BOTTOM:
                pages.append([])
                y = TEXT_TOP
            if kind == "li" and number == 0:
                pages[-1].append((font, size, MARGIN_LEFT, y, "\u2022"))
            pages[-1].append((font, size, MARGIN_LEFT + indent, y, line))
            y -= leading
        if kind == "title":
            y -= 6
        first = False
    return pages


def _content(lines, header, footer):
    """The content stream of one page: header rule and text, body lines, footer."""
    ops = []
    if header:
        ops.append("BT /F1 8 Tf %d %d Td %s Tj ET" % (MARGIN_LEFT, HEADER_Y, pdf_string(header)))
        ops.append("0.5 w %d %d m %d %d l S" % (MARGIN_LEFT, HEADER_Y - 6, PAGE_WIDTH - MARGIN_RIGHT, HEADER_Y - 6))
    for font, size, x, y, text in lines:
        ops.append("BT /%s %g Tf %g %g Td %s Tj ET" % (font, size, x, y, pdf_string(text)))
    if footer:
        footer_x = PAGE_WIDTH - MARGIN_RIGHT - text_width(footer, "F1", 8)
        ops.append("BT /F1 8 Tf %.2f %d Td %s Tj ET" % (footer_x, FOOTER_Y, pdf_string(footer)))
    return ("\n".join(ops) + "\n").encode("latin-1")


def pdf_date(created):
    """'2023-05-01' or '2023-05-01T14:30' -> D:20230501143000+02'00', in Dutch local time.

    A bare date is taken at noon, so the day stays the same when a reader converts it to UTC.
    Summer time (+02'00') runs from the last Sunday of March to the last Sunday of October."""
    digits = "".join(c for c in created if c.isdigit())
    if len(digits) == 8:
        digits += "120000"
    digits = (digits + "000000")[:14]
    day = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))

    def last_sunday(month):
        end = datetime.date(day.year, month, 31)
        return end - datetime.timedelta(days=(end.weekday() + 1) % 7)

    offset = "+02'00'" if last_sunday(3) <= day < last_sunday(10) else "+01'00'"
    return "D:" + digits + offset


def build_pdf(page_streams, info, page_width=PAGE_WIDTH, page_height=PAGE_HEIGHT):
    """Assembles a PDF 1.4 file from uncompressed page content streams and an info dict."""
    objects = []  # object n is objects[n - 1]

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages_ref = add(None)
    fonts = {}
    for name in ("F1", "F2"):
        fonts[name] = add(
            "<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % _BASE_FONTS[name]
        )
    info_ref = add("<< " + " ".join("/%s %s" % (key, value) for key, value in info) + " >>")
    kids = []
    for stream in page_streams:
        packed = zlib.compress(stream, 9)
        content = add(
            ("<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)).encode("latin-1")
            + packed
            + b"\nendstream"
        )
        kids.append(
            add(
                "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_ref, page_width, page_height, fonts["F1"], fonts["F2"], content)
            )
        )
    objects[catalog - 1] = "<< /Type /Catalog /Pages %d 0 R >>" % pages_ref
    objects[pages_ref - 1] = "<< /Type /Pages /Kids [%s] /Count %d >>" % (
        " ".join("%d 0 R" % kid for kid in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        if isinstance(body, str):
            body = body.encode("latin-1")
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    # The file identifier is a digest of the content, so equal input gives equal bytes.
    file_id = hashlib.md5(bytes(out)).hexdigest().upper()
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (
        "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info_ref, file_id, file_id, xref)
    ).encode("latin-1")
    return bytes(out)


def _info(title, author, created):
    date = pdf_date(created)
    return [
        ("Title", info_string(title)),
        ("Author", info_string(author)),
        ("Creator", info_string("vind scripts/mkpdf.py")),
        ("Producer", info_string("vind scripts/mkpdf.py")),
        ("CreationDate", info_string(date)),
        ("ModDate", info_string(date)),
    ]


def render_report(title, author, created, blocks, header=None, subtitle=None, info_title=None, byline=None,
                  cover=False):
    """Returns (pdf bytes, stats) for a report: title block, wrapped blocks, running header and footer.

    header defaults to the title; info_title (the /Title metadata) defaults to the title too,
    so a caller can give a report the junk metadata title Word exports often carry.  byline is
    a line under the subtitle (author, date); cover puts the title block on a page of its own."""
    stats = {"hyphenations": 0, "hyphenated": []}
    pages = layout(title, subtitle, byline, blocks, stats, cover)
    total = len(pages)
    streams = [
        _content(lines, header if header is not None else title, "Pagina %d van %d" % (number, total))
        for number, lines in enumerate(pages, start=1)
    ]
    data = build_pdf(streams, _info(info_title if info_title is not None else title, author, created))
    stats["pages"] = total
    stats["bytes"] = len(data)
    return data, stats


def write_report(path, title, author, created, blocks, header=None, subtitle=None, info_title=None, byline=None,
                 cover=False):
    """Writes render_report's PDF to path and returns its stats."""
    data, stats = render_report(title, author, created, blocks, header, subtitle, info_title, byline, cover)
    with open(path, "wb") as handle:
        handle.write(data)
    return stats


def render_single_line(text, title, author, created, size=10):
    """A one-page PDF whose whole text is one unwrapped line.

    The page is made as wide as the line (a 100,000-character line needs a page of some 500,000
    points), because text outside the media box is dropped by poppler and would test nothing."""
    width = int(text_width(text, "F1", size)) + MARGIN_LEFT + MARGIN_RIGHT
    stream = ("BT /F1 %d Tf %d %d Td %s Tj ET\n" % (size, MARGIN_LEFT, 60, pdf_string(text))).encode("latin-1")
    return build_pdf([stream], _info(title, author, created), page_width=width, page_height=120)


def write_single_line(path, text, title, author, created, size=10):
    """Writes render_single_line's PDF to path; returns its size in bytes."""
    data = render_single_line(text, title, author, created, size)
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)


def parse_text(text):
    """Plain text to blocks: blank-line separated paragraphs, '# ' headings, '- ' bullets."""
    blocks = []
    for chunk in text.split("\n\n"):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("# "):
            blocks.append(("h", " ".join(chunk[2:].split())))
            continue
        if chunk.startswith("- "):
            for item in chunk.split("\n- "):
                blocks.append(("li", " ".join(item.lstrip("- ").split())))
            continue
        blocks.append(("p", " ".join(chunk.split())))
    return blocks


def main(argv):
    parser = argparse.ArgumentParser(description="Write a multi-page text PDF (standard library only).")
    parser.add_argument("output")
    parser.add_argument("input", help="UTF-8 text: paragraphs separated by blank lines, '# ' headings, '- ' bullets")
    parser.add_argument("--title", required=True)
    parser.add_argument("--author", default="")
    parser.add_argument("--date", default="2024-01-01")
    parser.add_argument("--header", default=None, help="running header (default: the title)")
    parser.add_argument("--info-title", default=None, help="/Title metadata (default: the title)")
    parser.add_argument("--subtitle", default=None)
    parser.add_argument("--cover", action="store_true", help="title block on a page of its own")
    args = parser.parse_args(argv)
    with open(args.input, encoding="utf-8") as handle:
        blocks = parse_text(handle.read())
    try:
        stats = write_report(args.output, args.title, args.author, args.date, blocks, args.header, args.subtitle,
                             args.info_title, None, args.cover)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print("%s: %d pages, %d hyphenations, %d bytes" % (args.output, stats["pages"], stats["hyphenations"], stats["bytes"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
