"""A register as a PDF to print: landscape A4, the Vietnamese font embedded (the one documents are typeset with),
on every page the organisation, the register's title and year, the column headings and the page number.

A year of a busy agency is 20,000 entries and about 1,800 pages. fpdf2's own `table()` lays out each cell with a
dry run of `multi_cell` (16 s for 1,000 entries), and even `text()` per line costs 15 s of CPU for 20,000. So the
entries are typeset here: text is wrapped with the font's own widths and each word is encoded for the embedded
subset once per register; a row goes into the page as one path of borders and one text object. That takes about
7 s of CPU for 20,000 entries. It uses four of fpdf2's internals (`_out`, `_set_font_for_page`,
`current_font_is_set_on_page`, `TTFFont.encode_text`), stable within the pinned 2.8 series; the tests read the
PDF back with qpdf and pdftotext. A row taller than what is left of a page goes on over the next page, its cells
cut at the same line; one that fits on a page is never cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from fpdf import FPDF

from ..documents.rendering import _bold_variant, find_font
from .registers import Column, ColumnKind, RegisterHeading, RegisterRow

MARGIN = 10.0  # mm, left, right and top
BOTTOM = 12.0  # mm kept free for the page number
FONT_SIZE = 8.0  # pt, the entries
LINE = 3.5  # mm per line of text
PAD = 1.0  # mm inside each cell
MISSING_GLYPH = "?"
PAGE_COUNT_ALIAS = "{pages}"


class RegisterPdf(FPDF):
    """The pages of one register: `header()` and `footer()` are called by fpdf2 on every page."""

    def __init__(self, heading: RegisterHeading) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.heading = heading
        self.columns = heading.columns
        regular = find_font()
        self.add_font("register", "", str(regular))
        self.add_font("register", "B", str(_bold_variant(regular)))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)  # rows are placed by `add_row`, which breaks pages itself
        self.set_title(f"{heading.title} – {heading.subtitle}")
        self.set_subject(heading.organisation)
        self.set_creator("e-office")
        self.set_lang("vi")
        # The total page count is written at the end in place of this alias, which must be at least as wide as
        # the number: a year of a busy agency fills over a thousand pages.
        self.alias_nb_pages(PAGE_COUNT_ALIAS)
        self.set_font("register", "", FONT_SIZE)
        self._widths: dict[str, float] = {}
        self._codes: dict[str, str] = {}
        self._headings: list[list[tuple[str, float]]] | None = None
        self._space_code = self.current_font.encode_text(" ")[1:-4]
        self._space = self._width(" ")
        self._glyphs = frozenset(chr(code) for code in self.current_font.cmap)
        self._bottom = self.h - BOTTOM
        self._page_lines = 0  # set by `start`, once the first page's headings are drawn

    # --- Text -------------------------------------------------------------------------------------------------

    def _printable(self, text: str) -> str:
        """The text with what the font cannot draw replaced (an emoji, a Chinese character): no empty boxes."""
        missing = set(text) - self._glyphs - {"\n"}
        if not missing:
            return text
        return text.translate({ord(ch): MISSING_GLYPH for ch in missing})

    def _width(self, word: str) -> float:
        """The width of a word in mm in the entries' font, from the font's own widths (`get_string_width` copies
        the graphics state on every call, which 20,000 different numbers make noticeable)."""
        width = self._widths.get(word)
        if width is None:
            width = self._widths[word] = self.current_font.get_text_width(word, FONT_SIZE, None)[1] / self.k
        return width

    def _cut(self, word: str, room: float) -> list[str]:
        """A word wider than its column, cut between characters."""
        pieces, current, used = [], "", 0.0
        for ch in word:
            w = self._width(ch)
            if current and used + w > room:
                pieces.append(current)
                current, used = "", 0.0
            current += ch
            used += w
        return [*pieces, current] if current else pieces

    def wrap(self, text: str, room: float) -> list[str]:
        """The lines of `text` in a column `room` mm wide, in the current font: words kept whole where they fit,
        the text's own line breaks kept."""
        lines: list[str] = []
        for paragraph in self._printable(text).split("\n"):
            current: list[str] = []
            used = 0.0
            for word in paragraph.split():
                w = self._width(word)
                if w > room:
                    if current:
                        lines.append(" ".join(current))
                    *whole, last = self._cut(word, room)
                    lines.extend(whole)
                    current, used = [last], self._width(last)
                elif current and used + self._space + w > room:
                    lines.append(" ".join(current))
                    current, used = [word], w
                else:
                    used = used + self._space + w if current else w
                    current.append(word)
            lines.append(" ".join(current))
        while len(lines) > 1 and not lines[-1]:
            lines.pop()
        return lines

    # --- Page furniture ---------------------------------------------------------------------------------------

    def header(self) -> None:
        heading = self.heading
        self.set_xy(MARGIN, MARGIN)
        self.set_font("register", "B", 9)
        self.cell(0, 4.5, self._printable(heading.organisation.upper()))
        self.set_xy(MARGIN, MARGIN + 4.5)
        self.set_font("register", "B", 13)
        self.cell(0, 6, heading.title, align="C")
        self.set_xy(MARGIN, MARGIN + 10.5)
        self.set_font("register", "", 9)
        self.cell(0, 4.5, heading.subtitle, align="C")
        self._column_headings(MARGIN + 17)

    def _column_headings(self, top: float) -> None:
        self.set_font("register", "B", FONT_SIZE)
        if self._headings is None:  # laid out once: every page has the same
            self._headings = [self._heading_lines(column) for column in self.columns]
        height = max(len(lines) for lines in self._headings) * LINE + 2 * PAD
        self.set_fill_color(235, 238, 243)
        x = MARGIN
        for column, lines in zip(self.columns, self._headings, strict=True):
            self.rect(x, top, column.pdf_width, height, style="DF")
            for index, (line, width) in enumerate(lines):
                self.text(x + (column.pdf_width - width) / 2, top + PAD + (index + 0.78) * LINE, line)
            x += column.pdf_width
        self.set_font("register", "", FONT_SIZE)
        self.set_y(top + height)

    def _heading_lines(self, column: Column) -> list[tuple[str, float]]:
        """A column's heading wrapped in the bold font, each line with its width (to centre it)."""
        room = column.pdf_width - 2 * PAD
        lines: list[str] = []
        current = ""
        for word in column.title.split():
            candidate = f"{current} {word}".strip()
            if current and self.get_string_width(candidate) > room:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [(line, self.get_string_width(line)) for line in [*lines, current]]

    def footer(self) -> None:
        self.set_xy(MARGIN, self.h - BOTTOM + 4)
        self.set_font("register", "", 8)
        self.cell(0, 4, f"Trang {self.page_no()}/{PAGE_COUNT_ALIAS}", align="C")
        self.set_font("register", "", FONT_SIZE)

    # --- Rows -------------------------------------------------------------------------------------------------

    @staticmethod
    def _text_of(value: str | int | date | None) -> str:
        if value is None:
            return ""
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return str(value)

    def add_row(self, row: RegisterRow) -> None:
        """One entry: each cell's text wrapped in its column, the row as tall as its tallest cell."""
        cells = [
            self.wrap(self._text_of(value), column.pdf_width - 2 * PAD)
            for column, value in zip(self.columns, row, strict=True)
        ]
        total = max(len(lines) for lines in cells)
        if total <= self._page_lines and self._room() < total:
            self.add_page()  # an entry that fits on a page is not cut
        done = 0
        while done < total:
            room = self._room()
            if room < 1:
                self.add_page()
                continue
            chunk = min(room, total - done)
            self._draw(cells, done, chunk)
            done += chunk
            if done < total:
                self.add_page()

    def _room(self) -> int:
        """How many lines of text fit below the current position."""
        return int((self._bottom - self.get_y() - 2 * PAD) // LINE)

    def _draw(self, cells: list[list[str]], first: int, count: int) -> None:
        """Lines `first` to `first + count` of each cell, with the cells' borders, as one piece of the page's
        content: the borders in one path, the text in one text object, each word encoded once per register."""
        top = self.get_y()
        height = count * LINE + 2 * PAD
        k, page_height = self.k, self.h
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
        borders: list[str] = []
        text = [f"q 0 g BT /F{self.current_font.i} {self.font_size_pt:.2f} Tf"]
        x = MARGIN
        for column, lines in zip(self.columns, cells, strict=True):
            borders.append(f"{x * k:.2f} {(page_height - top) * k:.2f} {column.pdf_width * k:.2f} {-height * k:.2f} re")
            for index, line in enumerate(lines[first : first + count]):
                if line:
                    left = self._left(column, x, line) * k
                    base = (page_height - (top + PAD + (index + 0.78) * LINE)) * k
                    text.append(f"1 0 0 1 {left:.2f} {base:.2f} Tm ({self._encoded(line)}) Tj")
            x += column.pdf_width
        borders.append("S")
        text.append("ET Q")
        self._out(" ".join(borders))
        self._out(" ".join(text))
        self.set_y(top + height)

    def _encoded(self, line: str) -> str:
        """The line as the embedded font's subset codes, escaped for a PDF string; per word, cached (the
        encoding of a character never changes once the subset has picked it)."""
        return self._space_code.join(self._word_code(word) for word in line.split(" "))

    def _word_code(self, word: str) -> str:
        code = self._codes.get(word)
        if code is None:
            code = self._codes[word] = self.current_font.encode_text(word)[1:-4]  # "(...) Tj"
        return code

    def _left(self, column: Column, x: float, line: str) -> float:
        if column.kind == ColumnKind.TEXT:
            return x + PAD
        return x + (column.pdf_width - self._width(line)) / 2  # numbers and dates centred

    def start(self) -> None:
        self.add_page()
        self._page_lines = self._room()


def register_pdf(heading: RegisterHeading, rows: Iterable[RegisterRow]) -> bytes:
    """The PDF's bytes: the pages of the register, one entry after the other as they come."""
    pdf = RegisterPdf(heading)
    pdf.start()
    empty = True
    for row in rows:
        pdf.add_row(row)
        empty = False
    if empty:
        pdf.set_font("register", "", 9)
        pdf.set_x(MARGIN)
        pdf.cell(0, 8, "Sổ chưa có văn bản nào.", align="C")
    return bytes(pdf.output())
