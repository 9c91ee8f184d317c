"""What an attachment to a written comment is, found from its content alone.

A file's name and the type the browser declares are the sender's to choose, so neither is
trusted: the bytes decide. We take three kinds, the ones consultations ask for:

- PDF: starts with the `%PDF-1.x` or `%PDF-2.x` header and ends with a trailer
  (`startxref` and `%%EOF` in its last kilobyte);
- DOCX: a ZIP archive (from its first byte) whose directory lists `[Content_Types].xml` and
  `word/document.xml`;
- ODT: a ZIP archive whose first entry is `mimetype`, stored uncompressed, holding
  exactly `application/vnd.oasis.opendocument.text`.

ZIP archives are only listed, never extracted: the central directory says what they hold. The
one entry read is ODT's `mimetype`, and only when it is stored uncompressed and a few dozen bytes
long. An archive that claims to unpack to far more than any document does (a zip bomb) is
refused, so nobody downloading the file later opens one.

Libraries that guess types from magic bytes (filetype, puremagic) look at fixed offsets in the
first kilobytes and do not check the archive's structure or the PDF trailer; the checks below
are what such a library would do plus what it does not, so none is used.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from conference.core.errors import Refusal

MAX_BYTES = 5 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}

PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_TAIL = 1024  # the trailer is found in the last kilobyte, as readers look for it
ZIP_LOCAL_HEADER = b"PK\x03\x04"
MAX_ENTRIES = 5000  # a long book has a few hundred
MAX_UNPACKED = 200 * 1024 * 1024  # declared size of everything in the archive, unpacked
MAX_NAME = 120  # characters of the original file name kept for the download


class AttachmentRefused(Refusal):
    """The file is not one we take: "too_large", "empty" or "wrong_type"."""

    messages = {
        "too_large": _l("The file is larger than 5 MB. Send a smaller file, or split it in two."),
        "empty": _l("The file is empty. Choose the file again."),
        "wrong_type": _l("We take PDF, Word (DOCX) and OpenDocument (ODT) files only, and this file is none of them. "
                         "Save it in one of these formats and choose it again."),
    }


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    content_type: str  # found from the content
    name: str  # cleaned, with the extension of the type found


def check(data: bytes, filename: str | None) -> CheckedFile:
    """The file as we store it, or AttachmentRefused saying why not."""
    if len(data) > MAX_BYTES:
        raise AttachmentRefused("too_large")
    if not data:
        raise AttachmentRefused("empty")
    content_type = content_type_of(data)
    if content_type is None:
        raise AttachmentRefused("wrong_type")
    return CheckedFile(data=data, content_type=content_type, name=clean_name(filename, content_type))


def content_type_of(data: bytes) -> str | None:
    """PDF, DOCX or ODT as found from the bytes, or None."""
    if data.startswith(b"%PDF-"):
        return PDF if is_pdf(data) else None
    if data.startswith(ZIP_LOCAL_HEADER):
        return zipped_document_type(data)
    return None


def is_pdf(data: bytes) -> bool:
    if not PDF_HEADER.match(data):
        return False
    tail = data[-PDF_TAIL:]
    end = tail.rfind(b"%%EOF")
    return end != -1 and tail.rfind(b"startxref", 0, end) != -1


def zipped_document_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if not entries or len(entries) > MAX_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
                return None
            names = {entry.filename for entry in entries}
            if len(names) != len(entries):  # the same name twice: readers disagree on which counts
                return None
            if entries[0].filename == "mimetype" and entries[0].header_offset == 0:
                return ODT if holds_odt_mimetype(archive, entries[0]) else None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, EOFError, OSError):
        return None
    return None


def holds_odt_mimetype(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    # the OpenDocument standard has the entry stored, uncompressed: reading it unpacks nothing
    if entry.compress_type != zipfile.ZIP_STORED or entry.file_size > 100 or entry.flag_bits & 0x1:
        return False
    return archive.read(entry).strip() == ODT.encode("ascii")


def clean_name(filename: str | None, content_type: str) -> str:
    """The sender's file name without folders or control characters, ending as its type does."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base)
                   if unicodedata.category(ch)[0] != "C" and ch not in '"<>:|?*')
    base = " ".join(base.split()).strip(". ")
    stem, dot, extension = base.rpartition(".")
    if dot and "." + extension.lower() in EXTENSIONS.values():
        base = stem.strip(". ")
    base = base[:MAX_NAME] or "attachment"
    return base + EXTENSIONS[content_type]
