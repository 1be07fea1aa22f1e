"""Inspect one PDF, read from standard input, and print a verdict as JSON.

Run by ``pdf_check.inspect_pdf`` as its own process
(``python -I pdf_sandbox.py '<limits as JSON>'``), never imported by Django:
the process sets its own CPU-time and memory limits before it touches the
file, so a hostile PDF can cost at most those, whatever qpdf (through
pikepdf) does with it. Only the standard library and pikepdf are imported.

The verdict is ``{"verdict": <code>, ...}``, where code is one of
``ok`` (with ``pages``), ``not_a_pdf``, ``encrypted`` (a password to open
it), ``restricted`` (opens, but a permissions password restricts printing,
copying or changes), ``too_many_pages``
(with ``pages``), ``too_many_objects``, ``too_large_unpacked`` and
``active_content`` (with ``what``, the PDF name that was found).
"""

import io
import json
import resource
import sys
import zlib

# Actions that run code, open or send files, or play embedded media
# (ISO 32000-2, 12.6.4); GoTo, GoToDest, URI, Named and Thread only move
# within the document or open a link.
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/Rendition",
    "/RichMediaExecute",
    "/Sound",
    "/Movie",
    "/GoTo3DView",
}
# Keys that hold scripts, actions triggered by events (/AA), embedded files
# or XML forms (XFA), wherever they occur.
ACTIVE_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/XFA",
    "/RichMediaContent",
    "/RichMediaSettings",
}
# Annotations that attach files or play media.
ACTIVE_SUBTYPES = {
    "/FileAttachment",
    "/RichMedia",
    "/Screen",
    "/Movie",
    "/Sound",
    "/3D",
}


class Refused(Exception):
    def __init__(self, verdict, **details):
        super().__init__(verdict)
        self.verdict = {"verdict": verdict, **details}


def set_limits(seconds, memory_bytes):
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def unpacked_size(stream, budget):
    """The length of ``stream``'s data once unpacked, stopping early (with a
    result above ``budget``) when it would exceed ``budget``. Flate data
    (nearly every compressed stream) is inflated piece by piece; images in
    their own formats are not unpacked (viewers do that in their sandboxes);
    other filters are left to qpdf within the process's memory limit."""
    import pikepdf

    filters = stream.get("/Filter")
    if filters is None:
        return len(stream.read_raw_bytes())
    names = (
        [str(f) for f in filters]
        if isinstance(filters, pikepdf.Array)
        else [str(filters)]
    )
    if names and all(name in ("/FlateDecode", "/Fl") for name in names):
        data = stream.read_raw_bytes()
        for _name in names:
            inflater = zlib.decompressobj()
            out = inflater.decompress(data, budget + 1)
            if len(out) > budget:
                return len(out)
            data = out
        return len(data)
    try:
        return len(
            stream.read_bytes(decode_level=pikepdf.StreamDecodeLevel.generalized)
        )
    except pikepdf.PdfError:
        return len(stream.read_raw_bytes())


def active_name(obj):
    """The PDF name in the dictionary ``obj`` (its own keys, not what it
    contains) that marks active content, or None."""
    for key in obj.keys():
        if key in ACTIVE_KEYS:
            return key
    for key, names in (("/S", ACTIVE_ACTIONS), ("/Subtype", ACTIVE_SUBTYPES)):
        value = obj.get(key)
        if value is not None and str(value) in names:
            return str(value)
    return None


def find_active_content(root):
    """The first mark of active content in ``root`` or the dictionaries and
    arrays written inside it (indirect objects are visited on their own)."""
    import pikepdf

    pending = [root]
    while pending:
        obj = pending.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            found = active_name(obj)
            if found:
                return found
            children = [obj[key] for key in obj.keys()]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            and not child.is_indirect
        )
    return None


def inspect(data, limits):
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused("encrypted") from None
    except Exception:  # qpdf refuses broken files in many ways
        raise Refused("not_a_pdf") from None
    with pdf:
        if pdf.is_encrypted:
            # It opens without a password, but a permissions password
            # restricts printing, copying or changes: the applicant saw no
            # password, so this is told apart from "encrypted".
            raise Refused("restricted")
        size = int(pdf.trailer.get("/Size", 0))
        if size > limits["objects"]:
            raise Refused("too_many_objects")
        objects = pdf.objects
        if len(objects) > limits["objects"]:
            raise Refused("too_many_objects")
        unpacked = 0
        for obj in objects:
            if isinstance(obj, pikepdf.Stream):
                unpacked += unpacked_size(obj, limits["unpacked_bytes"] - unpacked)
                if unpacked > limits["unpacked_bytes"]:
                    raise Refused("too_large_unpacked")
            found = find_active_content(obj)
            if found:
                raise Refused("active_content", what=found)
        for obj in (pdf.trailer, pdf.Root):
            found = find_active_content(obj)
            if found:
                raise Refused("active_content", what=found)
        pages = len(pdf.pages)
        if pages > limits["pages"]:
            raise Refused("too_many_pages", pages=pages)
        if pages < 1:
            raise Refused("not_a_pdf")
        return {"verdict": "ok", "pages": pages}


def main():
    limits = json.loads(sys.argv[1])
    set_limits(limits["seconds"], limits["memory_bytes"])
    data = sys.stdin.buffer.read()
    try:
        verdict = inspect(data, limits)
    except Refused as refused:
        verdict = refused.verdict
    except MemoryError:
        verdict = {"verdict": "too_large_unpacked"}
    sys.stdout.write(json.dumps(verdict))


if __name__ == "__main__":
    main()
