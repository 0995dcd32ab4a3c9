"""Office seal images: checking an uploaded one, and drawing a demo seal for the demo offices.

A seal is a PNG with a transparent background (it is printed over the signing block). An
upload is checked by its content (Pillow opens it as PNG) and size, like other uploads. The
demo seal is the usual round red office seal: a ring, a star, the university's name along the
upper arc and the office's name across the middle — drawn, not shipped, so no real seal is
ever in the repository.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

SEAL_MAX_BYTES = 1024 * 1024
SEAL_RED = (200, 20, 30, 235)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)


def seal_image_check(upload) -> None:
    """Refuse anything but a PNG of reasonable size (ValidationError with a clear message)."""
    if upload.size > SEAL_MAX_BYTES:
        raise ValidationError({"image": _("The seal image must be smaller than 1 MB.")})
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image.verify()
            if image.format != "PNG":
                raise ValidationError({"image": _("The seal image must be a PNG file.")})
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError({"image": _("The seal image must be a PNG file.")}) from error
    finally:
        upload.seek(position)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)  # no CJK font: the ring and star still draw


def _star(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float) -> None:
    points = []
    for index in range(10):
        angle = -math.pi / 2 + index * math.pi / 5
        length = radius if index % 2 == 0 else radius * 0.382
        points.append((centre[0] + length * math.cos(angle), centre[1] + length * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)


def demo_seal_png(*, university: str, office_name: str, size: int = 480) -> bytes:
    """A round red demo seal as PNG bytes (transparent background)."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    ring = size * 0.035
    draw.ellipse((ring, ring, size - ring, size - ring), outline=SEAL_RED, width=int(ring * 1.4))
    _star(draw, (centre, centre), size * 0.15)
    # The university's name along the upper arc, each character rotated to face outwards.
    font_size = int(size * 0.11)
    font = _font(font_size)
    text = university
    arc = math.radians(min(240, 28 * len(text)))
    radius = size * 0.36
    for index, char in enumerate(text):
        step = arc / max(len(text) - 1, 1)
        angle = -math.pi / 2 - arc / 2 + index * step
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (font_size, font_size), char, font=font, fill=SEAL_RED, anchor="mm"
        )
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.cos(angle) - font_size
        y = centre + radius * math.sin(angle) - font_size
        image.alpha_composite(glyph, (int(x), int(y)))
    # The office across the lower half, smaller when the name is long.
    office_size = int(size * (0.1 if len(office_name) <= 5 else 0.075))
    draw.text(
        (centre, centre + size * 0.25),
        office_name,
        font=_font(office_size),
        fill=SEAL_RED,
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
