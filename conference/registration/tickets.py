"""The ticket: a QR code of the ticket code, as a PNG."""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(code: str, box_size: int = 8) -> bytes:
    image = qrcode.make(code, error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(code: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(code)).decode("ascii")
