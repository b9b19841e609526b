"""Images for the demo: a handwritten-looking signature in blue and a round seal in red (transparent PNGs)."""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

from ..documents.rendering import find_font

BLUE = (0, 51, 153, 255)
RED = (200, 16, 46, 255)


def signature_png(name: str, width: int = 480, height: int = 200) -> bytes:
    """A flowing stroke drawn from the name, so every demo user gets a different signature."""
    rng = random.Random(name)  # noqa: S311 - a drawing, not a secret
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = []
    loops = 3 + len(name) % 3
    for step in range(121):
        t = step / 120
        x = 30 + t * (width - 60)
        y = height / 2 + math.sin(t * math.pi * loops + rng.random() * 0.3) * height * 0.28 * (1 - 0.5 * t)
        points.append((x, y + rng.uniform(-2, 2)))
    draw.line(points, fill=BLUE, width=7, joint="curve")
    draw.line([(40, height * 0.78), (width - 80, height * 0.7)], fill=BLUE, width=5)
    return _png(image)


def seal_png(organisation: str, size: int = 600) -> bytes:
    """A round seal: two rings, a star, and the organisation's name in the middle."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=14)
    draw.ellipse((70, 70, size - 70, size - 70), outline=RED, width=6)
    centre = size / 2
    star = []
    for i in range(10):
        radius = 46 if i % 2 == 0 else 19
        angle = -math.pi / 2 + i * math.pi / 5
        star.append((centre + radius * math.cos(angle), centre - 95 + radius * math.sin(angle)))
    draw.polygon(star, fill=RED)
    font = ImageFont.truetype(str(find_font()), 40)
    words = organisation.upper().split()
    lines, line = [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > size - 190 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = centre - 20
    for text in lines[:4]:
        draw.text((centre, y), text, fill=RED, font=font, anchor="mm")
        y += 50
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
