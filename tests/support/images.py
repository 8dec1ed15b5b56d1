"""Real image files made with Pillow for upload tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112  # EXIF tag


def image_bytes(*, width: int = 64, height: int = 48, format: str = "PNG", colour=(200, 30, 60),
                orientation: int | None = None, camera: str | None = None) -> bytes:
    picture = Image.new("RGB", (width, height), colour)
    # A marker in the top-left corner, to see where it ends after turning the picture upright.
    picture.paste((0, 0, 255), (0, 0, max(1, width // 4), max(1, height // 4)))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if camera is not None:
        exif[0x0110] = camera  # Model
    buffer = io.BytesIO()
    options = {"exif": exif.tobytes()} if (orientation is not None or camera is not None) else {}
    picture.save(buffer, format=format, **options)
    return buffer.getvalue()


def upload(content: bytes, name: str = "photo.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
