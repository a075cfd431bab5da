"""What WeasyPrint's tagged PDF (pdf/ua-1) leaves undone, completed with pikepdf.

`complete_tags(content)` takes the PDF WeasyPrint wrote and returns it with:

- the page margins' content (the running header, "Sida n av m", "Utkast") marked as
  pagination artifacts. WeasyPrint marks that content as a Span and builds a structure element
  for it that it never links into the tree (https://github.com/Kozea/WeasyPrint/issues/1836),
  so it is neither tagged nor an artifact (Matterhorn 01-005). Which content that is, is known
  for certain: exactly the marked content whose element the tree does not reach.
- every TH with its /Scope (https://github.com/Kozea/WeasyPrint/issues/2508). WeasyPrint
  decides each header cell's direction from the HTML's `scope` and writes it only as the data
  cells' /Headers: a TH that a data cell of its own row names is a row header, any other one
  a column header, as WeasyPrint itself counted it.

- each list item's bullet or dash as its label (Lbl). The report writes its bullets as text
  at the start of the item (templates/reports/includes/document.html: WeasyPrint's list
  markers cost half as much time again in a large year), so WeasyPrint puts them in the item's
  body. Where an item's body begins with a text run whose first glyphs are "•" or "–" and
  spaces, exactly as WeasyPrint writes it (one text object: BT, its position and font, one TJ,
  ET), that run is cut in two marked-content sequences, the label's and the rest's, and the
  label's becomes an Lbl before the LBody. Anything else is left as it is.

What it does not do, because only WeasyPrint knows it: join the pieces of an element that runs
over a page break (a table, a list, a paragraph) into one element. WeasyPrint builds the tree
page by page (https://github.com/Kozea/WeasyPrint/issues/2903); two adjacent elements of the
same kind cannot be told apart from one element cut in two after the fact.
"""

from __future__ import annotations

import io
import re

import pikepdf

PAGINATION = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)


def complete_tags(content: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return content
        reachable = _reachable(tree)
        _rewrite_pages(pdf, tree, reachable)
        _scope_header_cells(reachable.values())
        output = io.BytesIO()
        pdf.save(
            output, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate
        )
        return output.getvalue()


def _reachable(tree: pikepdf.Dictionary) -> dict[tuple[int, int], pikepdf.Dictionary]:
    """The structure elements the tree reaches, by object number."""
    found: dict[tuple[int, int], pikepdf.Dictionary] = {}
    pending = [tree.get("/K")]
    while pending:
        kids = pending.pop()
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in found:
                found[kid.objgen] = kid
                if "/K" in kid:
                    pending.append(kid.K)
    return found


def _rewrite_pages(pdf: pikepdf.Pdf, tree, reachable) -> None:
    """Each page's content once: the margins' content as artifacts, list labels cut out."""
    nums = tree.ParentTree.get("/Nums")
    if nums is None:
        return
    mcid_arrays = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    labels = _label_candidates(reachable)
    fonts: dict[tuple[int, int], dict[int, str]] = {}
    for index, page in enumerate(pdf.pages):
        key = int(page.obj.get("/StructParents", index))
        elements = mcid_arrays.get(key)
        if not isinstance(elements, pikepdf.Array):
            continue
        orphans = {
            mcid
            for mcid, element in enumerate(elements)
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable
        }
        items = labels.get(page.obj.objgen, {})
        if not orphans and not items:
            continue
        operations = _page_operations(page, pdf, elements, orphans, items, fonts)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        for mcid in orphans:
            elements[mcid] = pikepdf.Object.parse(b"null")


def _label_candidates(reachable) -> dict:
    """By page, the list items whose only child is an LBody that begins with a Span of one
    marked-content sequence: {page: {mcid: (LI, Span)}}."""
    found: dict = {}
    for element in reachable.values():
        if element.S != "/LI":
            continue
        kids = _kids(element)
        if len(kids) != 1 or kids[0].S != "/LBody":
            continue
        body = _kids(kids[0])
        first = body[0] if body else None
        while first is not None and first.S == "/NonStruct":  # an anonymous block
            inner = _kids(first)
            first = inner[0] if inner else None
        if first is None or first.S != "/Span" or "/Pg" not in first:
            continue
        mcid = first.get("/K")
        if isinstance(mcid, pikepdf.Array) and len(mcid) == 1:
            mcid = mcid[0]
        if not isinstance(mcid, int):
            continue
        found.setdefault(first.Pg.objgen, {})[int(mcid)] = (element, first)
    return found


LABEL_GLYPHS = {"•", "–"}
SPACE_GLYPHS = {" ", "\u00a0"}


def _page_operations(page, pdf, elements, orphans, items, fonts) -> list:
    resources = page.obj.get("/Resources", {}).get("/Font", {})
    operations = []
    pending = None  # the operations of a candidate's marked content, until its EMC
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if pending is not None:
            pending.append((operands, operator))
            if name == "EMC":
                operations += _cut_label(pending, pdf, page, elements, items, resources, fonts)
                pending = None
            continue
        if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
            mcid = int(operands[1].get("/MCID", -1))
            if mcid in orphans:
                operands = [pikepdf.Name.Artifact, PAGINATION]
            elif mcid in items:
                pending = [(operands, operator)]
                continue
        operations.append(pikepdf.ContentStreamInstruction(operands, operator))
    if pending is not None:  # an unclosed sequence: leave it as it was
        operations += [pikepdf.ContentStreamInstruction(o, op) for o, op in pending]
    return operations


def _cut_label(sequence, pdf, page, elements, items, resources, fonts) -> list:
    """A list item's first text run, with its label cut out as marked content of its own and
    tagged as the item's Lbl; or the run unchanged when it is not WeasyPrint's simple form."""
    unchanged = [pikepdf.ContentStreamInstruction(o, op) for o, op in sequence]
    names = [str(op) for _o, op in sequence]
    # BDC BT (state operators) TJ ET EMC, and one TJ.
    if names[1] != "BT" or names[-2:] != ["ET", "EMC"] or names.count("TJ") != 1:
        return unchanged
    if any(n in ("Tj", "'", '"', "BT") for n in names[2:]):
        return unchanged
    font = None
    for operands, operator in sequence:
        if str(operator) == "Tf":
            font = resources.get(str(operands[0]))
    position = names.index("TJ")
    glyphs = sequence[position][0][0]
    if font is None or not isinstance(glyphs, pikepdf.Array):
        return unchanged
    cut = _label_length(glyphs, _to_unicode(font, fonts))
    if cut is None:
        return unchanged
    mcid = int(sequence[0][0][1].MCID)
    item, _span = items[mcid]
    label_mcid = len(elements)
    label = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem,
            S=pikepdf.Name.Lbl,
            P=item,
            Pg=page.obj,
            K=label_mcid,
        )
    )
    elements.append(label)
    kids = item.K if isinstance(item.K, pikepdf.Array) else pikepdf.Array([item.K])
    kids.insert(0, label)
    item.K = kids
    instruction = pikepdf.ContentStreamInstruction
    head = [instruction(o, op) for o, op in sequence[1:position]]
    return [
        *head,
        instruction(
            [pikepdf.Name.Lbl, pikepdf.Dictionary(MCID=label_mcid)], pikepdf.Operator("BDC")
        ),
        instruction([pikepdf.Array([glyphs[i] for i in range(cut)])], pikepdf.Operator("TJ")),
        instruction([], pikepdf.Operator("EMC")),
        instruction(sequence[0][0], pikepdf.Operator("BDC")),
        instruction([_without_first(glyphs, cut)], pikepdf.Operator("TJ")),
        instruction([], pikepdf.Operator("EMC")),
        instruction([], pikepdf.Operator("ET")),
    ]


def _label_length(glyphs: pikepdf.Array, cmap: dict[int, str]) -> int | None:
    """How many items of a TJ array the label takes ("•" or "–", then its spaces, with their
    adjustments), when the array begins with one and goes on after it; else None. Reads only
    the first few glyphs."""
    index, seen_label = 0, False
    while index < len(glyphs):
        item = glyphs[index]
        if isinstance(item, pikepdf.String):
            text = _decode(bytes(item), cmap)
            if not seen_label:
                if text not in LABEL_GLYPHS:
                    return None
                seen_label = True
            elif text not in SPACE_GLYPHS:
                return index  # the first glyph of the body
        index += 1
    return None


def _without_first(glyphs: pikepdf.Array, count: int) -> pikepdf.Array:
    for _item in range(count):
        del glyphs[0]
    return glyphs


def _decode(codes: bytes, cmap: dict[int, str]) -> str:
    return "".join(cmap.get(int.from_bytes(codes[i : i + 2]), "") for i in range(0, len(codes), 2))


def _to_unicode(font, cache: dict) -> dict[int, str]:
    """A font's ToUnicode map (WeasyPrint writes two-byte codes as bfchar entries)."""
    if font.objgen not in cache:
        mapping: dict[int, str] = {}
        stream = font.get("/ToUnicode")
        data = stream.read_bytes().decode("latin-1") if stream is not None else ""
        for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
            for source, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                mapping[int(source, 16)] = bytes.fromhex(target).decode("utf-16-be", "replace")
        cache[font.objgen] = mapping
    return cache[font.objgen]


def _scope_header_cells(elements) -> None:
    for element in elements:
        if element.S != "/TH":
            continue
        row = element.get("/P")
        in_head = row is not None and row.get("/P", {}).get("/S") == "/THead"
        scope = pikepdf.Name.Column
        identifier = element.get("/ID")
        if not in_head and identifier is not None and row is not None:
            for cell in _kids(row):
                headers = _attribute(cell, "/Headers") if cell.get("/S") == "/TD" else None
                if headers is not None and any(bytes(h) == bytes(identifier) for h in headers):
                    scope = pikepdf.Name.Row
                    break
        attributes = element.get("/A")
        if isinstance(attributes, pikepdf.Dictionary):
            attributes.Scope = scope
        else:
            element.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    if kids is None:
        return []
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _attribute(element: pikepdf.Dictionary, name: str):
    attributes = element.get("/A")
    items = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
    for item in items:
        if isinstance(item, pikepdf.Dictionary) and name in item:
            return item[name]
    return None
