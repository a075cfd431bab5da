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

What it does not do, because only WeasyPrint knows it: join the pieces of an element that runs
over a page break (a table, a list, a paragraph) into one element. WeasyPrint builds the tree
page by page (https://github.com/Kozea/WeasyPrint/issues/2903); two adjacent elements of the
same kind cannot be told apart from one element cut in two after the fact.
"""

from __future__ import annotations

import io

import pikepdf

PAGINATION = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)


def complete_tags(content: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return content
        reachable = _reachable(tree)
        _mark_orphans_as_artifacts(pdf, tree, reachable)
        _scope_header_cells(reachable.values())
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True)
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


def _mark_orphans_as_artifacts(pdf: pikepdf.Pdf, tree, reachable) -> None:
    nums = tree.ParentTree.get("/Nums")
    if nums is None:
        return
    mcid_arrays = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
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
        if not orphans:
            continue
        operations = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if (
                str(operator) == "BDC"
                and isinstance(operands[1], pikepdf.Dictionary)
                and int(operands[1].get("/MCID", -1)) in orphans
            ):
                operands = [pikepdf.Name.Artifact, PAGINATION]
            operations.append(pikepdf.ContentStreamInstruction(operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        for mcid in orphans:
            elements[mcid] = pikepdf.Object.parse(b"null")


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
