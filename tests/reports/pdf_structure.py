"""A checker of a tagged PDF's structure: the Matterhorn Protocol's checkpoints (PDF/UA-1)
that a program can decide, read with pikepdf.

Each check returns the problems it found, as sentences naming the checkpoint ("01-005: ...");
an empty list means the PDF passes it. Nothing here repairs a PDF: reports/pdf_tags.py does
what can be done soundly, and these checks are what it is tested against.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf

# Operators that put something on the page (text, paths, images, shadings, forms).
PAINTING = {
    "Tj",
    "TJ",
    "'",
    '"',
    "Do",
    "f",
    "F",
    "f*",
    "B",
    "B*",
    "b",
    "b*",
    "S",
    "s",
    "sh",
    "BI",
    "INLINE IMAGE",
}


@dataclass
class Element:
    """A structure element, with its children that are elements and its marked content."""

    obj: pikepdf.Dictionary
    parent: Element | None
    kids: list[Element] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)

    @property
    def tag(self) -> str:
        return str(self.obj.S)[1:]

    def attribute(self, name: str):
        """An attribute of the element's /A (a dictionary, or an array of them)."""
        attributes = self.obj.get("/A")
        if attributes is None:
            return None
        items = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
        for item in items:
            if isinstance(item, pikepdf.Dictionary) and name in item:
                return item[name]
        return None

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            yield from kid.walk()


class TaggedPdf:
    """A PDF opened with its structure tree read into Elements, in reading order."""

    def __init__(self, content: bytes):
        self.pdf = pikepdf.open(io.BytesIO(content))
        self.pages = list(self.pdf.pages)
        self._page_index = {page.obj.objgen: n for n, page in enumerate(self.pages)}
        root = self.pdf.Root.get("/StructTreeRoot")
        self.root = Element(pikepdf.Dictionary(S=pikepdf.Name("/StructTreeRoot")), None)
        if root is not None:
            self._read(root.get("/K"), self.root, None)

    def _read(self, kids, parent: Element, page: int | None) -> None:
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                parent.mcids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                kid_page = kid.get("/Pg")
                parent.mcids.append(
                    (self._page_index[kid_page.objgen] if kid_page else page, int(kid.MCID))
                )
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                element = Element(kid, parent)
                parent.kids.append(element)
                kid_page = kid.get("/Pg")
                self._read(
                    kid.get("/K"),
                    element,
                    self._page_index[kid_page.objgen] if kid_page is not None else page,
                )

    def elements(self, tag: str | None = None) -> list[Element]:
        found = [e for e in self.root.walk() if e is not self.root]
        return [e for e in found if e.tag == tag] if tag else found

    def text_of(self, element: Element) -> str:
        """The text an element's marked content shows, read with pikepdf's text decoding
        (enough to recognise a label or a heading in a test; not for layout)."""
        wanted = {(p, m) for e in element.walk() for p, m in e.mcids}
        texts = []
        for page_index in sorted({p for p, _m in wanted}):
            for mcid, text in self._marked_texts(page_index):
                if (page_index, mcid) in wanted:
                    texts.append(text)
        return "".join(texts)

    def _marked_texts(self, page_index: int) -> Iterator[tuple[int, str]]:
        page = self.pages[page_index]
        fonts = page.obj.Resources.get("/Font", {})
        font = None
        stack: list[int | None] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                mcid = None
                if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    mcid = operands[1].get("/MCID")
                stack.append(int(mcid) if mcid is not None else None)
            elif name == "EMC" and stack:
                stack.pop()
            elif name == "Tf":
                font = fonts.get(str(operands[0]))
            elif name in ("Tj", "TJ") and stack and stack[-1] is not None and font is not None:
                strings = operands[0] if name == "TJ" else [operands[0]]
                raw = b"".join(bytes(s) for s in strings if isinstance(s, pikepdf.String))
                yield stack[-1], _decode(font, raw)


def _decode(font: pikepdf.Dictionary, raw: bytes) -> str:
    """Two-byte glyph codes through the font's ToUnicode map (WeasyPrint's CID fonts)."""
    cmap = _to_unicode(font)
    return "".join(cmap.get(int.from_bytes(raw[i : i + 2]), "?") for i in range(0, len(raw), 2))


_cmaps: dict[tuple[int, int], dict[int, str]] = {}


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    key = font.objgen
    if key not in _cmaps:
        mapping: dict[int, str] = {}
        data = font.ToUnicode.read_bytes().decode("latin-1") if "/ToUnicode" in font else ""
        for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
            for source, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                mapping[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
            for low, high, target in re.findall(
                r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
            ):
                start = int(target, 16)
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    mapping[code] = chr(start + offset)
        _cmaps[key] = mapping
    return _cmaps[key]


# --- The checks -----------------------------------------------------------------------------


def check_document(tagged: TaggedPdf, *, title: str) -> list[str]:
    """06-001..06-004, 07-001, 11-001, 01-...: the catalog and the metadata."""
    problems = []
    root = tagged.pdf.Root
    if not str(root.get("/Lang", "")).strip():
        problems.append("11-001: the catalog has no /Lang")
    mark_info = root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        problems.append("01-002: /MarkInfo /Marked is not true")
    if "/StructTreeRoot" not in root:
        problems.append("01-...: no structure tree")
    preferences = root.get("/ViewerPreferences")
    if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
        problems.append("07-001: /ViewerPreferences /DisplayDocTitle is not true")
    if "/Metadata" not in root:
        problems.append("06-001: no XMP metadata stream")
        return problems
    with tagged.pdf.open_metadata() as meta:
        if meta.get("dc:title") != title:
            problems.append(f"06-003: XMP dc:title is {meta.get('dc:title')!r}, not {title!r}")
        if meta.get("pdfuaid:part") != "1":
            problems.append("06-002: XMP has no PDF/UA identification pdfuaid:part 1")
    return problems


def check_content_tagged_or_artifact(tagged: TaggedPdf) -> list[str]:
    """01-005 (content neither tagged nor an artifact), 01-001 (artifact content inside
    tagged content and the other way round): every painting operator of a page is inside
    /Artifact or inside marked content whose MCID a structure element in the tree claims."""
    claimed = {(p, m) for e in tagged.elements() for p, m in e.mcids}
    problems = []
    for page_index, page in enumerate(tagged.pages):
        untagged, orphans = 0, set()
        stack: list[tuple[str, int | None]] = []
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("BDC", "BMC"):
                tag = str(operands[0])
                mcid = None
                if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                    found = operands[1].get("/MCID")
                    mcid = int(found) if found is not None else None
                if tag == "/Artifact" and any(m is not None for _t, m in stack):
                    problems.append(f"01-001: page {page_index + 1}: an artifact in tagged content")
                if mcid is not None and any(t == "/Artifact" for t, _m in stack):
                    problems.append(f"01-001: page {page_index + 1}: tagged content in an artifact")
                stack.append((tag, mcid))
            elif name == "EMC":
                if stack:
                    stack.pop()
            elif name in PAINTING:
                if any(t == "/Artifact" for t, _m in stack):
                    continue
                mcids = [m for _t, m in stack if m is not None]
                if not mcids:
                    untagged += 1
                elif (page_index, mcids[-1]) not in claimed:
                    orphans.add(mcids[-1])
        if untagged:
            problems.append(
                f"01-005: page {page_index + 1}: {untagged} painting operators neither in an "
                "artifact nor in marked content"
            )
        if orphans:
            problems.append(
                f"01-005: page {page_index + 1}: marked content {sorted(orphans)} belongs to no "
                "structure element of the tree (neither tagged nor an artifact)"
            )
    return problems


def check_headings(tagged: TaggedPdf) -> list[str]:
    """14-002 (the first heading is not H1) and 14-003 (numbered headings skip a level)."""
    levels = [int(e.tag[1]) for e in tagged.elements() if re.fullmatch(r"H[1-6]", e.tag)]
    problems = []
    if not levels:
        return ["14-002: no headings"]
    if levels[0] != 1:
        problems.append(f"14-002: the first heading is H{levels[0]}")
    for before, level in zip(levels, levels[1:], strict=False):
        if level > before + 1:
            problems.append(f"14-003: H{before} is followed by H{level}")
    return problems


def check_tables(tagged: TaggedPdf) -> list[str]:
    """15-003 (a TH without /Scope), 15-005 (a /Headers ID that no cell has) and 15-001/2
    (rows and cells where they belong)."""
    problems = []
    ids = {bytes(e.obj.ID) for e in tagged.elements() if "/ID" in e.obj}
    for element in tagged.elements("TH"):
        scope = element.attribute("/Scope")
        if scope not in ("/Row", "/Column", "/Both"):
            problems.append(f"15-003: a TH {tagged.text_of(element)!r} has no /Scope")
    for element in tagged.elements():
        headers = element.attribute("/Headers")
        if headers is None:
            continue
        for header in headers:
            if bytes(header) not in ids:
                problems.append(f"15-005: /Headers names {bytes(header)!r}, which no cell has")
    for element in tagged.elements("TR"):
        if element.parent.tag not in ("Table", "THead", "TBody", "TFoot"):
            problems.append(f"15-001: a TR in {element.parent.tag}")
        for kid in element.kids:
            if kid.tag not in ("TH", "TD"):
                problems.append(f"15-002: a {kid.tag} in a TR")
    return problems


def check_lists(tagged: TaggedPdf) -> list[str]:
    """16-001 (an LI outside an L), 16-002 (Lbl or LBody outside an LI) and the report's own
    rule: each LI has its label (Lbl) and its body (LBody)."""
    problems = []
    for element in tagged.elements("LI"):
        if element.parent.tag != "L":
            problems.append(f"16-001: an LI in {element.parent.tag}")
        tags = [kid.tag for kid in element.kids]
        if "Lbl" not in tags or "LBody" not in tags:
            problems.append(f"16-00x: an LI with {tags}, not Lbl and LBody")
    for element in tagged.elements():
        if element.tag in ("Lbl", "LBody") and element.parent.tag != "LI":
            problems.append(f"16-002: {element.tag} in {element.parent.tag}")
    return problems


def check_figures(tagged: TaggedPdf) -> list[str]:
    """13-004: a Figure without an alternative text."""
    return [
        "13-004: a Figure has no /Alt"
        for e in tagged.elements("Figure")
        if not str(e.obj.get("/Alt", "")).strip()
    ]


def check_annotations(tagged: TaggedPdf) -> list[str]:
    """28-002/28-004/28-011: a link annotation in a Link element with a /Contents; 26-...:
    a page with annotations has /Tabs /S."""
    problems = []
    for page_index, page in enumerate(tagged.pages):
        annotations = page.obj.get("/Annots", [])
        if len(annotations) and page.obj.get("/Tabs") != "/S":
            problems.append(f"28-008: page {page_index + 1} has annotations but not /Tabs /S")
        for annotation in annotations:
            if annotation.get("/Subtype") != "/Link":
                continue
            if not str(annotation.get("/Contents", "")).strip():
                problems.append(f"28-004: a link on page {page_index + 1} has no /Contents")
            if "/StructParent" not in annotation:
                problems.append(f"28-011: a link on page {page_index + 1} is in no Link element")
    return problems


def table_rows(tagged: TaggedPdf, element: Element) -> list[Element]:
    return [e for e in element.walk() if e.tag == "TR"]


# The standard structure types of ISO 32000-1, 14.8.4: any other needs a /RoleMap entry.
STANDARD_TYPES = {
    *[
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
    ],
    *[
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
    ],
    *[
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
    ],
    *["Figure", "Formula", "Form"],
}


def check_structure_types(tagged: TaggedPdf) -> list[str]:
    """02-001 (a structure type neither standard nor role-mapped to one) and 01-007
    (/MarkInfo /Suspects true)."""
    problems = []
    role_map = tagged.pdf.Root.StructTreeRoot.get("/RoleMap", {})
    for tag in sorted({e.tag for e in tagged.elements()}):
        mapped = str(role_map.get(f"/{tag}", ""))[1:]
        if tag not in STANDARD_TYPES and mapped not in STANDARD_TYPES:
            problems.append(f"02-001: structure type {tag} is not standard nor mapped")
    if bool(tagged.pdf.Root.get("/MarkInfo", {}).get("/Suspects", False)):
        problems.append("01-007: /MarkInfo /Suspects is true")
    return problems


def check_fonts(tagged: TaggedPdf) -> list[str]:
    """31-xxx (a font not embedded) and 10-001 (glyphs that cannot be mapped to Unicode: a
    font without /ToUnicode)."""
    problems = []
    seen = set()
    for page in tagged.pages:
        for name, font in page.obj.get("/Resources", {}).get("/Font", {}).items():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            program = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = program.get("/FontDescriptor", {})
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                problems.append(f"31-001: font {font.get('/BaseFont')} ({name}) is not embedded")
            if "/ToUnicode" not in font:
                problems.append(f"10-001: font {font.get('/BaseFont')} has no /ToUnicode")
    return problems
