"""Realistic Vietnamese official documents (văn bản hành chính) and search queries for the search benchmark.

The documents of one province, Hà Sơn (the demo's), over ten years: who issues them (its People's Committee and
Council, their departments, the districts until July 2025, the communes, the ministries), their Decree 30 types,
numbers and notations, subjects with the repetition of real registers (a few phrases everywhere, rare words too),
signers, and bodies of 150 to 600 words built from phrase banks per domain. The institutions follow the reforms
of 2025 (departments merged on 1 March, districts gone on 1 July) and the laws cited are those in force on the
day. The national codes have the national shape; their numbers are invented.

Deterministic for a seed, and for a seed the documents' metadata does not depend on whether bodies are built.

    .venv/bin/python -m bench.vndocs [--count 5] [--seed N] [--timing N]
"""

from __future__ import annotations

import argparse
import bisect
import functools
import itertools
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

from app.documents.vocabulary import DOCUMENT_TYPES, Direction, Secrecy, Urgency

DEFAULT_SEED = 20261125
PROVINCE = "Hà Sơn"
LAST_DAY = date(2026, 11, 24)  # fixed, so that a seed gives the same documents on any day
FIRST_DAY = date(2016, 11, 25)
TWO_LEVELS = date(2025, 7, 1)  # local government without districts


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _day(text: str) -> date | None:
    return None if text == "-" else date.fromisoformat(text)


class Bank:
    """Phrases separated by "|", the first the most frequent (Zipf-like weights). A phrase may start with
    "[2020-2022]" to exist only in those years."""

    __slots__ = ("cum", "items", "spans", "total")

    def __init__(self, text: str, skew: float = 0.7) -> None:
        items, spans = [], []
        for raw in text.split("|"):
            phrase = _nfc(raw)
            if not phrase:
                continue
            span = (0, 9999)
            if phrase.startswith("["):
                years, phrase = phrase[1:].split("]", 1)
                first, _, last = years.partition("-")
                span = (int(first), int(last or 9999))
            items.append(phrase.strip())
            spans.append(span)
        self.items: list[str] = items
        self.spans: list[tuple[int, int]] = spans
        weights = [1 / (i + 1) ** skew for i in range(len(items))]
        self.cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.total = self.cum[-1]

    def pick(self, rng: random.Random, year: int = 2020) -> str:
        for _ in range(8):
            i = min(bisect.bisect_right(self.cum, rng.random() * self.total), len(self.items) - 1)
            first, last = self.spans[i]
            if first <= year <= last:
                return self.items[i]
        return next(item for item, (a, b) in zip(self.items, self.spans, strict=True) if a <= year <= b)

    def __len__(self) -> int:
        return len(self.items)


def _weighted(pairs: list[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        if weight > 0:
            total += weight
            values.append(value)
            cum.append(total)
    return values, cum


def _choose(rng: random.Random, table: tuple[list[Any], list[float]]) -> Any:
    values, cum = table
    return values[min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(values) - 1)]


# --- Issuers ----------------------------------------------------------------------------------------------

KIND_TITLES = {  # kind: (head, deputy, collective body signing for the committee or council)
    "province": ("Chủ tịch", "Phó Chủ tịch", "ỦY BAN NHÂN DÂN"),
    "district": ("Chủ tịch", "Phó Chủ tịch", "ỦY BAN NHÂN DÂN"),
    "commune": ("Chủ tịch", "Phó Chủ tịch", "ỦY BAN NHÂN DÂN"),
    "council": ("Chủ tịch", "Phó Chủ tịch", "HỘI ĐỒNG NHÂN DÂN"),
    "department": ("Giám đốc", "Phó Giám đốc", ""),
    "ministry": ("Bộ trưởng", "Thứ trưởng", ""),
}
LOCAL_KINDS = {"province", "district", "commune", "council", "department"}


@dataclass(frozen=True)
class Issuer:
    name: str
    code: str
    abbreviation: str  # as it appears in notations: UBND, STC, BTC, TTg
    kind: str
    units: tuple[str, ...]  # drafting units, the second part of a công văn's notation
    domains: tuple[str, ...]
    weight: float  # how often it appears in a register
    volume: float  # its yearly output, as a share of a province's People's Committee (about 12,000)
    head: str
    deputy: str
    short: str
    chair_org: str  # what follows a leader's title: "Phó Chủ tịch UBND tỉnh", "Chánh Thanh tra tỉnh"
    superior: str
    start: date
    end: date


def _issuer(line: str) -> Issuer:
    """One issuer from "name; code; abbreviation; kind; units; domains; weight; volume; active; options"."""
    name, code, abbr, kind, units, domains, weight, volume, active, *rest = (_nfc(p) for p in line.split(";"))
    start, _, end = active.partition("..")
    options = dict(o.split("=", 1) for o in rest[0].split(",")) if rest and rest[0] else {}
    head, deputy, _ = KIND_TITLES.get(kind, ("Giám đốc", "Phó Giám đốc", ""))
    short = options.get("short") or name.replace("Ủy ban nhân dân", "UBND").replace("Hội đồng nhân dân", "HĐND")
    short = short.replace(f"tỉnh {PROVINCE}", "tỉnh")
    superior = {
        "province": "Thủ tướng Chính phủ",
        "council": "Thường trực Tỉnh ủy",
        "ministry": "Thủ tướng Chính phủ",
    }.get(kind, "Ủy ban nhân dân tỉnh")
    return Issuer(
        name,
        code,
        abbr,
        kind,
        tuple(units.split()),
        tuple(domains.split()),
        float(weight),
        float(volume),
        options.get("head", head),
        options.get("deputy", deputy),
        short,
        options.get("chair", short),
        options.get("superior", superior),
        _day(start or "-") or FIRST_DAY,
        _day(end or "-") or LAST_DAY,
    )


ISSUERS: tuple[Issuer, ...] = tuple(
    _issuer(line)
    for line in """
Thủ tướng Chính phủ; 000.00.00.G01; TTg; ministry; KTTH KGVX NN CN QHĐP; general disaster digital; 0.5; 0.3; ..;
  head=Thủ tướng,deputy=Phó Thủ tướng,chair=Chính phủ,short=Thủ tướng Chính phủ
Văn phòng Chính phủ; 000.00.01.G01; VPCP; ministry; KSTT KGVX NN CN TH QHĐP; general reform digital; 0.9; 1.0; ..;
  head=Bộ trưởng - Chủ nhiệm,deputy=Phó Chủ nhiệm
Bộ Tài chính; 000.00.00.G09; BTC; ministry; NSNN QLCS ĐT HCSN; finance; 1.0; 1.2; ..
Bộ Nội vụ; 000.00.00.G10; BNV; ministry; CCHC TCBC CCVC VTLT; personnel reform emulation; 0.8; 1.0; ..
Bộ Kế hoạch và Đầu tư; 000.00.00.G07; BKHĐT; ministry; TH ĐKKD KTĐP; general finance; 0.6; 1.0; ..2025-02-28
Bộ Giáo dục và Đào tạo; 000.00.00.G06; BGDĐT; ministry; GDTrH GDTH GDMN KHTC; education; 0.8; 1.0; ..
Bộ Y tế; 000.00.00.G11; BYT; ministry; KCB DP KHTC; health; 0.8; 1.2; ..
Bộ Nông nghiệp và Phát triển nông thôn; 000.00.00.G12; BNN; ministry; TT CN TY TCTL; agriculture disaster;
  0.6; 1.0; ..2025-02-28
Bộ Tài nguyên và Môi trường; 000.00.00.G13; BTNMT; ministry; QLĐĐ MT TNN; land environment; 0.6; 1.0; ..2025-02-28
Bộ Nông nghiệp và Môi trường; 000.00.00.G19; BNNMT; ministry; QLĐĐ MT TT CN ĐĐ;
  agriculture land environment disaster; 1.0; 1.5; 2025-03-01..
Bộ Xây dựng; 000.00.00.G15; BXD; ministry; QLHĐXD HTKT QHKT; construction transport; 0.7; 1.0; ..
Bộ Giao thông vận tải; 000.00.00.G14; BGTVT; ministry; KCHT VT ATGT; transport; 0.5; 1.0; ..2025-02-28
Bộ Thông tin và Truyền thông; 000.00.00.G16; BTTTT; ministry; CĐSQG THH ATTT; digital; 0.6; 1.0; ..2025-02-28
Bộ Khoa học và Công nghệ; 000.00.00.G17; BKHCN; ministry; CĐSQG KHTC ATTT; digital; 0.6; 1.0; ..
Bộ Công an; 000.00.00.G04; BCA; ministry; V03 C06 C07 C08; security; 0.6; 1.2; ..
Bộ Văn hóa, Thể thao và Du lịch; 000.00.00.G18; BVHTTDL; ministry; TCDL DSVH TDTT; tourism; 0.5; 1.0; ..
Bộ Lao động - Thương binh và Xã hội; 000.00.00.G08; BLĐTBXH; ministry; LĐVL BTXH NCC; social; 0.5; 1.0;
  ..2025-02-28
Thanh tra Chính phủ; 000.00.00.G20; TTCP; ministry; C.I C.II PCTN; inspection; 0.3; 0.5; ..;
  head=Tổng Thanh tra Chính phủ,deputy=Phó Tổng Thanh tra Chính phủ,chair=
Ủy ban nhân dân tỉnh Hà Sơn; 000.00.00.H57; UBND; province; VP TH KT KGVX NC XD NNTN HCTC; ; 9.0; 1.0; ..
Hội đồng nhân dân tỉnh Hà Sơn; 000.00.02.H57; HĐND; council; VP KTNS VHXH PC; general finance; 1.0; 0.05; ..
Văn phòng Ủy ban nhân dân tỉnh; 000.00.01.H57; VP; department; HCTC TH KSTT; reform digital general; 1.2; 0.3; ..;
  head=Chánh Văn phòng,deputy=Phó Chánh Văn phòng
Sở Tài chính; 000.00.12.H57; STC; department; VP NS GCS TCĐT; finance general; 4.0; 0.5; ..
Sở Công Thương; 000.00.31.H57; SCT; department; VP QLTM QLCN QLNL; trade; 2.0; 0.4; ..
Sở Nội vụ; 000.00.13.H57; SNV; department; VP CCHC TCBC CCVC TĐKT; personnel reform emulation social; 3.0; 0.5; ..
Sở Tư pháp; 000.00.14.H57; STP; department; VP XDKTVB HCTP; reform inspection; 1.2; 0.3; ..
Sở Kế hoạch và Đầu tư; 000.00.15.H57; SKHĐT; department; VP TH ĐKKD KTĐN; general finance; 2.5; 0.4; ..2025-02-28
Sở Xây dựng; 000.00.16.H57; SXD; department; VP QLXD QHKT HTKT; construction transport; 2.5; 0.4; ..
Sở Giao thông vận tải; 000.00.17.H57; SGTVT; department; VP QLCL QLVT KCHT; transport; 2.0; 0.4; ..2025-02-28
Sở Tài nguyên và Môi trường; 000.00.18.H57; STNMT; department; VP QLĐĐ MT TNN; land environment; 2.5; 0.4;
  ..2025-02-28
Sở Nông nghiệp và Phát triển nông thôn; 000.00.19.H57; SNN; department; VP KHTC TT CNTY TL;
  agriculture disaster; 2.5; 0.4; ..2025-02-28
Sở Nông nghiệp và Môi trường; 000.00.38.H57; SNNMT; department; VP QLĐĐ MT TT CNTY TL;
  agriculture land environment disaster; 4.0; 0.6; 2025-03-01..
Sở Giáo dục và Đào tạo; 000.00.21.H57; SGDĐT; department; VP GDTrH GDMN-TH TCCB KHTC; education; 3.0; 0.5; ..
Sở Y tế; 000.00.22.H57; SYT; department; VP NVY NVD KHTC TCCB; health; 3.0; 0.5; ..
Sở Thông tin và Truyền thông; 000.00.23.H57; STTTT; department; VP CNTT BCVT TTBCXB; digital; 1.5; 0.3;
  ..2025-02-28
Sở Khoa học và Công nghệ; 000.00.24.H57; SKHCN; department; VP QLKH CĐS TĐC; digital; 1.5; 0.3; ..
Sở Lao động - Thương binh và Xã hội; 000.00.25.H57; SLĐTBXH; department; VP LĐVL BTXH NCC; social; 2.0; 0.4;
  ..2025-02-28
Sở Văn hóa, Thể thao và Du lịch; 000.00.26.H57; SVHTTDL; department; VP QLDL QLVH TDTT; tourism; 1.5; 0.3; ..
Sở Dân tộc và Tôn giáo; 000.00.39.H57; SDTTG; department; VP CSDT TG; social; 0.6; 0.2; 2025-03-01..
Ban Dân tộc tỉnh; 000.00.27.H57; BDT; department; VP CS; social; 0.5; 0.2; ..2025-02-28;
  head=Trưởng ban,deputy=Phó Trưởng ban
Thanh tra tỉnh; 000.00.28.H57; TTT; department; VP NV1 NV2 PCTN; inspection; 1.5; 0.3; ..;
  head=Chánh Thanh tra,deputy=Phó Chánh Thanh tra,chair=tỉnh
Công an tỉnh Hà Sơn; 000.00.29.H57; CAT; department; PV01 PC06 PC07 PC08 PA05; security; 2.0; 1.0; ..
Bộ Chỉ huy Quân sự tỉnh; 000.00.30.H57; BCH; department; TM CT HC; security disaster; 0.8; 0.4; ..;
  head=Chỉ huy trưởng,deputy=Phó Chỉ huy trưởng
Ban Quản lý các khu công nghiệp tỉnh; 000.00.32.H57; BQL; department; VP QLĐT QLMT; trade construction environment;
  0.8; 0.2; ..; head=Trưởng ban,deputy=Phó Trưởng ban
Bảo hiểm xã hội tỉnh Hà Sơn; 000.00.33.H57; BHXH; department; QLT CĐBHXH GĐBHYT; social health; 1.2; 0.4; ..
Kho bạc Nhà nước Hà Sơn; 000.00.34.H57; KBNN; department; KSC KTNN TH; finance; 0.8; 0.3; ..;
  short=Kho bạc Nhà nước tỉnh
Ủy ban nhân dân thành phố Hà Sơn; 000.00.41.H57; UBND; district; VP TCKH TNMT GDĐT NV QLĐT; ; 2.0; 0.5;
  ..2025-06-30; short=UBND thành phố Hà Sơn
Ủy ban nhân dân thị xã Dương Minh; 000.00.42.H57; UBND; district; VP TCKH TNMT GDĐT NV; ; 1.2; 0.4; ..2025-06-30
Ủy ban nhân dân huyện Bảo Thắng; 000.00.43.H57; UBND; district; VP TCKH TNMT GDĐT NV NN; ; 1.2; 0.4; ..2025-06-30
Ủy ban nhân dân huyện Thạch Bàn; 000.00.44.H57; UBND; district; VP TCKH TNMT GDĐT NV; ; 1.0; 0.3; ..2025-06-30
Ủy ban nhân dân huyện Yên Lập; 000.00.45.H57; UBND; district; VP TCKH TNMT GDĐT NV NN; ; 1.0; 0.3; ..2025-06-30
Ủy ban nhân dân huyện Sông Cả; 000.00.46.H57; UBND; district; VP TCKH TNMT GDĐT NV NN; ; 1.0; 0.3; ..2025-06-30
Ủy ban nhân dân phường Bắc Sơn; 000.01.41.H57; UBND; commune; VP; ; 0.4; 0.08; ..2025-06-30;
  superior=Ủy ban nhân dân thành phố Hà Sơn
Ủy ban nhân dân xã Đường Lâm; 000.11.42.H57; UBND; commune; VP; ; 0.4; 0.06; ..2025-06-30;
  superior=Ủy ban nhân dân thị xã Dương Minh
Ủy ban nhân dân xã Hòa Bình; 000.21.43.H57; UBND; commune; VP; ; 0.4; 0.06; ..2025-06-30;
  superior=Ủy ban nhân dân huyện Bảo Thắng
Ủy ban nhân dân xã Quyết Tiến; 000.31.45.H57; UBND; commune; VP; ; 0.3; 0.05; ..2025-06-30;
  superior=Ủy ban nhân dân huyện Yên Lập
Ủy ban nhân dân phường Trung Tâm; 001.01.00.H57; UBND; commune; VP KT VHXH; ; 1.0; 0.2; 2025-07-01..
Ủy ban nhân dân xã Hòa An; 002.01.00.H57; UBND; commune; VP KT VHXH; ; 0.8; 0.15; 2025-07-01..
Ủy ban nhân dân phường Dương Minh; 003.01.00.H57; UBND; commune; VP KT VHXH; ; 0.8; 0.15; 2025-07-01..
Ủy ban nhân dân xã Bảo Thắng; 004.01.00.H57; UBND; commune; VP KT VHXH; ; 0.6; 0.12; 2025-07-01..
Ủy ban nhân dân xã Sông Cả; 005.01.00.H57; UBND; commune; VP KT VHXH; ; 0.6; 0.12; 2025-07-01..
Ủy ban nhân dân xã Yên Lập; 006.01.00.H57; UBND; commune; VP KT VHXH; ; 0.5; 0.1; 2025-07-01..
""".replace("\n  ", " ")
    .strip()
    .splitlines()
)

PLACES_BEFORE = Bank("""huyện Bảo Thắng | thành phố Hà Sơn | huyện Sông Cả | thị xã Dương Minh | huyện Yên Lập |
    huyện Thạch Bàn | xã Hòa Bình, huyện Bảo Thắng | phường Bắc Sơn, thành phố Hà Sơn |
    xã Đường Lâm, thị xã Dương Minh | xã Quyết Tiến, huyện Yên Lập | xã Tân Dương, huyện Sông Cả |
    thị trấn Yên Lập, huyện Yên Lập |
    xã Cẩm Bình, huyện Thạch Bàn | xã An Bảo, huyện Bảo Thắng | phường Nam Hà, thành phố Hà Sơn""")
PLACES_AFTER = Bank("""phường Trung Tâm | xã Hòa An | phường Dương Minh | xã Bảo Thắng | xã Sông Cả | xã Yên Lập |
    phường Bắc Sơn | xã Thạch Bàn | xã Đường Lâm | xã Quyết Tiến | xã Cẩm Bình | phường Nam Hà | xã An Bảo""")

# --- People -----------------------------------------------------------------------------------------------

FAMILY = Bank(
    """Nguyễn | Trần | Lê | Phạm | Hoàng | Phan | Vũ | Võ | Đặng | Bùi | Đỗ | Hồ | Ngô | Dương | Huỳnh |
    Đinh | Trịnh | Lý | Mai | Đào | Lương | Cao | Hà | Tạ | Lò | Quách""",
    skew=1.1,
)
MIDDLE_MALE = Bank("Văn | Hữu | Đức | Minh | Quang | Công | Thanh | Xuân | Ngọc | Tiến | Đình | Trọng | Mạnh | Quốc")
MIDDLE_FEMALE = Bank("Thị | Thu | Thanh | Ngọc | Thùy | Hồng | Minh | Kim | Phương | Diệu | Bích | Hải")
GIVEN_MALE = Bank(
    """Hùng | Dũng | Nam | Minh | Tuấn | Hải | Long | Sơn | Thắng | Cường | Quang | Bình | Hòa | Trung | Thành | Tùng |
    Việt | Hiếu | Huy | Bảo | Dương | An | Phong | Khánh | Lâm | Nghĩa | Quân | Tiến | Vinh | Đạt | Kiên | Toàn |
    Chiến | Lực | Quyết | Thịnh | Khoa | Phúc""",
    skew=0.4,
)
GIVEN_FEMALE = Bank(
    """Hương | Lan | Hà | Mai | Hằng | Linh | Thủy | Trang | Hoa | Nga | Phương | Huyền | Thảo | Yến | Dung | Hạnh |
    Hiền | Loan | Nhung | Vân | Ngân | Quỳnh | Tâm | Oanh | Tuyết | Châu | Liên""",
    skew=0.4,
)


def _person(rng: random.Random, male_share: float = 0.5) -> tuple[str, bool]:
    male = rng.random() < male_share
    middle, given = (MIDDLE_MALE, GIVEN_MALE) if male else (MIDDLE_FEMALE, GIVEN_FEMALE)
    return f"{FAMILY.pick(rng)} {middle.pick(rng)} {given.pick(rng)}", male


def _with_title(person: tuple[str, bool]) -> str:
    return ("ông " if person[1] else "bà ") + person[0]


TERMS = (date(2021, 6, 1), date(2026, 4, 1))  # elections: leaders change with each term


@dataclass(frozen=True)
class Leaders:
    head: str
    deputies: tuple[str, ...]
    office_chief: str


def _leadership(seed: int) -> dict[tuple[int, int], Leaders]:
    rng = random.Random(f"{seed}:people")
    out = {}
    for index in range(len(ISSUERS)):
        for term in range(len(TERMS) + 1):
            head = _person(rng, 0.85)[0]
            deputies = tuple(_person(rng, 0.7)[0] for _ in range(2 + int(rng.random() * 3)))
            out[index, term] = Leaders(head, deputies, _person(rng, 0.6)[0])
    return out


# --- Laws, by domain, in force from..until -----------------------------------------------------------------

LAWS_TEXT = """
gov 2016-01-01 2025-02-28 Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015
gov 2025-03-01 - Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025
org 2016-01-01 2025-06-15 Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015
org 2020-07-01 2025-06-15 Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền
  địa phương ngày 22 tháng 11 năm 2019
org 2025-06-16 - Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025
org 2016-07-01 2025-06-30 Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015
org 2025-04-01 - Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025
general 2016-01-01 - Nghị quyết số 01/NQ-CP ngày 08 tháng 01 năm {y} của Chính phủ về nhiệm vụ, giải pháp chủ yếu
  thực hiện Kế hoạch phát triển kinh tế - xã hội và dự toán ngân sách nhà nước năm {y}
finance 2017-01-01 2025-12-31 Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015
finance 2026-01-01 - Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2025
finance 2017-01-01 2025-12-31 Nghị định số 163/2016/NĐ-CP ngày 21 tháng 12 năm 2016 của Chính phủ quy định chi tiết
  thi hành một số điều của Luật Ngân sách nhà nước
finance 2018-01-01 - Luật Quản lý, sử dụng tài sản công ngày 21 tháng 6 năm 2017
finance 2016-01-01 2019-12-31 Luật Đầu tư công ngày 18 tháng 6 năm 2014
finance 2020-01-01 2024-12-31 Luật Đầu tư công ngày 13 tháng 6 năm 2019
finance 2025-01-01 - Luật Đầu tư công ngày 29 tháng 11 năm 2024
land 2016-01-01 2024-07-31 Luật Đất đai ngày 29 tháng 11 năm 2013
land 2016-01-01 2024-07-31 Nghị định số 43/2014/NĐ-CP ngày 15 tháng 5 năm 2014 của Chính phủ quy định chi tiết thi hành
  một số điều của Luật Đất đai
land 2016-01-01 2024-07-31 Nghị định số 47/2014/NĐ-CP ngày 15 tháng 5 năm 2014 của Chính phủ quy định về bồi thường,
  hỗ trợ, tái định cư khi Nhà nước thu hồi đất
land 2024-08-01 - Luật Đất đai ngày 18 tháng 01 năm 2024
land 2024-08-01 - Nghị định số 102/2024/NĐ-CP ngày 30 tháng 7 năm 2024 của Chính phủ quy định chi tiết thi hành một
  số điều của Luật Đất đai
land 2024-08-01 - Nghị định số 88/2024/NĐ-CP ngày 15 tháng 7 năm 2024 của Chính phủ quy định về bồi thường, hỗ trợ,
  tái định cư khi Nhà nước thu hồi đất
construction 2016-01-01 - Luật Xây dựng ngày 18 tháng 6 năm 2014
construction 2021-01-01 - Luật sửa đổi, bổ sung một số điều của Luật Xây dựng ngày 17 tháng 6 năm 2020
construction 2016-01-01 2021-03-02 Nghị định số 59/2015/NĐ-CP ngày 18 tháng 6 năm 2015 của Chính phủ về quản lý dự án
  đầu tư xây dựng
construction 2021-03-03 - Nghị định số 15/2021/NĐ-CP ngày 03 tháng 3 năm 2021 của Chính phủ quy định chi tiết một số
  nội dung về quản lý dự án đầu tư xây dựng
construction 2019-01-01 - Luật Quy hoạch ngày 24 tháng 11 năm 2017
education 2016-01-01 2020-06-30 Luật Giáo dục ngày 14 tháng 6 năm 2005
education 2020-07-01 - Luật Giáo dục ngày 14 tháng 6 năm 2019
education 2020-11-01 - Thông tư số 32/2020/TT-BGDĐT ngày 15 tháng 9 năm 2020 của Bộ trưởng Bộ Giáo dục và Đào tạo
  ban hành Điều lệ trường trung học cơ sở, trường trung học phổ thông và trường phổ thông có nhiều cấp học
health 2016-01-01 2023-12-31 Luật Khám bệnh, chữa bệnh ngày 23 tháng 11 năm 2009
health 2024-01-01 - Luật Khám bệnh, chữa bệnh ngày 09 tháng 01 năm 2023
health 2016-01-01 - Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007
health 2016-01-01 - Luật An toàn thực phẩm ngày 17 tháng 6 năm 2010
agriculture 2020-01-01 - Luật Trồng trọt ngày 19 tháng 11 năm 2018
agriculture 2020-01-01 - Luật Chăn nuôi ngày 19 tháng 11 năm 2018
agriculture 2016-07-01 - Luật Thú y ngày 19 tháng 6 năm 2015
agriculture 2019-01-01 - Luật Thủy sản ngày 21 tháng 11 năm 2017
agriculture 2019-01-01 - Luật Lâm nghiệp ngày 15 tháng 11 năm 2017
agriculture 2022-02-22 - Quyết định số 263/QĐ-TTg ngày 22 tháng 02 năm 2022 của Thủ tướng Chính phủ phê duyệt Chương
  trình mục tiêu quốc gia xây dựng nông thôn mới giai đoạn 2021 - 2025
transport 2016-01-01 2024-12-31 Luật Giao thông đường bộ ngày 13 tháng 11 năm 2008
transport 2025-01-01 - Luật Trật tự, an toàn giao thông đường bộ ngày 27 tháng 6 năm 2024
transport 2025-01-01 - Luật Đường bộ ngày 27 tháng 6 năm 2024
transport 2020-01-01 2024-12-31 Nghị định số 100/2019/NĐ-CP ngày 30 tháng 12 năm 2019 của Chính phủ quy định xử phạt
  vi phạm hành chính trong lĩnh vực giao thông đường bộ và đường sắt
transport 2025-01-01 - Nghị định số 168/2024/NĐ-CP ngày 26 tháng 12 năm 2024 của Chính phủ quy định xử phạt vi phạm
  hành chính về trật tự, an toàn giao thông trong lĩnh vực giao thông đường bộ
digital 2020-06-03 - Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ phê duyệt Chương
  trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030
digital 2022-01-06 - Quyết định số 06/QĐ-TTg ngày 06 tháng 01 năm 2022 của Thủ tướng Chính phủ phê duyệt Đề án phát
  triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn
  2022 - 2025, tầm nhìn đến năm 2030
digital 2016-07-01 - Luật An toàn thông tin mạng ngày 19 tháng 11 năm 2015
digital 2016-01-01 2024-06-30 Luật Giao dịch điện tử ngày 29 tháng 11 năm 2005
digital 2024-07-01 - Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023
digital 2022-08-01 - Nghị định số 42/2022/NĐ-CP ngày 24 tháng 6 năm 2022 của Chính phủ quy định về việc cung cấp
  thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng
digital 2024-12-22 - Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa
  học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia
reform 2016-01-01 2021-07-14 Nghị quyết số 30c/NQ-CP ngày 08 tháng 11 năm 2011 của Chính phủ ban hành Chương trình
  tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020
reform 2021-07-15 - Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng thể cải
  cách hành chính nhà nước giai đoạn 2021 - 2030
reform 2016-01-01 - Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính
reform 2018-06-21 - Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa, một
  cửa liên thông trong giải quyết thủ tục hành chính
reform 2021-12-06 - Nghị định số 107/2021/NĐ-CP ngày 06 tháng 12 năm 2021 của Chính phủ sửa đổi, bổ sung một số điều
  của Nghị định số 61/2018/NĐ-CP
reform 2020-03-05 - Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư
emulation 2016-01-01 2023-12-31 Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số
  điều của Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013
emulation 2024-01-01 - Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022
emulation 2017-10-01 2023-12-31 Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết
  thi hành một số điều của Luật Thi đua, khen thưởng
emulation 2024-01-01 - Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành
  một số điều của Luật Thi đua, khen thưởng
emulation 2020-09-18 - Nghị định số 112/2020/NĐ-CP ngày 18 tháng 9 năm 2020 của Chính phủ về xử lý kỷ luật cán bộ,
  công chức, viên chức
personnel 2016-01-01 2025-06-30 Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008
personnel 2025-07-01 - Luật Cán bộ, công chức ngày 24 tháng 6 năm 2025
personnel 2016-01-01 - Luật Viên chức ngày 15 tháng 11 năm 2010
personnel 2020-07-01 - Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức ngày 25 tháng
  11 năm 2019
personnel 2020-11-27 - Nghị định số 138/2020/NĐ-CP ngày 27 tháng 11 năm 2020 của Chính phủ quy định về tuyển dụng,
  sử dụng và quản lý công chức
personnel 2020-09-25 - Nghị định số 115/2020/NĐ-CP ngày 25 tháng 9 năm 2020 của Chính phủ quy định về tuyển dụng, sử
  dụng và quản lý viên chức
inspection 2016-01-01 2023-06-30 Luật Thanh tra ngày 15 tháng 11 năm 2010
inspection 2023-07-01 - Luật Thanh tra ngày 14 tháng 11 năm 2022
inspection 2016-01-01 - Luật Tiếp công dân ngày 25 tháng 11 năm 2013
inspection 2016-01-01 - Luật Khiếu nại ngày 11 tháng 11 năm 2011
inspection 2019-01-01 - Luật Tố cáo ngày 12 tháng 6 năm 2018
inspection 2019-07-01 - Luật Phòng, chống tham nhũng ngày 20 tháng 11 năm 2018
environment 2016-01-01 2021-12-31 Luật Bảo vệ môi trường ngày 23 tháng 6 năm 2014
environment 2022-01-01 - Luật Bảo vệ môi trường ngày 17 tháng 11 năm 2020
environment 2022-01-10 - Nghị định số 08/2022/NĐ-CP ngày 10 tháng 01 năm 2022 của Chính phủ quy định chi tiết một số
  điều của Luật Bảo vệ môi trường
environment 2024-07-01 - Luật Tài nguyên nước ngày 27 tháng 11 năm 2023
disaster 2016-01-01 - Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013
disaster 2021-07-01 - Luật sửa đổi, bổ sung một số điều của Luật Phòng, chống thiên tai và Luật Đê điều ngày 17
  tháng 6 năm 2020
disaster 2021-07-06 - Nghị định số 66/2021/NĐ-CP ngày 06 tháng 7 năm 2021 của Chính phủ quy định chi tiết thi hành
  một số điều của Luật Phòng, chống thiên tai
tourism 2018-01-01 - Luật Du lịch ngày 19 tháng 6 năm 2017
tourism 2016-01-01 2025-06-30 Luật Di sản văn hóa ngày 29 tháng 6 năm 2001
tourism 2025-07-01 - Luật Di sản văn hóa ngày 23 tháng 11 năm 2024
security 2019-01-01 - Luật An ninh mạng ngày 12 tháng 6 năm 2018
security 2016-01-01 2025-06-30 Luật Phòng cháy và chữa cháy ngày 29 tháng 6 năm 2001
security 2025-07-01 - Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ ngày 27 tháng 11 năm 2024
security 2020-07-01 - Luật Bảo vệ bí mật nhà nước ngày 15 tháng 11 năm 2018
security 2016-01-01 - Luật Nghĩa vụ quân sự ngày 19 tháng 6 năm 2015
social 2016-01-01 2025-06-30 Luật Bảo hiểm xã hội ngày 20 tháng 11 năm 2014
social 2025-07-01 - Luật Bảo hiểm xã hội ngày 29 tháng 6 năm 2024
social 2016-01-01 - Luật Việc làm ngày 16 tháng 11 năm 2013
social 2022-01-18 - Quyết định số 90/QĐ-TTg ngày 18 tháng 01 năm 2022 của Thủ tướng Chính phủ phê duyệt Chương
  trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025
trade 2016-01-01 - Luật Thương mại ngày 14 tháng 6 năm 2005
trade 2016-01-01 - Nghị định số 52/2013/NĐ-CP ngày 16 tháng 5 năm 2013 của Chính phủ về thương mại điện tử
"""


def _laws() -> dict[str, list[tuple[date, date, str]]]:
    out: dict[str, list[tuple[date, date, str]]] = defaultdict(list)
    for line in LAWS_TEXT.replace("\n  ", " ").strip().splitlines():
        domain, start, end, text = line.split(" ", 3)
        out[domain].append((_day(start) or FIRST_DAY, _day(end) or LAST_DAY, _nfc(text)))
    return out


LAWS = _laws()

# --- Domains: topics, decisions, requests, tasks, findings ------------------------------------------------


@dataclass(frozen=True)
class Domain:
    key: str
    weight: float
    leads: tuple[str, ...]  # abbreviations of the departments that lead it, the older first
    topics: Bank  # what a document is about, a noun phrase: "công tác quản lý đất đai"
    decisions: Bank  # the core of a decision or resolution: "thu hồi đất để thực hiện ..."
    requests: Bank  # the core of a công văn: "đẩy nhanh tiến độ giải phóng mặt bằng ..."
    tasks: Bank  # sentences of a plan, directive or request
    findings: Bank  # sentences of a report


def _domain(key: str, weight: float, leads: str, *banks: str) -> Domain:
    topics, decisions, requests, tasks, findings = banks
    return Domain(
        key,
        weight,
        tuple(leads.split()),
        Bank(topics, 0.9),
        Bank(decisions, 0.6),
        Bank(requests, 0.6),
        Bank(tasks, 0.3),
        Bank(findings, 0.3),
    )


DOMAINS: dict[str, Domain] = {
    d.key: d
    for d in (
        _domain(
            "general",
            8,
            "SKHĐT STC",
            """tình hình kinh tế - xã hội | công tác chỉ đạo, điều hành phát triển kinh tế - xã hội | công tác tiếp
            công dân định kỳ | Chương trình công tác của Ủy ban nhân dân tỉnh | việc trả lời kiến nghị của cử tri |
            công tác văn thư, lưu trữ | thu hút đầu tư, hỗ trợ doanh nghiệp | công tác dân vận chính quyền |
            cải thiện Chỉ số năng lực cạnh tranh cấp tỉnh | công tác thống kê | công tác thông tin đối ngoại |
            công tác bình đẳng giới và vì sự tiến bộ của phụ nữ | [2019-2025] sắp xếp đơn vị hành chính cấp huyện, cấp
            xã | công tác bảo vệ, chăm sóc trẻ em | hoạt động của các hội có tính chất đặc thù""",
            """giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm {y1} | ban hành Chương trình công tác năm {y1}
            của {short} | ban hành Quy chế làm việc của {short} | ban hành Kế hoạch hành động thực hiện Nghị quyết số
            01/NQ-CP của Chính phủ năm {y} | phân công nhiệm vụ của Chủ tịch, các Phó Chủ tịch Ủy ban nhân dân tỉnh |
            thành lập Đoàn công tác kiểm tra tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội tại {place}""",
            """báo cáo tình hình kinh tế - xã hội {p} | xây dựng kế hoạch phát triển kinh tế - xã hội năm {y1} |
            đăng ký nội dung Chương trình công tác năm {y1} của Ủy ban nhân dân tỉnh | chuẩn bị nội dung phục vụ kỳ
            họp thứ {sitting} Hội đồng nhân dân tỉnh | trả lời kiến nghị của cử tri {place} | cung cấp số liệu phục vụ
            xây dựng báo cáo {p}""",
            """Tập trung thực hiện quyết liệt, đồng bộ các nhiệm vụ, giải pháp phát triển kinh tế - xã hội; phấn đấu
            hoàn thành ở mức cao nhất các chỉ tiêu được giao. | Nâng cao hiệu lực, hiệu quả công tác chỉ đạo, điều
            hành; tăng cường kỷ luật, kỷ cương hành chính, đề cao trách nhiệm của người đứng đầu. | Chủ động rà soát,
            tháo gỡ khó khăn, vướng mắc cho doanh nghiệp, hợp tác xã và người dân; cải thiện môi trường đầu tư kinh
            doanh. | Thực hiện nghiêm chế độ thông tin, báo cáo định kỳ và đột xuất; gửi báo cáo về Văn phòng Ủy ban
            nhân dân tỉnh đúng thời hạn quy định. | Tổ chức tốt công tác tiếp công dân, giải quyết kịp thời, dứt điểm
            các kiến nghị, phản ánh của cử tri ngay từ cơ sở.""",
            """Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) ước đạt {dec}%, cao hơn mức bình quân chung của cả
            nước. | Tổng thu ngân sách nhà nước trên địa bàn ước đạt {money} tỷ đồng, bằng {pct}% dự toán Hội đồng nhân
            dân tỉnh giao. | Tình hình an ninh chính trị, trật tự an toàn xã hội cơ bản ổn định; đời sống vật chất,
            tinh thần của Nhân dân tiếp tục được cải thiện. | Đã có {cnt} doanh nghiệp thành lập mới với tổng vốn
            đăng ký {money} tỷ đồng.""",
        ),
        _domain(
            "finance",
            12,
            "STC",
            """dự toán ngân sách nhà nước | thu, chi ngân sách nhà nước | giải ngân vốn đầu tư công | quyết toán ngân
            sách địa phương | kế hoạch đầu tư công trung hạn | quản lý, sử dụng tài sản công | thực hành tiết kiệm,
            chống lãng phí | công tác quản lý giá | công khai ngân sách | quyết toán vốn đầu tư dự án hoàn thành |
            mua sắm tập trung tài sản, hàng hóa | sắp xếp lại, xử lý nhà, đất thuộc sở hữu nhà nước | quản lý nợ của
            chính quyền địa phương | kiểm soát chi qua Kho bạc Nhà nước | cải cách chính sách tiền lương""",
            """giao dự toán thu, chi ngân sách nhà nước năm {y1} | giao kế hoạch vốn đầu tư công năm {y1} | phân bổ
            kinh phí sự nghiệp giáo dục và đào tạo năm {y} | bổ sung có mục tiêu từ ngân sách tỉnh cho ngân sách
            {place} | phê duyệt quyết toán dự án hoàn thành {proj} | điều chỉnh kế hoạch đầu tư công trung hạn vốn
            ngân sách địa phương | phê duyệt phương án sắp xếp lại, xử lý nhà, đất của các cơ quan, đơn vị tại
            {place} | ban hành bảng giá tính thuế tài nguyên trên địa bàn tỉnh""",
            """lập dự toán ngân sách nhà nước năm {y1} | báo cáo tình hình thực hiện dự toán thu, chi ngân sách {p} |
            đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {y} | thẩm tra quyết toán dự án hoàn thành {proj} |
            thực hiện tiết kiệm chi thường xuyên năm {y} | kê khai, báo cáo tài sản công năm {y0} | đề nghị bổ sung
            kinh phí cho {place}""",
            """Tổ chức điều hành dự toán ngân sách chặt chẽ, tiết kiệm, hiệu quả; triệt để tiết kiệm chi thường
            xuyên, cắt giảm các khoản chi chưa thực sự cần thiết. | Tăng cường công tác quản lý thu, chống thất thu,
            chống chuyển giá, gian lận thương mại; xử lý dứt điểm nợ đọng thuế. | Rà soát, điều chuyển vốn từ các dự
            án giải ngân chậm sang các dự án có khả năng giải ngân tốt, bảo đảm giải ngân hết kế hoạch vốn được
            giao. | Thực hiện công khai dự toán, quyết toán ngân sách theo đúng quy định của Luật Ngân sách nhà nước.
            | Hoàn thành việc sắp xếp lại, xử lý tài sản công dôi dư; không để thất thoát, lãng phí tài sản của Nhà
            nước. | Chủ động bố trí nguồn để thực hiện cải cách chính sách tiền lương theo lộ trình.""",
            """Tổng thu ngân sách nhà nước trên địa bàn đạt {money} tỷ đồng, bằng {pct}% dự toán năm, tăng {dec}% so
            với cùng kỳ. | Giải ngân vốn đầu tư công đạt {pct}% kế hoạch vốn được giao. | Đã thẩm tra, phê duyệt
            quyết toán {cnt} dự án hoàn thành, giảm trừ {money_small} triệu đồng so với giá trị đề nghị quyết toán. |
            Chi thường xuyên được thực hiện trong phạm vi dự toán, bảo đảm kinh phí hoạt động của các cơ quan, đơn
            vị.""",
        ),
        _domain(
            "land",
            8,
            "STNMT SNNMT",
            """công tác quản lý đất đai | bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất | giải phóng mặt
            bằng | cấp Giấy chứng nhận quyền sử dụng đất | kế hoạch sử dụng đất | đấu giá quyền sử dụng đất | xử lý vi
            phạm pháp luật về đất đai | giá đất cụ thể | xây dựng cơ sở dữ liệu đất đai | đo đạc, chỉnh lý bản đồ địa
            chính | giao đất, cho thuê đất, chuyển mục đích sử dụng đất | thống kê, kiểm kê đất đai""",
            """thu hồi đất để thực hiện {proj} | phê duyệt phương án bồi thường, hỗ trợ, tái định cư {proj} | phê
            duyệt giá đất cụ thể để tính tiền bồi thường khi Nhà nước thu hồi đất thực hiện {proj} | phê duyệt kế
            hoạch sử dụng đất năm {y1} của {place} | cho {company} thuê đất để thực hiện {proj} | đấu giá quyền sử
            dụng đất các thửa đất ở tại {place} | ban hành Bảng giá đất trên địa bàn tỉnh""",
            """đẩy nhanh tiến độ giải phóng mặt bằng {proj} | giải quyết kiến nghị của các hộ dân về bồi thường {proj}
            | cung cấp hồ sơ địa chính thửa đất tại {place} | báo cáo kết quả cấp Giấy chứng nhận quyền sử dụng đất
            {p} | rà soát nhu cầu sử dụng đất năm {y1}""",
            """Rà soát, lập danh mục các dự án cần thu hồi đất, chuyển mục đích sử dụng đất trình Hội đồng nhân dân
            tỉnh thông qua. | Tổ chức kiểm đếm, lập phương án bồi thường, hỗ trợ, tái định cư công khai, minh bạch,
            đúng quy định. | Tăng cường kiểm tra, xử lý nghiêm các trường hợp lấn chiếm, sử dụng đất sai mục đích. |
            Đẩy nhanh tiến độ cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân. | Hoàn thiện cơ
            sở dữ liệu đất đai, kết nối, chia sẻ với Cơ sở dữ liệu quốc gia về dân cư.""",
            """Đã cấp {cnt} Giấy chứng nhận quyền sử dụng đất cho hộ gia đình, cá nhân với diện tích {area_ha} ha. | Đã
            bàn giao {pct_high}% diện tích mặt bằng cho chủ đầu tư; còn {cnt_small} hộ chưa nhận tiền bồi thường. |
            Tổ chức thành công {cnt_small} cuộc đấu giá quyền sử dụng đất, tổng số tiền trúng đấu giá {money} tỷ
            đồng.""",
        ),
        _domain(
            "construction",
            6,
            "SXD",
            """quản lý chất lượng công trình xây dựng | quản lý trật tự xây dựng | quy hoạch chung đô thị | quản lý
            dự án đầu tư xây dựng | phát triển nhà ở xã hội | cấp giấy phép xây dựng | quản lý vật liệu xây dựng |
            phát triển đô thị | xóa nhà tạm, nhà dột nát | bảo trì công trình xây dựng""",
            """phê duyệt báo cáo kinh tế - kỹ thuật {proj} | phê duyệt đồ án quy hoạch chi tiết tỷ lệ 1/500 Khu dân
            cư {place} | phê duyệt chủ trương đầu tư {proj} | điều chỉnh dự án {proj} | công bố giá vật liệu xây
            dựng quý {q} năm {y} | phê duyệt Kế hoạch phát triển nhà ở tỉnh Hà Sơn năm {y1}""",
            """kiểm tra công tác nghiệm thu {proj} | đẩy nhanh tiến độ thi công {proj} | báo cáo tình hình quản lý
            trật tự xây dựng {p} | xử lý công trình xây dựng không phép tại {place} | thẩm định thiết kế xây dựng
            triển khai sau thiết kế cơ sở {proj}""",
            """Tăng cường kiểm tra, xử lý nghiêm các công trình xây dựng không phép, sai phép, không để phát sinh vi
            phạm mới. | Đôn đốc các chủ đầu tư, nhà thầu bố trí đủ nhân lực, thiết bị, đẩy nhanh tiến độ thi công các
            công trình trọng điểm. | Nâng cao chất lượng công tác lập, thẩm định, phê duyệt quy hoạch xây dựng. |
            Thực hiện nghiêm quy định về quản lý chất lượng, thi công xây dựng và bảo trì công trình xây dựng. | Rà
            soát quỹ đất phát triển nhà ở xã hội, thu hút các nhà đầu tư tham gia.""",
            """Đã cấp {cnt} giấy phép xây dựng, trong đó {cnt_small} giấy phép cho công trình nhà ở riêng lẻ. | Phát
            hiện {cnt_small} trường hợp vi phạm trật tự xây dựng, đã xử phạt vi phạm hành chính với tổng số tiền
            {money_small} triệu đồng. | Tỷ lệ đô thị hóa toàn tỉnh đạt {pct_low}%.""",
        ),
        _domain(
            "education",
            7,
            "SGDĐT",
            """thi tốt nghiệp trung học phổ thông | tuyển sinh vào lớp 10 | [2019-] Chương trình giáo dục phổ thông
            2018 | xây dựng trường chuẩn quốc gia | công tác phổ cập giáo dục, xóa mù chữ | bồi dưỡng học sinh giỏi |
            dạy và học ngoại ngữ | bảo đảm an toàn trường học | phát triển đội ngũ giáo viên | tổng kết năm học |
            tăng cường cơ sở vật chất trường học | lựa chọn sách giáo khoa""",
            """ban hành Kế hoạch thời gian năm học {sy} đối với giáo dục mầm non, giáo dục phổ thông và giáo dục
            thường xuyên | công nhận Trường {school} đạt chuẩn quốc gia mức độ {n2} | phê duyệt danh mục sách giáo
            khoa sử dụng trong các cơ sở giáo dục phổ thông năm học {sy} | giao chỉ tiêu tuyển sinh lớp 10 trung học
            phổ thông năm học {sy} | thành lập Ban Chỉ đạo thi tốt nghiệp trung học phổ thông năm {y}""",
            """tổ chức kỳ thi tốt nghiệp trung học phổ thông năm {y} | báo cáo số liệu thống kê giáo dục đầu năm học
            {sy} | tăng cường bảo đảm an toàn cho học sinh trong dịp nghỉ hè | rà soát nhu cầu giáo viên năm học
            {sy} | triển khai nhiệm vụ năm học {sy}""",
            """Thực hiện hiệu quả Chương trình giáo dục phổ thông; đổi mới phương pháp dạy học, kiểm tra, đánh giá
            theo hướng phát triển phẩm chất, năng lực học sinh. | Rà soát, sắp xếp mạng lưới trường, lớp; bảo đảm đủ
            phòng học, thiết bị dạy học tối thiểu. | Tổ chức kỳ thi nghiêm túc, an toàn, đúng quy chế. | Tăng cường
            bảo đảm an toàn trường học, phòng, chống bạo lực học đường và đuối nước ở trẻ em. | Tuyển dụng đủ giáo
            viên theo định mức, ưu tiên các môn học còn thiếu.""",
            """Tỷ lệ học sinh tốt nghiệp trung học phổ thông đạt {pct_high}%. | Toàn tỉnh có {cnt} trường đạt chuẩn
            quốc gia, đạt tỷ lệ {pct_low}%. | Đội tuyển học sinh giỏi quốc gia của tỉnh đạt {cnt_small} giải.""",
        ),
        _domain(
            "health",
            6,
            "SYT",
            """phòng, chống dịch bệnh | tiêm chủng mở rộng | khám bệnh, chữa bệnh bảo hiểm y tế | bảo đảm an toàn
            thực phẩm | [2020-2022] phòng, chống dịch COVID-19 | phòng, chống sốt xuất huyết | củng cố y tế cơ sở |
            bảo đảm thuốc, vật tư y tế | chăm sóc sức khỏe người cao tuổi | công tác dân số và phát triển | kiểm soát
            nhiễm khuẩn bệnh viện | đấu thầu thuốc""",
            """kiện toàn Ban Chỉ đạo phòng, chống dịch bệnh tỉnh Hà Sơn | phê duyệt kết quả lựa chọn nhà thầu cung
            cấp thuốc cho các cơ sở y tế công lập năm {y} | công bố dịch sốt xuất huyết tại {place} | phê duyệt danh
            mục kỹ thuật khám bệnh, chữa bệnh của Bệnh viện Đa khoa tỉnh | cấp chứng chỉ hành nghề dược""",
            """tăng cường phòng, chống dịch sốt xuất huyết, tay chân miệng | bảo đảm cung ứng thuốc, vật tư y tế |
            tăng cường kiểm tra an toàn thực phẩm dịp Tết Nguyên đán | triển khai chiến dịch tiêm vắc xin sởi cho trẻ
            em | báo cáo tình hình khám bệnh, chữa bệnh bảo hiểm y tế {p}""",
            """Chủ động giám sát, phát hiện sớm, khoanh vùng, xử lý triệt để ổ dịch, không để dịch bùng phát, lan
            rộng. | Bảo đảm đủ thuốc, hóa chất, vật tư, trang thiết bị phục vụ công tác phòng, chống dịch và khám
            bệnh, chữa bệnh. | Tăng cường kiểm tra, giám sát an toàn thực phẩm, nhất là tại các bếp ăn tập thể và cơ
            sở kinh doanh dịch vụ ăn uống. | Nâng cao chất lượng khám bệnh, chữa bệnh, đổi mới phong cách, thái độ
            phục vụ của cán bộ y tế, hướng tới sự hài lòng của người bệnh. | Thực hiện tiêm chủng đầy đủ, đúng lịch
            cho trẻ em trong độ tuổi.""",
            """Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt {pct_high}%. | Toàn tỉnh ghi nhận {cnt} ca mắc
            sốt xuất huyết, giảm {dec}% so với cùng kỳ; không có trường hợp tử vong. | Tỷ lệ dân số tham gia bảo hiểm
            y tế đạt {pct_high}%. | Kiểm tra {cnt} cơ sở sản xuất, kinh doanh thực phẩm, phát hiện {cnt_small} cơ
            sở vi phạm.""",
        ),
        _domain(
            "agriculture",
            6,
            "SNN SNNMT",
            """Chương trình mục tiêu quốc gia xây dựng nông thôn mới | sản xuất vụ Đông Xuân | sản xuất vụ Hè Thu |
            [2019-] phòng, chống dịch tả lợn châu Phi | phòng, chống dịch bệnh trên đàn gia súc, gia cầm | Chương
            trình mỗi xã một sản phẩm (OCOP) | phát triển nuôi trồng thủy sản | phát triển rừng bền vững | phòng
            cháy, chữa cháy rừng | chống khai thác hải sản bất hợp pháp, không báo cáo và không theo quy định |
            chuyển đổi cơ cấu cây trồng | quản lý, khai thác công trình thủy lợi | nuôi cá lồng trên sông, hồ chứa |
            phát triển kinh tế tập thể, hợp tác xã""",
            """công nhận {place} đạt chuẩn nông thôn mới năm {y} | công nhận sản phẩm OCOP tỉnh Hà Sơn năm {y} |
            phê duyệt kế hoạch sản xuất vụ Đông Xuân {y} - {y1} | công bố hết dịch tả lợn châu Phi tại {place} |
            phê duyệt phương án phòng cháy, chữa cháy rừng năm {y} | hỗ trợ giống lúa, giống cá cho các hộ bị thiệt
            hại do thiên tai | phân bổ vốn thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm {y}""",
            """hướng dẫn khung lịch thời vụ sản xuất vụ Hè Thu năm {y} | tăng cường phòng, chống rét cho cây trồng,
            vật nuôi | đánh giá, phân hạng sản phẩm OCOP năm {y} | thẩm định hồ sơ đề nghị công nhận xã đạt chuẩn nông
            thôn mới nâng cao | tiêm phòng vắc xin cho đàn gia súc, gia cầm đợt {n2} năm {y} | quản lý nuôi cá lồng
            trên hồ chứa nước {reservoir}""",
            """Chỉ đạo gieo cấy đúng khung lịch thời vụ, sử dụng giống lúa có năng suất, chất lượng cao, chống chịu
            sâu bệnh. | Tổ chức tiêm phòng đầy đủ cho đàn gia súc, gia cầm; giám sát chặt chẽ việc vận chuyển, giết
            mổ động vật. | Tăng cường tuần tra, kiểm soát, ngăn chặn kịp thời các hành vi phá rừng, khai thác lâm sản
            trái phép. | Hướng dẫn người dân nuôi cá lồng theo quy trình an toàn sinh học, không sử dụng thức ăn, hóa
            chất ngoài danh mục cho phép. | Rà soát các tiêu chí nông thôn mới, tập trung nguồn lực cho các xã phấn
            đấu đạt chuẩn trong năm. | Phát triển sản phẩm OCOP gắn với chuỗi giá trị, đẩy mạnh xúc tiến tiêu thụ
            sản phẩm.""",
            """Toàn tỉnh có {cnt_small} xã đạt chuẩn nông thôn mới, {cnt_small} xã đạt chuẩn nông thôn mới nâng cao.
            | Diện tích gieo cấy lúa đạt {area_ha} ha, năng suất bình quân ước đạt {dec} tạ/ha. | Sản lượng thủy sản
            nuôi trồng ước đạt {cnt} nghìn tấn, trong đó cá nuôi lồng chiếm {pct_low}%. | Tỷ lệ che phủ rừng đạt
            {pct_low}%.""",
        ),
        _domain(
            "transport",
            5,
            "SGTVT SXD",
            """bảo đảm trật tự, an toàn giao thông | bảo trì đường bộ | quản lý hoạt động vận tải | kiểm soát tải
            trọng xe | khắc phục điểm đen tai nạn giao thông | quản lý hành lang an toàn đường bộ | đầu tư kết cấu
            hạ tầng giao thông | đào tạo, sát hạch, cấp giấy phép lái xe | quản lý bến xe khách | vận tải hành khách
            công cộng bằng xe buýt""",
            """phê duyệt kế hoạch bảo trì đường tỉnh năm {y1} | công bố tuyến vận tải hành khách cố định nội tỉnh |
            phê duyệt phương án tổ chức giao thông trên tuyến đường tỉnh ĐT.{road} | phân cấp quản lý hệ thống đường
            giao thông nông thôn | ban hành Quy định quản lý, vận hành, khai thác đường giao thông nông thôn""",
            """bảo đảm trật tự, an toàn giao thông dịp Tết Nguyên đán | khắc phục hư hỏng mặt đường tỉnh ĐT.{road}
            đoạn qua {place} | xử lý vi phạm hành lang an toàn đường bộ trên Quốc lộ {ql} | cung cấp số liệu tai nạn
            giao thông {p} | thỏa thuận đấu nối đường nhánh vào Quốc lộ {ql}""",
            """Tăng cường tuần tra, kiểm soát, xử lý nghiêm các hành vi vi phạm nồng độ cồn, chạy quá tốc độ, chở
            quá tải trọng. | Rà soát, khắc phục các điểm đen, điểm tiềm ẩn nguy cơ tai nạn giao thông trên các tuyến
            quốc lộ, đường tỉnh. | Tổ chức duy tu, bảo dưỡng thường xuyên, bảo đảm giao thông thông suốt, an toàn. |
            Kiên quyết giải tỏa các công trình, lều quán lấn chiếm hành lang an toàn đường bộ. | Tuyên truyền, nâng
            cao ý thức chấp hành pháp luật về trật tự, an toàn giao thông của người tham gia giao thông.""",
            """Trên địa bàn tỉnh xảy ra {cnt} vụ tai nạn giao thông, làm chết {cnt_small} người, bị thương
            {cnt_small} người; giảm cả ba tiêu chí so với cùng kỳ. | Lực lượng chức năng đã kiểm tra, xử lý {cnt}
            trường hợp vi phạm, phạt tiền {money_small} triệu đồng. | Đã hoàn thành sửa chữa {cnt_small} km đường
            tỉnh và {cnt_small} km đường giao thông nông thôn.""",
        ),
        _domain(
            "digital",
            7,
            "STTTT SKHCN",
            """[2020-] chuyển đổi số | xây dựng chính quyền điện tử, chính quyền số | [2022-] Đề án 06 | dịch vụ
            công trực tuyến | ứng dụng chữ ký số | bảo đảm an toàn thông tin mạng | [2020-] phát triển kinh tế số,
            xã hội số | số hóa hồ sơ, kết quả giải quyết thủ tục hành chính | thanh toán không dùng tiền mặt | xây
            dựng cơ sở dữ liệu chuyên ngành | Hệ thống quản lý văn bản và điều hành | [2021-] Trung tâm giám sát,
            điều hành thông minh | [2025-] phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số |
            [2022-] Tổ công nghệ số cộng đồng""",
            """[2020-] ban hành Kế hoạch chuyển đổi số tỉnh Hà Sơn năm {y} | phê duyệt Kiến trúc Chính quyền điện
            tử tỉnh Hà Sơn phiên bản {n2}.0 | [2022-] thành lập Tổ công tác triển khai Đề án 06 tỉnh Hà Sơn | ban
            hành Quy chế bảo đảm an toàn thông tin mạng trong hoạt động của các cơ quan nhà nước | phê duyệt danh
            mục dịch vụ công trực tuyến toàn trình năm {y}""",
            """triển khai ứng dụng chữ ký số trong gửi, nhận văn bản điện tử | [2022-] báo cáo kết quả thực hiện Đề
            án 06 {p} | rà soát, cập nhật dữ liệu lên Cổng Dịch vụ công quốc gia | khắc phục lỗ hổng bảo mật trên hệ
            thống thông tin | [2021-] đánh giá mức độ chuyển đổi số cấp tỉnh năm {y0} | kết nối, chia sẻ dữ liệu với
            Cơ sở dữ liệu quốc gia về dân cư""",
            """Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình; tiếp nhận, giải quyết hồ sơ thủ tục hành chính
            trên môi trường điện tử. | Sử dụng chữ ký số trong gửi, nhận văn bản điện tử giữa các cơ quan hành chính
            nhà nước; không gửi kèm văn bản giấy đối với văn bản đã gửi điện tử. | Rà soát, bảo đảm an toàn thông
            tin theo cấp độ cho các hệ thống thông tin. | Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính, tái sử
            dụng dữ liệu đã được số hóa. | Hướng dẫn người dân sử dụng các nền tảng số, dịch vụ công trực tuyến và
            thanh toán không dùng tiền mặt. | Kết nối, chia sẻ dữ liệu giữa các hệ thống thông tin của tỉnh với Cơ
            sở dữ liệu quốc gia về dân cư.""",
            """Tỷ lệ hồ sơ được giải quyết trực tuyến đạt {pct_high}%. | {pct_high}% văn bản đi được ký số và gửi,
            nhận trên môi trường mạng. | Đã số hóa {cnt} nghìn hồ sơ, kết quả giải quyết thủ tục hành chính. | Chỉ
            số chuyển đổi số của tỉnh xếp thứ {rank}/{nprov} tỉnh, thành phố.""",
        ),
        _domain(
            "reform",
            8,
            "SNV",
            """cải cách hành chính | cải cách thủ tục hành chính | kiểm soát thủ tục hành chính | thực hiện cơ chế
            một cửa, một cửa liên thông | đánh giá Chỉ số cải cách hành chính | đo lường sự hài lòng của người dân
            | tinh giản biên chế | sắp xếp tổ chức bộ máy tinh gọn, hoạt động hiệu lực, hiệu quả | [2025-] vận hành
            chính quyền địa phương hai cấp | xây dựng văn hóa công sở | kiểm tra công tác cải cách hành chính |
            đơn giản hóa thủ tục hành chính""",
            """công bố danh mục thủ tục hành chính mới ban hành, sửa đổi, bổ sung trong lĩnh vực {field} | phê duyệt
            phương án đơn giản hóa thủ tục hành chính năm {y} | ban hành Kế hoạch cải cách hành chính năm {y1} | phê
            duyệt quy trình nội bộ giải quyết thủ tục hành chính trong lĩnh vực {field} | công bố Chỉ số cải cách
            hành chính năm {y0} của các sở, ban, ngành tỉnh | [2022-] thành lập Trung tâm Phục vụ hành chính công
            tỉnh Hà Sơn""",
            """đánh giá, chấm điểm Chỉ số cải cách hành chính năm {y} | xử lý hồ sơ thủ tục hành chính trễ hạn |
            rà soát, đơn giản hóa thủ tục hành chính nội bộ | niêm yết, công khai thủ tục hành chính tại Bộ phận
            Tiếp nhận và Trả kết quả | báo cáo công tác cải cách hành chính {p} | tiếp nhận hồ sơ, trả kết quả giải
            quyết thủ tục hành chính qua dịch vụ bưu chính công ích""",
            """Tiếp tục rà soát, đơn giản hóa thủ tục hành chính; cắt giảm thời gian giải quyết, chi phí tuân thủ
            cho người dân, doanh nghiệp. | Công khai, minh bạch thủ tục hành chính; xin lỗi người dân, tổ chức đối
            với hồ sơ giải quyết quá hạn. | Nâng cao chất lượng phục vụ tại Bộ phận Tiếp nhận và Trả kết quả các
            cấp. | Tăng cường kỷ luật, kỷ cương hành chính; xử lý nghiêm cán bộ, công chức gây phiền hà, sách nhiễu
            người dân. | Khắc phục các tiêu chí, tiêu chí thành phần bị điểm thấp trong Chỉ số cải cách hành chính
            năm trước.""",
            """Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn đạt {pct_high}%. | Chỉ số cải cách hành chính
            của tỉnh đạt {pct_high},{n} điểm, xếp thứ {rank}/{nprov}. | Đã công bố {cnt} thủ tục hành chính, trong đó
            {cnt_small} thủ tục mới ban hành. | Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành
            chính nhà nước đạt {pct_high}%.""",
        ),
        _domain(
            "emulation",
            8,
            "SNV",
            """công tác thi đua, khen thưởng | phong trào thi đua yêu nước | phong trào thi đua "Cả nước chung tay
            vì người nghèo - Không để ai bị bỏ lại phía sau" | khen thưởng đột xuất | xét tặng danh hiệu thi đua |
            phong trào thi đua "Dân vận khéo" | xử lý kỷ luật cán bộ, công chức, viên chức | bình xét thi đua cuối
            năm""",
            """tặng {award} cho {cnt_small} tập thể và {cnt_small} cá nhân đã có thành tích xuất sắc trong {t2} |
            khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong {t2} | tặng danh hiệu Chiến sĩ thi đua cấp
            tỉnh năm {y} | tặng Cờ thi đua của Ủy ban nhân dân tỉnh cho {place} | khen thưởng đột xuất cho tập thể,
            cá nhân có thành tích trong {t2} | thi hành kỷ luật bằng hình thức khiển trách đối với {who}, {role} |
            thi hành kỷ luật bằng hình thức cảnh cáo đối với {who}, {role} | công nhận danh hiệu Tập thể lao động
            xuất sắc năm {y} | tặng danh hiệu Lao động tiên tiến năm {y} | thi hành kỷ luật bằng hình thức buộc
            thôi việc đối với {who}, {role}""",
            """đề nghị khen thưởng tổng kết năm {y} | hướng dẫn công tác thi đua, khen thưởng năm {y} | hiệp y khen
            thưởng cho {company} | xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh năm {y} | báo cáo kết quả xử lý kỷ
            luật cán bộ, công chức, viên chức {p} | lấy ý kiến hiệp y kỷ luật đối với {who}""",
            """Đổi mới nội dung, hình thức tổ chức các phong trào thi đua thiết thực, hiệu quả, tránh hình thức. |
            Khen thưởng kịp thời, chính xác, công khai, minh bạch; chú trọng khen thưởng người lao động trực tiếp,
            công nhân, nông dân. | Phát hiện, bồi dưỡng, nhân rộng các điển hình tiên tiến, gương người tốt, việc
            tốt. | Xem xét, xử lý kỷ luật nghiêm minh, đúng quy trình đối với cán bộ, công chức, viên chức vi phạm. |
            Hồ sơ đề nghị khen thưởng gửi về cơ quan thường trực Hội đồng Thi đua - Khen thưởng tỉnh qua Hệ thống
            quản lý văn bản và điều hành.""",
            """Đã tặng Bằng khen cho {cnt} tập thể và {cnt} cá nhân; tặng Cờ thi đua cho {cnt_small} tập thể. | Đã
            đề nghị Thủ tướng Chính phủ tặng Bằng khen cho {cnt_small} tập thể, cá nhân. | Có {cnt_small} cán bộ,
            công chức, viên chức bị xử lý kỷ luật, trong đó {cnt_small} trường hợp khiển trách, {cnt_small} trường
            hợp cảnh cáo.""",
        ),
        _domain(
            "personnel",
            7,
            "SNV",
            """tuyển dụng công chức | tuyển dụng viên chức | bổ nhiệm, bổ nhiệm lại cán bộ lãnh đạo, quản lý | đào
            tạo, bồi dưỡng cán bộ, công chức, viên chức | quản lý biên chế | xác định vị trí việc làm | nâng bậc
            lương thường xuyên, nâng bậc lương trước thời hạn | giải quyết chế độ nghỉ hưu | thi nâng ngạch công chức
            | đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức | điều động, luân chuyển cán bộ | chính sách
            thu hút nguồn nhân lực chất lượng cao""",
            """bổ nhiệm {who} giữ chức vụ {post} | bổ nhiệm lại {who} giữ chức vụ {post} | nghỉ hưu để hưởng chế độ
            bảo hiểm xã hội đối với {who}, {role} | điều động {who}, {role} | nâng bậc lương trước thời hạn đối với
            công chức, viên chức năm {y} | giao biên chế công chức trong các cơ quan, tổ chức hành chính năm {y1} |
            phê duyệt kết quả tuyển dụng viên chức {sector} năm {y}""",
            """thẩm định hồ sơ tuyển dụng viên chức {sector} năm {y} | đăng ký nhu cầu đào tạo, bồi dưỡng cán bộ,
            công chức năm {y1} | báo cáo số lượng, chất lượng cán bộ, công chức, viên chức năm {y} | cử cán bộ tham
            gia lớp bồi dưỡng kiến thức quản lý nhà nước | [2019-] thực hiện chính sách đối với cán bộ, công chức dôi
            dư sau sắp xếp""",
            """Rà soát, hoàn thiện vị trí việc làm, cơ cấu ngạch công chức, chức danh nghề nghiệp viên chức. | Tổ
            chức tuyển dụng công khai, minh bạch, cạnh tranh, đúng quy định. | Thực hiện tinh giản biên chế gắn với
            cơ cấu lại đội ngũ cán bộ, công chức, viên chức. | Đánh giá, xếp loại chất lượng cán bộ, công chức, viên
            chức thực chất, gắn với kết quả thực hiện nhiệm vụ. | Cử cán bộ, công chức tham gia các lớp đào tạo, bồi
            dưỡng theo đúng đối tượng, tiêu chuẩn.""",
            """Đã tuyển dụng {cnt} viên chức, trong đó ngành giáo dục {cnt_small} người. | Thực hiện tinh giản biên
            chế đối với {cnt_small} trường hợp. | Tổ chức {cnt_small} lớp bồi dưỡng cho {cnt} lượt cán bộ, công chức,
            viên chức.""",
        ),
        _domain(
            "inspection",
            5,
            "TTT",
            """công tác thanh tra | tiếp công dân, giải quyết khiếu nại, tố cáo | phòng, chống tham nhũng, tiêu cực |
            kê khai tài sản, thu nhập | thanh tra trách nhiệm của thủ trưởng | giải quyết khiếu nại về đất đai | xử
            lý sau thanh tra | kiểm soát xung đột lợi ích | giải quyết các vụ việc khiếu nại đông người, phức tạp, kéo
            dài""",
            """thanh tra việc quản lý, sử dụng ngân sách tại {place} | thanh tra trách nhiệm của Chủ tịch Ủy ban nhân
            dân {place} trong việc thực hiện pháp luật về tiếp công dân, giải quyết khiếu nại, tố cáo | giải quyết
            khiếu nại của {citizen}, trú tại {place} | ban hành Kế hoạch thanh tra năm {y1} | xác minh tài sản, thu
            nhập năm {y} | thành lập Đoàn thanh tra công tác quản lý đất đai tại {place}""",
            """giải quyết đơn của {citizen} | báo cáo kết quả thực hiện kết luận thanh tra | cung cấp hồ sơ, tài liệu
            phục vụ thanh tra | tổ chức tiếp công dân trong thời gian diễn ra kỳ họp Hội đồng nhân dân tỉnh | báo cáo
            công tác phòng, chống tham nhũng {p}""",
            """Tập trung giải quyết dứt điểm các vụ việc khiếu nại, tố cáo đông người, phức tạp, kéo dài ngay từ cơ
            sở. | Thực hiện nghiêm việc kê khai, công khai bản kê khai tài sản, thu nhập. | Đôn đốc, kiểm tra, xử lý
            sau thanh tra; thu hồi triệt để tiền, tài sản vi phạm. | Tổ chức tiếp công dân định kỳ, đột xuất theo
            quy định; bố trí địa điểm tiếp công dân thuận lợi. | Phát hiện, xử lý kịp thời các hành vi tham nhũng,
            tiêu cực; bảo vệ người tố cáo.""",
            """Đã triển khai {cnt_small} cuộc thanh tra hành chính, phát hiện sai phạm về kinh tế {money_small} triệu
            đồng, kiến nghị thu hồi nộp ngân sách nhà nước. | Tiếp {cnt} lượt công dân với {cnt_small} vụ việc. | Đã
            giải quyết {cnt_small} vụ việc khiếu nại, tố cáo thuộc thẩm quyền, đạt tỷ lệ {pct_high}%.""",
        ),
        _domain(
            "environment",
            5,
            "STNMT SNNMT",
            """bảo vệ môi trường | quản lý chất thải rắn sinh hoạt | phân loại rác thải tại nguồn | kiểm soát ô
            nhiễm môi trường | quan trắc môi trường | cấp giấy phép môi trường | quản lý tài nguyên nước | quản lý
            hoạt động khai thác khoáng sản | bảo tồn đa dạng sinh học | ứng phó với biến đổi khí hậu | xử lý nước
            thải khu công nghiệp | giảm thiểu rác thải nhựa""",
            """[2022-] cấp giấy phép môi trường cho {company} | phê duyệt kết quả thẩm định báo cáo đánh giá tác động
            môi trường {proj} | xử phạt vi phạm hành chính trong lĩnh vực bảo vệ môi trường đối với {company} | phê
            duyệt khu vực không đấu giá quyền khai thác khoáng sản | cấp giấy phép khai thác nước dưới đất cho
            {company}""",
            """tăng cường kiểm tra việc chấp hành pháp luật về bảo vệ môi trường | xử lý tình trạng cá chết hàng loạt
            trên {river} | báo cáo công tác bảo vệ môi trường năm {y} | thu gom, xử lý rác thải sinh hoạt tại
            {place} | chấn chỉnh hoạt động khai thác cát, sỏi trái phép trên {river}""",
            """Kiểm soát chặt chẽ các nguồn thải, xử lý nghiêm các cơ sở gây ô nhiễm môi trường nghiêm trọng. |
            Triển khai phân loại chất thải rắn sinh hoạt tại nguồn; nâng cao tỷ lệ thu gom, xử lý rác thải ở khu vực
            nông thôn. | Tăng cường quản lý hoạt động khai thác khoáng sản, cát, sỏi lòng sông; kiên quyết xử lý các
            trường hợp khai thác trái phép. | Quan trắc, cảnh báo kịp thời chất lượng nước mặt các sông, hồ trên địa
            bàn tỉnh. | Hạn chế sử dụng sản phẩm nhựa dùng một lần, túi ni lông khó phân hủy trong các cơ quan, đơn
            vị.""",
            """Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý đạt {pct_high}%. | Kiểm tra {cnt_small} cơ sở,
            xử phạt {cnt_small} cơ sở vi phạm với tổng số tiền {money_small} triệu đồng. | Kết quả quan trắc cho thấy
            chất lượng nước {river} có dấu hiệu ô nhiễm hữu cơ cục bộ.""",
        ),
        _domain(
            "disaster",
            3,
            "SNN SNNMT",
            """phòng, chống thiên tai và tìm kiếm cứu nạn | ứng phó với bão, áp thấp nhiệt đới | khắc phục hậu quả
            mưa lũ | phòng, chống hạn hán, xâm nhập mặn | bảo đảm an toàn hồ, đập | phòng, chống sạt lở đất |
            ứng phó với rét đậm, rét hại | di dời dân cư vùng có nguy cơ sạt lở""",
            """kiện toàn Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh | hỗ trợ kinh phí khắc phục hậu
            quả bão số {storm} cho {place} | công bố tình huống khẩn cấp về sạt lở bờ {river} đoạn qua {place} | phê
            duyệt Kế hoạch phòng, chống thiên tai tỉnh Hà Sơn năm {y} | xuất cấp gạo hỗ trợ Nhân dân bị thiệt hại
            do mưa lũ""",
            """chủ động ứng phó với bão số {storm} | khắc phục hậu quả mưa lũ, sớm ổn định đời sống Nhân dân | báo
            cáo thiệt hại do bão số {storm} gây ra | kiểm tra an toàn hồ chứa nước {reservoir} trước mùa mưa lũ |
            sơ tán dân ra khỏi khu vực nguy hiểm""",
            """Theo dõi chặt chẽ diễn biến của bão, mưa lũ; thông tin kịp thời cho chính quyền các cấp và Nhân dân
            để chủ động phòng tránh. | Hướng dẫn tàu thuyền vào nơi tránh trú an toàn; kiên quyết không để người ở
            lại trên tàu, lồng bè. | Rà soát, sẵn sàng sơ tán dân ở vùng trũng thấp, ven sông, khu vực có nguy cơ sạt
            lở đất, lũ quét. | Bố trí lực lượng thường trực tại các hồ chứa xung yếu, vận hành hồ chứa đúng quy
            trình. | Huy động lực lượng, phương tiện giúp Nhân dân khắc phục hậu quả, sớm ổn định đời sống, khôi phục
            sản xuất.""",
            """Bão số {storm} đã làm {cnt_small} người bị thương, {cnt} ngôi nhà bị tốc mái, {area_ha} ha lúa và hoa màu
            bị ngập úng. | Tổng thiệt hại ước tính {money} tỷ đồng. | Đã sơ tán {cnt} hộ dân với {cnt} nhân khẩu đến
            nơi an toàn.""",
        ),
        _domain(
            "tourism",
            4,
            "SVHTTDL",
            """phát triển du lịch | xúc tiến, quảng bá du lịch | tổ chức lễ hội truyền thống | bảo tồn, phát huy
            giá trị di sản văn hóa | xây dựng đời sống văn hóa cơ sở | phong trào "Toàn dân đoàn kết xây dựng đời
            sống văn hóa" | phát triển du lịch cộng đồng | quản lý cơ sở lưu trú du lịch | phát triển thể dục, thể
            thao quần chúng | quản lý di tích lịch sử - văn hóa""",
            """xếp hạng di tích lịch sử - văn hóa cấp tỉnh {relic} | công nhận điểm du lịch {spot} | phê duyệt Đề án
            phát triển du lịch tỉnh Hà Sơn giai đoạn {stage} | ban hành Kế hoạch tổ chức Lễ hội {festival} năm {y} |
            thành lập Ban Tổ chức Đại hội Thể dục thể thao tỉnh Hà Sơn lần thứ {n2}""",
            """tổ chức các hoạt động văn hóa, thể thao mừng Đảng, mừng Xuân | tăng cường quản lý lễ hội, bảo đảm an
            ninh trật tự tại các di tích | tham gia Hội chợ Du lịch quốc tế năm {y} | báo cáo số liệu khách du lịch
            {p} | xây dựng hồ sơ đề nghị đưa Lễ hội {festival} vào Danh mục di sản văn hóa phi vật thể quốc gia""",
            """Tổ chức lễ hội trang trọng, an toàn, tiết kiệm, phù hợp với thuần phong mỹ tục; chống các biểu hiện mê
            tín dị đoan, thương mại hóa lễ hội. | Đẩy mạnh quảng bá hình ảnh du lịch Hà Sơn trên các nền tảng số. |
            Nâng cao chất lượng dịch vụ du lịch; kiên quyết xử lý tình trạng chèo kéo, ép giá khách du lịch. | Tu bổ,
            tôn tạo các di tích xuống cấp; phát huy giá trị di sản gắn với phát triển du lịch.""",
            """Tổng lượt khách du lịch đến tỉnh ước đạt {cnt} nghìn lượt, tổng thu từ du lịch ước đạt {money} tỷ
            đồng. | Toàn tỉnh có {pct_high}% hộ gia đình đạt danh hiệu "Gia đình văn hóa".""",
        ),
        _domain(
            "security",
            5,
            "CAT",
            """bảo đảm an ninh, trật tự | phòng cháy, chữa cháy | phòng, chống tội phạm ma túy | phòng, chống tội phạm
            lừa đảo chiếm đoạt tài sản trên không gian mạng | [2021-] cấp căn cước và định danh điện tử | bảo vệ bí
            mật nhà nước | quản lý cư trú | quản lý vũ khí, vật liệu nổ và công cụ hỗ trợ | công tác quốc phòng, quân
            sự địa phương | tuyển chọn và gọi công dân nhập ngũ | xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc
            | phòng, chống buôn lậu, gian lận thương mại và hàng giả""",
            """giao chỉ tiêu tuyển chọn và gọi công dân nhập ngũ năm {y1} | ban hành Quy chế bảo vệ bí mật nhà nước
            của {short} | phê duyệt phương án chữa cháy của cơ sở {company} | thành lập Ban Chỉ đạo diễn tập khu vực
            phòng thủ {place} | ban hành Kế hoạch cao điểm tấn công, trấn áp tội phạm dịp Tết Nguyên đán""",
            """tăng cường công tác phòng cháy, chữa cháy mùa hanh khô | bảo đảm an ninh, trật tự dịp Tết Nguyên đán |
            rà soát, cập nhật danh mục bí mật nhà nước | phối hợp xác minh nhân thân của {citizen} | thông báo kết quả
            sơ tuyển nghĩa vụ quân sự năm {y} | cảnh báo thủ đoạn xảo quyệt của tội phạm lừa đảo qua mạng""",
            """Chủ động nắm chắc tình hình, phát hiện, đấu tranh, ngăn chặn kịp thời các hoạt động xâm phạm an ninh
            quốc gia. | Tăng cường tuyên truyền để người dân nhận diện phương thức, thủ đoạn của tội phạm lừa đảo trên
            không gian mạng. | Kiểm tra an toàn phòng cháy, chữa cháy tại chợ, trung tâm thương mại, nhà ở kết hợp sản
            xuất, kinh doanh. | Thực hiện nghiêm quy định về bảo vệ bí mật nhà nước; không soạn thảo, lưu giữ tài
            liệu mật trên máy tính có kết nối mạng. | Tổ chức tuyển chọn, gọi công dân nhập ngũ đúng luật, công khai,
            dân chủ, bảo đảm chỉ tiêu được giao.""",
            """Lực lượng Công an đã phát hiện, bắt giữ {cnt_small} vụ, {cnt_small} đối tượng phạm tội về ma túy. |
            Xảy ra {cnt_small} vụ cháy, thiệt hại về tài sản ước tính {money_small} triệu đồng; không có thiệt hại về
            người. | Đã tiếp nhận {cnt} hồ sơ đề nghị cấp căn cước, kích hoạt {cnt} tài khoản định danh điện tử.""",
        ),
        _domain(
            "social",
            4,
            "SLĐTBXH SNV",
            """giảm nghèo bền vững | chính sách đối với người có công với cách mạng | giải quyết việc làm | phát
            triển giáo dục nghề nghiệp | bảo hiểm xã hội, bảo hiểm thất nghiệp | trợ giúp xã hội | đưa người lao động
            đi làm việc ở nước ngoài theo hợp đồng | chăm sóc người cao tuổi | phát triển đối tượng tham gia bảo hiểm
            xã hội tự nguyện | [2021-] Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội vùng đồng bào dân
            tộc thiểu số và miền núi""",
            """phê duyệt kết quả rà soát hộ nghèo, hộ cận nghèo năm {y} | tặng quà người có công với cách mạng nhân
            dịp kỷ niệm Ngày Thương binh - Liệt sĩ 27 tháng 7 | trợ cấp xã hội hằng tháng đối với {citizen} | hỗ trợ
            gạo cứu đói cho Nhân dân dịp Tết Nguyên đán | [2022-] phân bổ kinh phí thực hiện Chương trình mục tiêu
            quốc gia giảm nghèo bền vững năm {y}""",
            """tổ chức thăm, tặng quà gia đình chính sách dịp Tết Nguyên đán | rà soát hộ nghèo, hộ cận nghèo năm {y}
            | báo cáo tình hình lao động, việc làm {p} | chi trả trợ cấp thất nghiệp qua tài khoản | đôn đốc thu nợ
            bảo hiểm xã hội, bảo hiểm y tế""",
            """Thực hiện đầy đủ, kịp thời chính sách đối với người có công với cách mạng; không để xảy ra sai sót, trục
            lợi chính sách. | Rà soát, hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo, hộ gia đình chính sách còn khó khăn về
            nhà ở. | Tổ chức phiên giao dịch việc làm, tư vấn, giới thiệu việc làm cho người lao động. | Mở rộng đối
            tượng tham gia bảo hiểm xã hội tự nguyện, bảo hiểm y tế hộ gia đình.""",
            """Tỷ lệ hộ nghèo giảm còn {dec}%; giải quyết việc làm cho {cnt} lao động. | Đã chi trả trợ cấp cho {cnt}
            lượt người có công với tổng kinh phí {money} tỷ đồng. | Số người tham gia bảo hiểm xã hội đạt {cnt} nghìn
            người, chiếm {pct_low}% lực lượng lao động trong độ tuổi.""",
        ),
        _domain(
            "trade",
            4,
            "SCT",
            """phát triển thương mại điện tử | quản lý thị trường | xúc tiến thương mại | phát triển cụm công nghiệp |
            bảo đảm cung ứng điện | bình ổn giá cả thị trường | tiêu thụ nông sản | khuyến công | quản lý an toàn
            hóa chất | phát triển chợ | xuất khẩu hàng hóa | quản lý kinh doanh xăng dầu""",
            """thành lập Cụm công nghiệp {cluster} | phê duyệt Chương trình khuyến công tỉnh Hà Sơn năm {y} | phê
            duyệt Kế hoạch xúc tiến thương mại năm {y1} | cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu cho
            {company} | công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm {y}""",
            """bảo đảm cung ứng hàng hóa thiết yếu dịp Tết Nguyên đán | hỗ trợ tiêu thụ nông sản cho nông dân {place}
            | tham gia Hội chợ thương mại khu vực năm {y} | báo cáo tình hình thực hiện kế hoạch phát triển thương
            mại điện tử năm {y} | kiểm tra hoạt động kinh doanh xăng dầu trên địa bàn""",
            """Bảo đảm cân đối cung cầu, bình ổn giá cả thị trường, nhất là các mặt hàng thiết yếu. | Tăng cường kiểm
            tra, kiểm soát thị trường, đấu tranh chống buôn lậu, gian lận thương mại và hàng giả. | Hỗ trợ doanh
            nghiệp, hợp tác xã đưa sản phẩm lên sàn thương mại điện tử. | Đẩy nhanh tiến độ đầu tư hạ tầng kỹ thuật
            các cụm công nghiệp, thu hút doanh nghiệp vào đầu tư.""",
            """Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng ước đạt {money} tỷ đồng, tăng {dec}% so với
            cùng kỳ. | Kim ngạch xuất khẩu ước đạt {cnt} triệu USD. | Lực lượng quản lý thị trường đã kiểm tra {cnt}
            vụ, xử lý {cnt_small} vụ vi phạm.""",
        ),
    )
}
DOMAIN_TABLE = _weighted([(d, d.weight) for d in DOMAINS.values()])

# --- Subjects ---------------------------------------------------------------------------------------------

# Frames shared by every domain: {t} is the domain's topic, {p} a period. Titles (plans, reports) start with a
# capital; a công văn's and a decision's frames follow "V/v " and "Về việc ".
FRAMES: dict[str, Bank] = {
    code: Bank(text, 0.5)
    for code, text in {
        "CV": """báo cáo kết quả {t} {p} | triển khai thực hiện {t} {p} | tăng cường {t} {scope} | đẩy mạnh {t} |
            đôn đốc thực hiện {t} | triển khai thực hiện {refqd} | hướng dẫn {t} {p} | đề nghị cung cấp thông tin,
            số liệu về {t} | góp ý dự thảo
            Kế hoạch {t} {p} | chấn chỉnh, nâng cao hiệu quả {t} | phối hợp kiểm tra {t} tại {place} | tổng kết,
            đánh giá {t} {p} | rà soát, đề xuất nhiệm vụ {t} năm {y1} | tháo gỡ khó khăn, vướng mắc trong {t} |
            thực hiện ý kiến chỉ đạo của Chủ tịch Ủy ban nhân dân tỉnh về {t} | tham mưu giải quyết kiến nghị của
            {place} về {t}""",
        "QĐ": """phê duyệt Kế hoạch {t} {p} | khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong {t} {p} |
            ban hành Kế hoạch {t} {p} | tặng {award} cho các tập thể, cá nhân có thành tích xuất sắc trong {t} {p}
            | thành lập Ban Chỉ đạo {t} {area} | sửa đổi, bổ sung một số điều của {ownqd} | kiện toàn Ban Chỉ đạo {t}
            {area} | bãi bỏ {ownqd} | phê duyệt dự toán kinh phí thực
            hiện {t} {p} | phân bổ kinh phí thực hiện {t} {p} | ban hành Quy chế phối hợp trong {t} | thành lập Đoàn
            kiểm tra {t} tại {place}""",
        "NQ": """Về dự toán ngân sách địa phương và phân bổ ngân sách cấp tỉnh năm {y1} | Về kế hoạch phát triển kinh
            tế - xã hội năm {y1} | Quy định mức chi bảo đảm cho {t} {scope} | Về kế hoạch đầu tư công năm {y1} |
            Thông qua Đề án {t} giai đoạn {stage} | Quy định chính sách hỗ trợ {t} {scope} giai đoạn {stage} | Về
            việc thành lập Đoàn giám sát {t} {p} | Về chương trình giám sát của Hội đồng nhân dân tỉnh năm {y1}""",
        "TB": """Kết luận của {chair} tại cuộc họp về {t} | Kết luận của {chair} tại buổi làm việc với {place} về
            {t} | Kết quả kiểm tra {t} tại {place} | Kết luận của {chair} tại Hội nghị sơ kết {t} {p} | Về việc tổ
            chức Hội nghị tổng kết {t} năm {y} | Lịch tiếp công dân định kỳ của lãnh đạo {short} tháng {m} năm {y} |
            Ý kiến chỉ đạo của {chair} về {t} | Về việc tuyển dụng viên chức {sector} năm {y}""",
        "KH": """Triển khai thực hiện {t} {p} | Thực hiện {t} {p} | Kiểm tra {t} {p} | Tuyên truyền, phổ biến {t}
            {p} | Nâng cao hiệu quả {t} {p} | Khắc phục tồn tại, hạn chế trong {t} | Tổ chức Hội nghị tổng kết {t}
            năm {y}""",
        "BC": """Kết quả {t} {p} | Tình hình thực hiện {t} {p} | Sơ kết {t} {p} | Tổng kết {t} giai đoạn {stage} |
            Kết quả thực hiện nhiệm vụ {t} {p} | Đánh giá {t} {p} | Kết quả kiểm tra {t} tại {place}""",
        "TTr": """Đề nghị phê duyệt Kế hoạch {t} {p} | Đề nghị bổ sung kinh phí thực hiện {t} {p} | Đề nghị tặng
            Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho các tập thể, cá nhân có thành tích xuất sắc trong {t}
            {p} | Về việc đề nghị ban hành Quy chế phối hợp trong {t} | Đề nghị thành lập Ban Chỉ đạo {t} {area}""",
        "GM": """Mời dự cuộc họp nghe báo cáo {t} | Mời dự Hội nghị tổng kết {t} năm {y} | Họp giao ban {t} quý
            {q} năm {y} | Mời dự Hội nghị trực tuyến triển khai {t} | Mời dự buổi làm việc về {t} | Mời dự Hội nghị
            tập huấn {t} {p} | Mời họp Ban Chỉ đạo {t} {area}""",
        "CT": """Về tăng cường {t} | Về đẩy mạnh {t} {scope} | Về chấn chỉnh, nâng cao hiệu quả {t} | Về tăng cường
            kỷ luật, kỷ cương hành chính trong {t} | Về việc tập trung thực hiện {t} {p}""",
        "HD": """Thực hiện {t} {p} | Triển khai {t} {p} | Một số nội dung về {t} | Quy trình phối hợp trong {t} |
            Đánh giá, chấm điểm {t} {p}""",
        "CTr": """Hành động thực hiện {t} {p} | Công tác năm {y1} của {short} | Phối hợp thực hiện {t} giai đoạn
            {stage} | Kiểm tra, giám sát {t} {p}""",
        "PA": "{T} {p} | Tổ chức thực hiện {t} {p} | Bảo đảm {t} {scope} | Xử lý {t} tại {place}",
        "ĐA": "{T} giai đoạn {stage} | Nâng cao chất lượng {t} giai đoạn {stage} | Đổi mới {t} {scope}",
        "DA": "{Proj} | Hỗ trợ {t} {scope} giai đoạn {stage}",
        "BB": "Họp về {t} | Kiểm tra {t} tại {place} | Làm việc về {t} | Nghiệm thu, bàn giao {proj}",
        "CĐ": """chủ động ứng phó với bão số {storm} và mưa lũ | tập trung khắc phục hậu quả mưa lũ | tăng cường
            {t} | chủ động ứng phó với đợt nắng nóng, hạn hán, xâm nhập mặn | tập trung phòng, chống dịch tả lợn
            châu Phi | ứng phó với đợt rét đậm, rét hại""",
        "QC": """Phối hợp trong {t} giữa {short} và {lead} | Làm việc của {short} | Tổ chức và hoạt động của Ban
            Chỉ đạo {t} {area}""",
        "QyĐ": """Về {t} {scope} | Tiêu chí đánh giá {t} | Phân cấp {t} {scope} | Trách nhiệm của người đứng đầu
            trong {t}""",
        "TC": "Kết quả kỳ họp thứ {sitting} Hội đồng nhân dân tỉnh Hà Sơn khóa {khoa} | Thông tin về {t} {p}",
        "HĐ": """Cung cấp dịch vụ bảo trì Hệ thống quản lý văn bản và điều hành năm {y} | Tư vấn lập báo cáo kinh
            tế - kỹ thuật {proj} | Thi công xây dựng {proj} | Thuê dịch vụ công nghệ thông tin phục vụ {t}""",
        "BGN": "Hợp tác trong {t} giữa {short} và {partner}",
        "BTT": "Phối hợp thực hiện {t} giữa {short} và {partner}",
        "GUQ": "Ủy quyền ký văn bản về {t} | Ủy quyền cho {who} ký hồ sơ về {t}",
        "GGT": "Giới thiệu {who}, {role} đến liên hệ công tác về {t}",
        "GNP": "Cho {who}, {role} nghỉ phép năm {y}",
        "PG": "Gửi hồ sơ về {t} của {place} đến {lead}",
        "PC": "Chuyển đơn của {citizen} ở {place} về {complaint}",
        "PB": "Báo kết quả {t} {p} của {place}",
    }.items()
}

MISC = {
    key: Bank(text, 0.3)
    for key, text in {
        "proj": """dự án Xây dựng tuyến đường tỉnh ĐT.{road} đoạn qua {place} | dự án Nâng cấp, mở rộng Quốc lộ {ql}
            đoạn qua {place} | dự án Khu dân cư mới {place} | dự án Xây dựng Trường {school} | dự án Kè chống sạt lở
            bờ {river} đoạn qua {place} | dự án Hạ tầng kỹ thuật Cụm công nghiệp {cluster} | dự án Hồ chứa nước
            {reservoir} | dự án Khu tái định cư phục vụ giải phóng mặt bằng tuyến đường ven {river} | dự án Cải tạo,
            nâng cấp Trung tâm Y tế {place} | dự án Đường giao thông liên xã {place}""",
        "school": """Trung học cơ sở Lê Quý Đôn | Tiểu học Hòa An | Trung học phổ thông Dương Minh | Mầm non Hoa Sen |
            Trung học cơ sở Bảo Thắng | Tiểu học Đường Lâm | Trung học phổ thông Chuyên Hà Sơn | Mầm non Sông Cả |
            Tiểu học và Trung học cơ sở Quyết Tiến""",
        "river": "sông Cả | sông Dương | suối Cá | sông Bảo Giang | sông Thạch Bàn",
        "reservoir": "Đồng Bảo | Yên Lập | Khe Cá | Dương Liễu | Thạch Bàn",
        "relic": """Đình làng Đường Lâm | Chùa Bảo Quang | Đền thờ Dương Tự Minh | Đình Hòa An | Hang Cá Thần |
            Miếu Bà Chúa Kho""",
        "spot": "Hồ Bảo Sơn | Khu sinh thái Thác Dương | Làng nghề gốm Cẩm Bình | Hang Cá Thần | Đồi chè Yên Lập",
        "festival": "Đền Dương Minh | đua thuyền truyền thống trên sông Cả | Hoa Ban | Cầu ngư | Xuống đồng Yên Lập",
        "cluster": "Bảo Thắng | Dương Minh | Thạch Bàn II | Sông Cả | Yên Lập",
        "company": """Công ty cổ phần Đầu tư Phát triển Hà Sơn | Công ty TNHH Xây dựng Thành Đạt | Công ty TNHH Thương
            mại Minh Phát | Công ty cổ phần Nông sản Sông Cả | Công ty TNHH Du lịch Bảo Sơn | Công ty cổ phần Vật
            liệu xây dựng Dương Minh | Công ty TNHH Thủy sản Cá Vàng | Hợp tác xã Nông nghiệp Hòa An""",
        "field": """đất đai | xây dựng | hộ tịch | đăng ký kinh doanh | giáo dục và đào tạo | y tế | lao động, việc
            làm | bảo trợ xã hội | môi trường | giao thông vận tải""",
        "sector": """ngành giáo dục | ngành y tế | các đơn vị sự nghiệp công lập thuộc tỉnh | sự nghiệp văn hóa, thể
            thao""",
        "post": """Phó Giám đốc Sở Tài chính | Trưởng phòng Quản lý ngân sách, Sở Tài chính | Phó Chánh Văn phòng Ủy
            ban nhân dân tỉnh | Giám đốc Trung tâm Y tế {place} | Hiệu trưởng Trường {school} | Chi cục trưởng Chi
            cục Kiểm lâm | Phó Giám đốc Ban Quản lý dự án đầu tư xây dựng tỉnh | Trưởng phòng Tổ chức cán bộ, Sở
            Giáo dục và Đào tạo""",
        "role": """chuyên viên Văn phòng {short} | công chức Địa chính - Xây dựng {place} | viên chức Trung tâm Y tế
            {place} | Phó Trưởng phòng Tài nguyên và Môi trường {place} | giáo viên Trường {school} | kế toán Trường
            {school} | Chủ tịch Ủy ban nhân dân {place}""",
        "partner": """Tập đoàn Bưu chính Viễn thông Việt Nam | Tập đoàn Công nghiệp - Viễn thông Quân đội | Trường
            Đại học Bách khoa Hà Nội | Ngân hàng Nông nghiệp và Phát triển nông thôn Việt Nam | tỉnh Xiêng Khoảng""",
        "complaint": """tranh chấp đất đai | bồi thường, hỗ trợ khi Nhà nước thu hồi đất | cấp Giấy chứng nhận quyền sử
            dụng đất | chế độ chính sách đối với người có công | ô nhiễm môi trường do cơ sở chăn nuôi | trật tự
            xây dựng""",
        "venue": """Phòng họp số {n2} Ủy ban nhân dân tỉnh | Hội trường {short} | Phòng họp trực tuyến {short} |
            Trung tâm Hội nghị tỉnh""",
        "road": "279 | 152 | 176 | 201 | 198 | 215 | 156 | 230",
        "ql": "1A | 6 | 12 | 15 | 32 | 279 | 37",
    }.items()
}
LOCAL_VENUES = Bank("Phòng họp {short} | Hội trường {short} | Phòng họp trực tuyến {short}")
ROMAN = ("I", "II", "III", "IV")
KHOA = ("XVII", "XVIII", "XIX")

# --- Slots: the values a template names, drawn when first needed ---------------------------------------


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _short_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _long_date(day: date) -> str:
    """Decree 30: a day below 10 and the months January and February take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _stage(year: int) -> str:
    return "2016 - 2020" if year <= 2020 else "2021 - 2025" if year <= 2025 else "2026 - 2030"


class Slots(dict):
    """The values of one document's templates; each is drawn once, from the generator in use when first asked
    for, except the figures of a report, drawn anew at each use."""

    def __init__(self, stream: _Stream, issuer: Issuer, index: int, day: date, domain: Domain) -> None:
        super().__init__()
        self.stream, self.issuer, self.index, self.day, self.domain = stream, issuer, index, day, domain
        self.rng = stream.meta
        self.leaders = stream.leaders[index, bisect.bisect_right(TERMS, day)]

    def __missing__(self, key: str) -> str:
        value = SLOT_MAKERS[key](self)
        if key not in FRESH:
            self[key] = value
        return value

    def fill(self, template: str) -> str:
        text = template.format_map(self) if "{" in template else template
        return " ".join(text.split()) if "  " in text or text.endswith(" ") else text

    def before_reform(self) -> bool:
        return self.day < TWO_LEVELS

    def leader(self) -> tuple[str, str]:
        """A leader of the issuer on the day, most often a deputy, and their title."""
        if self.rng.random() < 0.3:
            return self.leaders.head, self.issuer.head
        deputies = self.leaders.deputies
        return deputies[int(self.rng.random() * len(deputies))], self.issuer.deputy


DISTRICT_OFFICES = {  # domain: the district's office that leads it, and its abbreviation
    "general": ("Phòng Tài chính - Kế hoạch", "TCKH"),
    "finance": ("Phòng Tài chính - Kế hoạch", "TCKH"),
    "land": ("Phòng Tài nguyên và Môi trường", "TNMT"),
    "environment": ("Phòng Tài nguyên và Môi trường", "TNMT"),
    "construction": ("Phòng Kinh tế và Hạ tầng", "KTHT"),
    "transport": ("Phòng Kinh tế và Hạ tầng", "KTHT"),
    "trade": ("Phòng Kinh tế và Hạ tầng", "KTHT"),
    "education": ("Phòng Giáo dục và Đào tạo", "GDĐT"),
    "health": ("Phòng Y tế", "YT"),
    "agriculture": ("Phòng Nông nghiệp và Phát triển nông thôn", "NN"),
    "disaster": ("Phòng Nông nghiệp và Phát triển nông thôn", "NN"),
    "digital": ("Phòng Văn hóa và Thông tin", "VHTT"),
    "tourism": ("Phòng Văn hóa và Thông tin", "VHTT"),
    "reform": ("Phòng Nội vụ", "NV"),
    "emulation": ("Phòng Nội vụ", "NV"),
    "personnel": ("Phòng Nội vụ", "NV"),
    "social": ("Phòng Lao động - Thương binh và Xã hội", "LĐTBXH"),
    "inspection": ("Thanh tra", "TTH"),
    "security": ("Công an", "CA"),
}


def _locality(s: Slots) -> str:
    """The kind of territory of a district or commune: "huyện", "thị xã", "thành phố", "xã", "phường"."""
    area = _area(s)
    kinds = ("thành phố", "thị xã", "thị trấn", "huyện", "phường", "xã")
    return next((k for k in kinds if area.startswith(k)), "tỉnh")


def _offices(s: Slots) -> dict[str, str]:
    """Who leads the work a document is about. A province's department for the province and its council; the
    district's office for a district; the issuer itself, through its own units, for a department or ministry.
    `lead` reports and coordinates, `executor` is told to carry out, `partners` is invited."""
    issuer, kind = s.issuer, s.issuer.kind
    if issuer.abbreviation == "TTg":
        executor = "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh, thành phố"
        return {
            "lead": "Văn phòng Chính phủ",
            "lead_head": "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ",
            "lead_abbr": "VPCP",
            "executor": executor,
            "executor_head": "các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố",
            "partners": "các bộ, ngành, địa phương",
        }
    if kind in ("department", "ministry"):
        units = "các phòng, đơn vị thuộc" if kind == "department" else "các Vụ, Cục, đơn vị thuộc"
        executor = f"{units} {issuer.short}"
        return {
            "lead": issuer.short,
            "lead_head": f"{issuer.head} {issuer.chair_org}".strip(),
            "lead_abbr": issuer.abbreviation,
            "executor": executor,
            "executor_head": "Thủ trưởng " + executor,
            "partners": executor,
        }
    if kind == "district":
        office, abbr = DISTRICT_OFFICES[s.domain.key]
        office = f"{office} {_locality(s)}" if office in ("Thanh tra", "Công an") else office
        head = "Chánh " + office if office.startswith("Thanh tra") else "Trưởng " + office[:1].lower() + office[1:]
        return dict.fromkeys(("lead", "executor", "partners"), office) | {
            "lead_head": head,
            "lead_abbr": abbr,
            "executor_head": head,
        }
    if kind == "commune":
        office = f"Văn phòng HĐND và UBND {_locality(s)}"
        return dict.fromkeys(("lead", "executor", "partners"), office) | {
            "lead_head": "Chánh " + office,
            "lead_abbr": "VP",
            "executor_head": "Chánh " + office,
        }
    lead = s.stream.by_abbreviation["VP"][0]
    for abbr in reversed(s.domain.leads):
        for candidate in s.stream.by_abbreviation.get(abbr, ()):
            if candidate.start <= s.day <= candidate.end:
                lead = candidate
    head = f"{lead.head} {lead.chair_org}"
    return dict.fromkeys(("lead", "executor", "partners"), lead.name) | {
        "lead_head": head,
        "lead_abbr": lead.abbreviation,
        "executor_head": head,
    }


def _office(key: str) -> Callable[[Slots], str]:
    def make(s: Slots) -> str:
        values = _offices(s)
        s.update(values)
        return values[key]

    return make


def _area(s: Slots) -> str:
    kind = s.issuer.kind
    if kind in ("district", "commune"):
        return s.issuer.name.removeprefix("Ủy ban nhân dân ")
    return "" if kind == "ministry" else f"tỉnh {PROVINCE}"


def _lower(s: Slots) -> str:
    kind = s.issuer.kind
    if kind == "ministry":
        return "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
    if kind == "commune":
        return "các thôn, tổ dân phố"
    if kind == "district":
        return "Ủy ban nhân dân các xã, thị trấn"
    return "Ủy ban nhân dân các huyện, thị xã, thành phố" if s.before_reform() else "Ủy ban nhân dân các xã, phường"


def _scope(s: Slots) -> str:
    kind = s.issuer.kind
    if kind == "ministry":
        return "trên phạm vi cả nước"
    return "trên địa bàn " + ("tỉnh" if kind not in ("district", "commune") else _locality(s))


def _award(s: Slots) -> str:
    issuer = s.issuer
    if issuer.kind in ("province", "council"):
        return "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
    if issuer.kind == "ministry":
        return f"Bằng khen của {issuer.head} {issuer.chair_org}".strip()
    return f"Giấy khen của {issuer.head} {issuer.chair_org}"


def _chair(s: Slots) -> str:
    name, title = s.leader()
    return f"đồng chí {name}, {title} {s.issuer.chair_org}".strip()


def _period(s: Slots) -> str:
    day, r = s.day, s.rng.random()
    if s.domain.key == "education" and r < 0.4:
        return f"năm học {s['sy']}"
    if r < 0.3:
        return f"năm {day.year}"
    if r < 0.45:
        if 5 <= day.month <= 8:
            return f"6 tháng đầu năm {day.year}"
        quarter = (day.month - 1) // 3
        return f"quý {ROMAN[quarter - 1]} năm {day.year}" if quarter else f"quý IV năm {day.year - 1}"
    if r < 0.53:
        return f"tháng {day.month} năm {day.year}"
    if r < 0.63:
        return f"năm {day.year + 1}" if day.month >= 9 else f"năm {day.year}"
    if r < 0.72:
        return f"giai đoạn {_stage(day.year)}"
    return ""


def _reference(s: Slots) -> str:
    """An earlier document the new one answers: "Kế hoạch số 45/KH-UBND ngày 12/3/2024 của ..."."""
    rng, stream = s.rng, s.stream
    if s.issuer.kind == "ministry":
        source = stream.by_abbreviation["TTg" if rng.random() < 0.5 else "VPCP"][0]
    elif rng.random() < 0.3:
        central = [i for i in stream.central if s.domain.key in i.domains and i.start <= s.day <= i.end]
        central = central or stream.central
        source = central[int(rng.random() * len(central))]
    else:
        source = stream.by_abbreviation["UBND"][0]
    day = s.day - timedelta(days=3 + int(rng.random() * 60))
    code = ("CV", "CV", "KH", "QĐ", "CT")[int(rng.random() * 5)] if source.abbreviation != "TTg" else "CT"
    label = "Văn bản" if code == "CV" else DOCUMENT_TYPES[code]
    number = max(1, int(source.volume * 12000 * (day.timetuple().tm_yday / 366) * (0.8 + rng.random() * 0.2)))
    unit = source.units[int(rng.random() * len(source.units))]
    return f"{label} số {number}/{_notation(source, code, unit)} ngày {_short_date(day)} của {source.name}"


def _office_chief(s: Slots) -> str:
    if s.issuer.abbreviation == "TTg":
        return "Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ"
    return f"Chánh Văn phòng {s.issuer.short}"


def _venue(s: Slots) -> str:
    bank = MISC["venue"] if s.issuer.kind in ("province", "council") else LOCAL_VENUES
    return s.fill(bank.pick(s.rng))


def _decision_of(s: Slots, source: Issuer, days: int) -> str:
    """An earlier decision: "Quyết định số 1234/QĐ-UBND ngày 05/03/2024 của UBND tỉnh"."""
    day = max(source.start, s.day - timedelta(days=10 + int(s.rng.random() * days)))
    number = max(1, int(source.volume * YEARLY_OUTPUT * day.timetuple().tm_yday / 366 * s.rng.random()))
    return f"Quyết định số {number}/QĐ-{source.abbreviation} ngày {_short_date(day)} của {source.short}"


def _pick(key: str) -> Callable[[Slots], str]:
    bank = MISC[key]
    return lambda s: s.fill(bank.pick(s.rng))


SLOT_MAKERS: dict[str, Callable[[Slots], str]] = {
    "t": lambda s: s.domain.topics.pick(s.rng, s.day.year),
    "T": lambda s: s["t"][:1].upper() + s["t"][1:],
    "t2": lambda s: _choose(s.rng, DOMAIN_TABLE).topics.pick(s.rng, s.day.year),
    "p": _period,
    "y": lambda s: str(s.day.year),
    "y0": lambda s: str(s.day.year - 1),
    "y1": lambda s: str(s.day.year + 1),
    "m": lambda s: str(s.day.month),
    "q": lambda s: ROMAN[(s.day.month - 1) // 3],
    "sy": lambda s: f"{s.day.year} - {s.day.year + 1}" if s.day.month >= 8 else f"{s.day.year - 1} - {s.day.year}",
    "stage": lambda s: _stage(s.day.year),
    "khoa": lambda s: KHOA[bisect.bisect_right(TERMS, s.day)],
    "nprov": lambda s: "63" if s.before_reform() else "34",
    "place": lambda s: (PLACES_BEFORE if s.before_reform() else PLACES_AFTER).pick(s.rng),
    "short": lambda s: s.issuer.short,
    "area": _area,
    "scope": _scope,
    "lower": _lower,
    "Lower": lambda s: _cap(s["lower"]),
    "award": _award,
    "chair": _chair,
    **{key: _office(key) for key in ("lead", "lead_head", "lead_abbr", "executor", "executor_head", "partners")},
    "heads": lambda s: f"{s.issuer.head}, các {s.issuer.deputy}",
    "office_chief": _office_chief,
    "locality": _locality,
    "party": lambda s: {"huyện": "Huyện ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}.get(_locality(s), "Đảng ủy"),
    "venue": _venue,
    "sitting": lambda s: str(1 + int(s.rng.random() * 20)),
    "who": lambda s: _with_title(_person(s.rng, 0.6)),
    "citizen": lambda s: _with_title(_person(s.rng)),
    "Proj": lambda s: s["proj"][:1].upper() + s["proj"][1:],
    "ref": _reference,
    "ownqd": lambda s: _decision_of(s, s.issuer, 1000),
    "refqd": lambda s: _decision_of(
        s, s.stream.by_abbreviation["TTg" if s.issuer.kind == "ministry" else "UBND"][0], 120
    ),
    "due": lambda s: _short_date(s.day + timedelta(days=5 + int(s.rng.random() * 20))),
    "n": lambda s: str(1 + int(s.rng.random() * 20)),
    "n2": lambda s: str(1 + int(s.rng.random() * 3)),
    "storm": lambda s: str(1 + int(s.rng.random() * 12)),
    "rank": lambda s: str(1 + int(s.rng.random() * 30)),
    "cnt": lambda s: _thousands(int(20 + s.rng.random() ** 2 * 4000)),
    "cnt_small": lambda s: str(int(2 + s.rng.random() * 60)),
    "pct": lambda s: str(int(60 + s.rng.random() * 55)),
    "pct_high": lambda s: str(int(85 + s.rng.random() * 15)),
    "pct_low": lambda s: str(int(20 + s.rng.random() * 40)),
    "money": lambda s: _thousands(int(50 + s.rng.random() ** 2 * 15000)),
    "money_small": lambda s: _thousands(int(15 + s.rng.random() * 900)),
    "area_ha": lambda s: _thousands(int(5 + s.rng.random() ** 2 * 30000)),
    "dec": lambda s: _decimal(1 + s.rng.random() * 9),
    **{key: _pick(key) for key in MISC if key != "venue"},
}
FRESH = {"n", "rank", "cnt", "cnt_small", "pct", "pct_high", "pct_low", "money", "money_small", "area_ha", "dec"}


def _notation(issuer: Issuer, code: str, unit: str) -> str:
    """Decree 30, appendix I: a công văn's notation is the issuer's abbreviation and the drafting unit's; any
    other type's is the type's abbreviation and the issuer's."""
    return f"{issuer.abbreviation}-{unit}" if code == "CV" else f"{code}-{issuer.abbreviation}"


# --- Documents --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedDocument:
    direction: str
    document_type: str  # a key of DOCUMENT_TYPES
    number: str
    notation: str
    issuer: str
    issuer_code: str
    issued_on: date
    subject: str
    signer_name: str
    signer_position: str
    urgency: str
    secrecy: str
    body: str  # paragraphs separated by newlines; empty when bodies were not asked for


BASE_TYPES = {"CV": 40, "QĐ": 18, "TB": 8, "KH": 7, "BC": 7, "TTr": 5, "GM": 5, "HD": 2, "CTr": 1.2, "PA": 1}
BASE_TYPES |= {"ĐA": 0.5, "DA": 0.2, "BB": 0.8, "CT": 0.8, "CĐ": 0.3, "QC": 0.3, "QyĐ": 0.3, "TC": 0.1, "HĐ": 0.3}
BASE_TYPES |= {"BGN": 0.1, "BTT": 0.1, "GUQ": 0.2, "GGT": 0.6, "GNP": 0.3, "PG": 0.2, "PC": 0.3, "PB": 0.1, "NQ": 0}
TYPES_BY_KIND: dict[str, dict[str, float]] = {
    "province": BASE_TYPES | {"CĐ": 0.6, "CT": 1.2},
    "district": BASE_TYPES | {"CĐ": 0.1, "TC": 0},
    "commune": BASE_TYPES | {"CT": 0, "CĐ": 0, "ĐA": 0, "DA": 0, "BGN": 0, "BTT": 0, "TC": 0, "QC": 0.1},
    "department": BASE_TYPES | {"CT": 0, "CĐ": 0, "TC": 0},
    "ministry": BASE_TYPES | {"TTr": 0, "GNP": 0, "PG": 0, "PC": 0, "PB": 0, "GGT": 0.2, "TC": 0},
    "council": {"NQ": 30, "CV": 25, "BC": 12, "TB": 10, "GM": 8, "KH": 5, "QĐ": 5, "CTr": 3, "TC": 1, "BB": 1},
    "premier": {"QĐ": 35, "CV": 30, "CT": 10, "CĐ": 10, "TB": 2},
}
assert all(code in DOCUMENT_TYPES for table in TYPES_BY_KIND.values() for code in table)
YEARLY_OUTPUT = 12000  # documents a province's People's Committee numbers in a year


class _Stream:
    """The state of one generation: the generators, the leaders, the numbers taken per issuer and year."""

    def __init__(self, seed: int) -> None:
        self.meta = random.Random(seed)  # everything but the bodies
        self.text = random.Random(f"{seed}:bodies")
        self.leaders = _leadership(seed)
        self.by_abbreviation: dict[str, list[Issuer]] = defaultdict(list)
        for issuer in ISSUERS:
            self.by_abbreviation[issuer.abbreviation].append(issuer)
        self.central = [i for i in ISSUERS if i.kind == "ministry" and i.abbreviation != "TTg"]
        self.last_number: dict[tuple[int, int, bool], int] = {}
        self.types = [
            _weighted(list(TYPES_BY_KIND["premier" if i.abbreviation == "TTg" else i.kind].items())) for i in ISSUERS
        ]
        # The issuers active in each period between two reforms, for incoming (any) and outgoing (local) documents.
        edges = sorted({i.start for i in ISSUERS} | {i.end + timedelta(days=1) for i in ISSUERS})
        self.edges = edges
        self.active = []
        for start in edges:
            alive = [(n, i.weight) for n, i in enumerate(ISSUERS) if i.start <= start <= i.end]
            local = [(n, w) for n, w in alive if ISSUERS[n].kind in LOCAL_KINDS]
            self.active.append((_weighted(alive), _weighted(local)))

    def issuer_on(self, day: date, outgoing: bool) -> int:
        period = bisect.bisect_right(self.edges, day) - 1
        return _choose(self.meta, self.active[period][1 if outgoing else 0])

    def number(self, index: int, day: date, secret: bool) -> int:
        """Decree 30, art. 15: numbers restart at 1 each year, secret documents in their own series. The number
        follows the issuer's yearly output, so that a document of October carries a number about four fifths into
        the year's range: the documents generated are a sample of all it issued."""
        output = ISSUERS[index].volume * YEARLY_OUTPUT * (0.005 if secret else 1.0)
        elapsed = (day.timetuple().tm_yday - 1 + self.meta.random()) / 366
        key = (index, day.year, secret)
        number = max(self.last_number.get(key, 0) + 1, int(output * elapsed))
        self.last_number[key] = number
        return number


def _days(rng: random.Random, count: int) -> list[date]:
    """Working days mostly: a Saturday's document moves to Friday four times in five, a Sunday's to Monday."""
    span = (LAST_DAY - FIRST_DAY).days + 1
    days = []
    for offset in sorted(int(rng.random() * span) for _ in range(count)):
        day = FIRST_DAY + timedelta(days=offset)
        weekday = day.weekday()
        if weekday == 5 and rng.random() < 0.8:
            day -= timedelta(days=1)
        elif weekday == 6:
            day += timedelta(days=1) if day < LAST_DAY else timedelta(days=-2)
        days.append(day)
    days.sort()
    return days


def _signer(s: Slots, code: str) -> tuple[str, str]:
    """The signer and the signing block: the head signs, a deputy signs for them ("KT."), the office chief by
    order ("TL.") for routine letters; for the committee's or council's collective acts, "TM." first."""
    issuer, rng = s.issuer, s.rng
    r = rng.random()
    if r > 0.96 and code in ("CV", "TB", "GM", "GGT", "PC", "PG") and issuer.kind != "council":
        chief = "Chánh Văn phòng" if issuer.kind != "department" else "Chánh Văn phòng Sở"
        return s.leaders.office_chief, f"TL. {issuer.head.upper()} {chief.upper()}"
    if r < 0.3:
        name, block, plain = s.leaders.head, issuer.head.upper(), issuer.head
    else:
        deputies = s.leaders.deputies
        name = deputies[int(rng.random() * len(deputies))]
        block, plain = f"KT. {issuer.head.upper()} {issuer.deputy.upper()}", issuer.deputy
    collective = KIND_TITLES.get(issuer.kind, ("", "", ""))[2]
    if collective and code in ("QĐ", "CT", "NQ", "KH", "CTr", "QC", "QyĐ"):
        if issuer.kind == "council" and code != "NQ":
            collective = "THƯỜNG TRỰC HỘI ĐỒNG NHÂN DÂN"
        block = f"TM. {collective} {block}"
    return name, block if rng.random() < 0.6 else plain


def _urgency(rng: random.Random, code: str) -> str:
    r = rng.random()
    if code == "CĐ":
        return Urgency.EXPRESS if r < 0.4 else Urgency.VERY_URGENT if r < 0.8 else Urgency.URGENT
    if code == "GM":
        return Urgency.URGENT if r < 0.2 else Urgency.VERY_URGENT if r < 0.25 else Urgency.NORMAL
    if r < 0.085:
        return Urgency.URGENT
    return Urgency.VERY_URGENT if r < 0.115 else Urgency.EXPRESS if r < 0.12 else Urgency.NORMAL


def _secrecy(rng: random.Random, domain: Domain) -> str:
    r = rng.random()
    share = 0.08 if domain.key == "security" else 0.006
    if r >= share:
        return Secrecy.NORMAL
    return Secrecy.SECRET if r < share * 0.3 else Secrecy.CONFIDENTIAL


def _subject(s: Slots, code: str) -> str:
    """A trích yếu of 8 to 30 words: "V/v ..." for a công văn, "Về việc ..." or a title for the others."""
    rng, domain, year = s.rng, s.domain, s.day.year
    for _ in range(6):
        r = rng.random()
        if code == "CV":
            text = "V/v " + (domain.requests.pick(rng, year) if r < 0.45 else FRAMES["CV"].pick(rng, year))
        elif code == "QĐ":
            local = r < 0.55 and s.issuer.kind != "ministry"
            core = domain.decisions.pick(rng, year) if local else FRAMES["QĐ"].pick(rng, year)
            text = "Về việc " + core if rng.random() < 0.6 else core[:1].upper() + core[1:]
        elif code == "TTr" and r < 0.5:
            text = "Về việc đề nghị " + domain.decisions.pick(rng, year)
        elif code == "NQ" and r < 0.3:
            text = "Về việc " + domain.decisions.pick(rng, year)
        elif code == "CĐ":
            if domain.key == "disaster":
                core = domain.requests.pick(rng, year) if r < 0.5 else FRAMES["CĐ"].pick(rng, year)
            else:
                core = ("tăng cường {t}", "chủ động triển khai các biện pháp {t}", "tập trung chỉ đạo {t}")[int(r * 3)]
            text = "Về việc " + core
        else:
            text = FRAMES[code].pick(rng, year)
        text = s.fill(text)
        words = text.count(" ") + 1
        if words < 8:
            text = s.fill(text + " {scope}")
            words = text.count(" ") + 1
        if 8 <= words <= 30:
            return text
        for key in ("p", "place", "proj", "Proj", "t", "T", "t2", "who", "role", "post", "chair"):
            s.pop(key, None)  # too long or too short: draw again
    text = s.fill(("V/v " if code == "CV" else "Về việc ") + "triển khai {t}")
    return text if text.count(" ") >= 7 else s.fill(text + " {scope}")


# --- Bodies -----------------------------------------------------------------------------------------------

PROSE = {
    key: Bank(text, 0.2)
    for key, text in {
        "purpose": """Triển khai thực hiện có hiệu quả {t}, góp phần hoàn thành các mục tiêu, chỉ tiêu phát triển kinh
            tế - xã hội đã đề ra. | Xác định rõ nội dung công việc, thời hạn hoàn thành và trách nhiệm của các cơ
            quan, đơn vị trong tổ chức thực hiện. | Bảo đảm sự phối hợp chặt chẽ, thống nhất giữa các sở, ban, ngành
            và chính quyền địa phương các cấp. | Nâng cao nhận thức, trách nhiệm của cán bộ, công chức, viên chức và
            Nhân dân về {t}. | Việc triển khai phải nghiêm túc, thiết thực, hiệu quả, tránh hình thức, lãng phí.""",
        "weakness": """Tuy nhiên, việc triển khai {t} ở một số địa phương còn chậm, chưa đáp ứng yêu cầu. | Công tác
            phối hợp giữa các cơ quan, đơn vị có lúc chưa chặt chẽ; chế độ thông tin, báo cáo chưa kịp thời. |
            Nguồn lực đầu tư còn hạn chế; đội ngũ cán bộ làm công tác chuyên môn ở cơ sở còn thiếu về số lượng. |
            Một số chỉ tiêu đạt thấp so với kế hoạch; nguyên nhân chủ yếu do tác động của thiên tai, dịch bệnh và
            giá cả nguyên vật liệu tăng cao.""",
        "task": """Quán triệt, tuyên truyền sâu rộng đến cán bộ, công chức, viên chức và Nhân dân về {t}. | Rà soát,
            phân công cán bộ theo dõi {t}; bố trí đủ kinh phí để thực hiện. | Định kỳ hằng quý, 6 tháng và năm báo
            cáo kết quả thực hiện về {lead} để tổng hợp. | Tăng cường kiểm tra, giám sát, kịp thời phát hiện và xử
            lý các tồn tại, hạn chế trong {t}.""",
        "finding": """Công tác chỉ đạo, điều hành {t} được triển khai kịp thời, đồng bộ. | Đã tổ chức {cnt_small}
            hội nghị quán triệt, tuyên truyền với {cnt} lượt người tham dự. | Đã ban hành {cnt_small} văn bản chỉ
            đạo, hướng dẫn triển khai {t}.""",
        "proposal": """Đề nghị {superior} quan tâm bố trí kinh phí để triển khai {t} trong năm {y1}. | Đề nghị các
            bộ, ngành Trung ương sớm ban hành văn bản hướng dẫn thực hiện các quy định mới về {t}. | Kiến nghị
            {superior} chỉ đạo các cơ quan liên quan phối hợp tháo gỡ khó khăn, vướng mắc.""",
        "situation": """Theo bản tin của Đài Khí tượng Thủy văn tỉnh, {t} đang diễn biến phức tạp, có nguy cơ ảnh
            hưởng trực tiếp đến tính mạng, tài sản của Nhân dân. | Thời gian qua, {t} {scope} đã được các cấp, các
            ngành quan tâm triển khai và đạt được nhiều kết quả tích cực.""",
    }.items()
}
AGENCIES = {
    kind: Bank(text, 0.1)
    for kind, text in {
        "province": """{lead} | Sở Tài chính | Sở Nội vụ | Công an tỉnh | Các sở, ban, ngành tỉnh | {lower} | Đề nghị
            Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội""",
        "district": """{lead} | Phòng Tài chính - Kế hoạch | Phòng Nội vụ | Công an {area} | Các cơ quan, đơn vị thuộc
            {area} | {lower}""",
        "commune": """{lead} | Công an {area} | Các thôn, tổ dân phố | Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam {area}
            và các đoàn thể""",
        "department": "Văn phòng | Các phòng chuyên môn, nghiệp vụ | Các đơn vị trực thuộc | {lower}",
        "ministry": "Các Vụ, Cục thuộc Bộ | Văn phòng Bộ | Thanh tra Bộ | {lower}",
    }.items()
}
AGENCIES["council"] = AGENCIES["province"]
COPIES = {
    "province": """Thường trực Tỉnh ủy (b/c) | Thường trực HĐND tỉnh | Chủ tịch, các PCT UBND tỉnh | Các sở, ban,
        ngành tỉnh | {lower} | Cổng Thông tin điện tử tỉnh""",
    "council": """Ủy ban Thường vụ Quốc hội | Thường trực Tỉnh ủy | UBND tỉnh | Đại biểu HĐND tỉnh | Các sở, ban,
        ngành tỉnh""",
    "department": "{superior} (b/c) | {heads} | Các phòng, đơn vị trực thuộc | {lower}",
    "ministry": "Bộ trưởng (để b/c) | Các Thứ trưởng | {lower} | Cổng Thông tin điện tử Bộ",
    "district": """TT {party}, TT HĐND {locality} | Chủ tịch, các PCT UBND {locality} | Các phòng, ban thuộc
        {locality} | {lower}""",
    "commune": "TT Đảng ủy, TT HĐND {locality} | Chủ tịch, các PCT UBND {locality} | {lower}",
    "premier": """Ban Bí thư Trung ương Đảng | Thủ tướng, các Phó Thủ tướng Chính phủ | Các bộ, cơ quan ngang bộ, cơ
        quan thuộc Chính phủ | {lower} | VPCP: BTCN, các PCN, Cổng TTĐT""",
}
COPIES_BANKS = {kind: Bank(text, 0.1) for kind, text in COPIES.items()}
FAMILIES = {"QĐ": "decision", "QC": "rules", "QyĐ": "rules", "NQ": "resolution", "CT": "directive", "CĐ": "telegram"}
FAMILIES |= {code: "plan" for code in ("KH", "CTr", "PA", "ĐA", "DA", "HD")}
FAMILIES |= {"BC": "report", "BB": "minutes", "TB": "notice", "GM": "invitation", "TTr": "submission"}
FAMILIES |= {"HĐ": "agreement", "BGN": "agreement", "BTT": "agreement"}


class _Writer:
    """A body's paragraphs and their word count, against a length drawn for the document."""

    def __init__(self, s: Slots, code: str, subject: str) -> None:
        self.s, self.code, self.rng = s, code, s.rng
        self.lines: list[str] = []
        self.words = 0
        self.target = 150 + int(self.rng.random() ** 1.4 * 330)
        core = subject.removeprefix("V/v ").removeprefix("Về việc ")
        self.core = core[:1].lower() + core[1:] if not core[:2].isupper() else core

    def add(self, template: str) -> None:
        text = self.s.fill(template)
        self.lines.append(text)
        self.words += text.count(" ") + text.count("\n") + 1

    def room(self, reserve: int = 80) -> bool:
        return self.words + reserve < self.target

    def bases(self, most: int = 3) -> None:
        """Căn cứ: the law organising the issuer, then the domain's laws in force on the day."""
        s, rng = self.s, self.rng
        kind, day = s.issuer.kind, s.day
        if kind in ("province", "district", "commune", "council"):
            for first, last, text in LAWS["org"][:3]:
                if first <= day <= last:
                    self.add(f"Căn cứ {text};")
        elif s.issuer.abbreviation == "TTg":
            for first, last, text in LAWS["gov"]:
                if first <= day <= last:
                    self.add(f"Căn cứ {text};")
        else:  # the act that organises a department or a ministry, of the year it took its present shape
            year = max(2016, s.issuer.start.year) + s.index % 4
            day_month = f"{(s.index * 3) % 27 + 1:02d}/{s.index % 9 + 1:02d}"
            act = f"Quyết định số {10 + (s.index * 7) % 40}/{year}/QĐ-UBND ngày {day_month}/{year} của Ủy ban nhân"
            act += " dân tỉnh"
            if kind == "ministry":
                act = f"Nghị định số {20 + (s.index * 13) % 150}/{year}/NĐ-CP ngày {day_month}/{year} của Chính phủ"
            self.add(f"Căn cứ {act} quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {s.issuer.name};")
        laws = [text for first, last, text in LAWS[s.domain.key] if first <= day <= last]
        for text in rng.sample(laws, min(len(laws), 1 + int(rng.random() * most))):
            self.add(f"Căn cứ {text};")

    def items(self, banks: tuple[Bank, ...], numbered: bool = True, most: int = 8, agencies: bool = False) -> None:
        pool = [item for bank in banks for item in bank.items]
        start = len(self.lines)
        who = AGENCIES[self.s.issuer.kind].items
        who = self.rng.sample(who, len(who))
        for n, item in enumerate(self.rng.sample(pool, min(most, len(pool))), 1):
            if n > 2 and not self.room():
                break
            prefix = f"{n}. " if numbered else "- "
            if agencies:
                prefix += _cap(self.s.fill(who[(n - 1) % len(who)])) + ": "
            self.add(prefix + item)
        if len(self.lines) == start:
            self.add("Tổ chức triển khai thực hiện nghiêm túc, hiệu quả.")

    def copies(self, first: str = "Như trên") -> None:
        s = self.s
        bank = COPIES_BANKS["premier" if s.issuer.abbreviation == "TTg" else s.issuer.kind]
        chosen = self.rng.sample(range(len(bank)), min(len(bank), 2 + int(self.rng.random() * 3)))
        picked = [bank.items[i] for i in sorted(chosen)]
        unit = s.get("unit") or s.issuer.units[0]
        lines = ["Nơi nhận:", f"- {first};", *(f"- {_cap(s.fill(p))};" for p in picked), f"- Lưu: VT, {unit}."]
        self.add("\n".join(lines))

    def pad(self, least: int = 155) -> None:
        """A short body gets the domain's findings before its closing, until it has its least length."""
        findings = self.rng.sample(self.s.domain.findings.items, len(self.s.domain.findings))
        while self.words < least and findings:
            text = self.s.fill(findings.pop())
            self.lines.insert(max(1, len(self.lines) - 2), text)
            self.words += text.count(" ") + 1

    def text(self) -> str:
        return "\n".join(self.lines)


def _decision(w: _Writer) -> None:
    s = w.s
    w.bases()
    if s.issuer.kind in ("province", "district", "commune") or s.issuer.abbreviation == "TTg":
        w.add(f"Theo đề nghị của {{lead_head}} tại Tờ trình số {{n}}/TTr-{{lead_abbr}} ngày {_short_date(s.day)}.")
    else:
        w.add("Xét đề nghị của Chánh Văn phòng {short}.")
    w.add("QUYẾT ĐỊNH:")
    if w.rng.random() < 0.6:
        w.add(f"Điều 1. {w.core[:1].upper()}{w.core[1:]}, với các nội dung chủ yếu sau:")
        w.items((s.domain.tasks, PROSE["task"]), most=5)
    else:
        w.add(f"Điều 1. {w.core[:1].upper()}{w.core[1:]} (chi tiết tại Phụ lục kèm theo).")
    w.add(
        "Điều 2. Giao {executor} chủ trì, phối hợp với các cơ quan, đơn vị liên quan tổ chức triển khai, hướng dẫn, "
        "kiểm tra việc thực hiện Quyết định này; định kỳ báo cáo {short} kết quả thực hiện."
    )
    w.add(
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. {office_chief}, {executor_head}, Thủ trưởng các cơ quan, "
        "đơn vị và cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./."
    )
    w.copies("Như Điều 3")


def _rules(w: _Writer) -> None:
    s = w.s
    w.add("Chương I. QUY ĐỊNH CHUNG")
    w.add("Điều 1. Phạm vi điều chỉnh và đối tượng áp dụng")
    scope = "áp dụng đối với các cơ quan, đơn vị, tổ chức và cá nhân có liên quan"
    w.add(f"Văn bản này quy định về {w.core.removeprefix('về ')}; {scope}.")
    w.add("Điều 2. Nguyên tắc thực hiện")
    w.add(PROSE["purpose"].pick(w.rng))
    w.add("Chương II. NỘI DUNG CỤ THỂ")
    w.add("Điều 3. Trách nhiệm của các cơ quan, đơn vị")
    w.items((s.domain.tasks, PROSE["task"]), most=6, agencies=True)
    w.add("Chương III. TỔ CHỨC THỰC HIỆN")
    w.add(
        "Điều 4. {lead} có trách nhiệm hướng dẫn, theo dõi, kiểm tra việc thực hiện; trong quá trình thực hiện, nếu "
        "có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về {lead} để tổng hợp, báo cáo {short} xem xét./."
    )


def _resolution(w: _Writer) -> None:
    s = w.s
    w.add("HỘI ĐỒNG NHÂN DÂN TỈNH HÀ SƠN KHÓA {khoa}, KỲ HỌP THỨ {sitting}")
    w.bases(2)
    w.add(
        "Xét Tờ trình số {n}/TTr-UBND của Ủy ban nhân dân tỉnh; Báo cáo thẩm tra của Ban Kinh tế - Ngân sách Hội "
        "đồng nhân dân tỉnh; ý kiến thảo luận của đại biểu Hội đồng nhân dân tỉnh tại kỳ họp."
    )
    w.add("QUYẾT NGHỊ:")
    w.add(f"Điều 1. {w.core[:1].upper()}{w.core[1:]}, cụ thể như sau:")
    w.items((s.domain.tasks, PROSE["task"]), most=5)
    w.add("Điều 2. Tổ chức thực hiện")
    w.add("1. Giao Ủy ban nhân dân tỉnh tổ chức triển khai thực hiện Nghị quyết.")
    w.add(
        "2. Giao Thường trực Hội đồng nhân dân, các Ban, các Tổ đại biểu và đại biểu Hội đồng nhân dân tỉnh giám sát "
        "việc thực hiện Nghị quyết."
    )
    w.add(
        f"Nghị quyết này đã được Hội đồng nhân dân tỉnh Hà Sơn khóa {{khoa}}, kỳ họp thứ {{sitting}} thông qua "
        f"{_long_date(s.day)} và có hiệu lực từ {_long_date(s.day + timedelta(days=10))}./."
    )
    w.copies("Như Điều 2")


def _directive(w: _Writer) -> None:
    s = w.s
    w.add(PROSE["situation"].items[1] + " " + PROSE["weakness"].pick(w.rng))
    w.add(f"Để khắc phục tình trạng trên, {s.issuer.head} {s.issuer.chair_org} yêu cầu:")
    w.items((s.domain.tasks, PROSE["task"]), most=7, agencies=True)
    w.add(
        "Yêu cầu Thủ trưởng các cơ quan, đơn vị, Chủ tịch {lower} nghiêm túc triển khai thực hiện Chỉ thị này; giao "
        "{lead} theo dõi, đôn đốc, định kỳ báo cáo {short} kết quả thực hiện./."
    )
    w.copies()


def _telegram(w: _Writer) -> None:
    s = w.s
    w.add(f"{s.issuer.head.upper()} {s.issuer.chair_org.upper()} điện:")
    w.add("- {lower};\n- Các sở, ban, ngành có liên quan.")
    w.add(PROSE["situation"].items[0 if s.domain.key == "disaster" else 1])
    w.add("Để chủ động phòng ngừa, hạn chế thấp nhất thiệt hại, yêu cầu các cơ quan, đơn vị tập trung thực hiện:")
    w.items((s.domain.tasks, DOMAINS["disaster"].tasks), most=7)
    w.add("Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc thực hiện, báo cáo kết quả trước ngày {due}./.")
    w.copies()


def _plan(w: _Writer) -> None:
    s = w.s
    if w.rng.random() < 0.5:
        w.bases(2)
    label = DOCUMENT_TYPES[w.code]
    w.add(f"Thực hiện {{ref}}, {{short}} ban hành {label} {w.core} với các nội dung như sau:")
    w.add("I. MỤC ĐÍCH, YÊU CẦU")
    for line in w.rng.sample(PROSE["purpose"].items, 2):
        w.add(line)
    w.add("II. NHIỆM VỤ, GIẢI PHÁP")
    w.items((s.domain.tasks, PROSE["task"]), most=8)
    w.add("III. TỔ CHỨC THỰC HIỆN")
    w.add(
        "1. {executor}: Chủ trì, phối hợp với các cơ quan, đơn vị liên quan hướng dẫn, đôn đốc triển khai; tổng hợp, "
        "báo cáo {short} trước ngày {due}."
    )
    w.add("2. Các sở, ban, ngành: Căn cứ chức năng, nhiệm vụ, xây dựng kế hoạch cụ thể để triển khai thực hiện.")
    w.add(
        "3. {Lower}: Tổ chức triển khai trên địa bàn; nếu có khó khăn, vướng mắc, kịp thời phản ánh về {lead} để tổng "
        "hợp, báo cáo {short} xem xét, giải quyết./."
    )
    w.copies()


def _report(w: _Writer) -> None:
    s = w.s
    w.add(f"Thực hiện {{ref}}, {{short}} báo cáo {w.core} như sau:")
    w.add("I. KẾT QUẢ ĐẠT ĐƯỢC")
    w.items((s.domain.findings, PROSE["finding"]), numbered=False, most=5)
    w.add("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    w.add(PROSE["weakness"].pick(w.rng))
    w.add("III. NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI")
    w.items((s.domain.tasks,), most=4)
    w.add("IV. KIẾN NGHỊ, ĐỀ XUẤT")
    w.add(PROSE["proposal"].pick(w.rng))
    w.add("Trên đây là báo cáo của {short}, kính gửi {superior} xem xét, chỉ đạo./.")
    w.copies()


def _minutes(w: _Writer) -> None:
    s = w.s
    name, title = s.leader()
    hour = 8 + int(w.rng.random() * 7)
    w.add(f"Hôm nay, vào hồi {hour} giờ 00 phút {_long_date(s.day)}, tại {{venue}}, tiến hành {w.core}.")
    w.add("I. THÀNH PHẦN")
    w.add(f"1. Đại diện {{short}}: {name}, {title} - chủ trì.")
    w.add("2. Đại diện {partners} và các cơ quan, đơn vị có liên quan.")
    w.add("II. NỘI DUNG")
    w.items((s.domain.findings, PROSE["finding"]), numbered=False, most=4)
    w.add("III. KẾT LUẬN")
    w.items((s.domain.tasks,), most=4)
    w.add(
        f"Biên bản kết thúc vào hồi {hour + 2} giờ cùng ngày, đã được đọc lại cho các thành viên cùng nghe và thống "
        "nhất ký tên./."
    )


def _notice(w: _Writer) -> None:
    s = w.s
    w.add(
        f"Ngày {_short_date(s.day - timedelta(days=2))}, tại {{venue}}, {{chair}} đã chủ trì cuộc họp về {{t}}. "
        "Tham dự cuộc họp có đại diện lãnh đạo {partners} và các cơ quan, đơn vị có liên quan."
    )
    w.add("Sau khi nghe báo cáo và ý kiến phát biểu của các đại biểu dự họp, chủ trì cuộc họp kết luận như sau:")
    w.add(PROSE["finding"].items[0])
    w.items((s.domain.tasks, PROSE["task"]), most=6)
    w.add("{short} thông báo để các cơ quan, đơn vị, địa phương biết, thực hiện./.")
    w.copies()


def _invitation(w: _Writer) -> None:
    s = w.s
    w.add("Trân trọng kính mời: Đại diện lãnh đạo {partners}; các cơ quan, đơn vị có liên quan; {lower}.")
    w.add(f"Tham dự: {w.core.removeprefix('mời dự ').removeprefix('mời ')}.")
    w.add("Chủ trì: {chair}.")
    w.add(f"Thời gian: {8 + int(w.rng.random() * 7)} giờ 00, ngày {_short_date(s.day + timedelta(days=3))}.")
    w.add("Địa điểm: {venue}.")
    w.add("Giao {executor} chuẩn bị nội dung báo cáo, gồm:")
    w.items((s.domain.tasks, PROSE["task"]), most=5)
    w.add("Đề nghị các đại biểu bố trí thời gian tham dự đúng thành phần, đúng giờ./.")
    w.copies()


def _submission(w: _Writer) -> None:
    s = w.s
    superior = "Hội đồng nhân dân tỉnh" if s.issuer.kind == "province" else s.issuer.superior
    w.add(f"Kính gửi: {superior}.")
    w.bases(2)
    w.add("I. SỰ CẦN THIẾT")
    w.add(PROSE["situation"].items[1] + " " + PROSE["weakness"].pick(w.rng))
    w.add("II. NỘI DUNG ĐỀ NGHỊ")
    w.add(f"{{short}} kính trình {superior} xem xét, {w.core.removeprefix('đề nghị ')} với các nội dung sau:")
    w.items((s.domain.tasks, PROSE["task"]), most=6)
    w.add("III. HỒ SƠ KÈM THEO: Dự thảo văn bản; báo cáo thẩm định; bản tổng hợp, tiếp thu ý kiến góp ý.")
    w.add(f"{{short}} kính trình {superior} xem xét, quyết định./.")
    w.copies("Như trên")


def _agreement(w: _Writer) -> None:
    """A contract, memorandum or agreement: the parties, then the articles."""
    s = w.s
    w.add("Căn cứ Bộ luật Dân sự ngày 24 tháng 11 năm 2015;")
    if w.code == "HĐ":
        law = "ngày 23 tháng 6 năm 2023" if s.day >= date(2024, 1, 1) else "ngày 26 tháng 11 năm 2013"
        w.add(f"Căn cứ Luật Đấu thầu {law};")
    w.add(f"Hôm nay, {_long_date(s.day)}, tại {{venue}}, chúng tôi gồm:")
    name, title = s.leader()
    w.add(f"BÊN A: {s.issuer.name}. Đại diện: {name}, {title}.")
    partner = "{company}" if w.code == "HĐ" else "{partner}"
    w.add(f"BÊN B: {partner}. Đại diện: {_person(w.rng)[0]}, Giám đốc.")
    w.add(f"Hai bên thống nhất ký kết {DOCUMENT_TYPES[w.code].lower()} với các điều khoản sau:")
    w.add(f"Điều 1. Nội dung: {w.core}.")
    w.add("Điều 2. Trách nhiệm của các bên")
    w.items((s.domain.tasks, PROSE["task"]), most=5)
    if w.code == "HĐ":
        w.add(
            "Điều 3. Giá trị hợp đồng: {money_small} triệu đồng (đã bao gồm thuế giá trị gia tăng), thanh toán bằng "
            "chuyển khoản theo tiến độ thực hiện."
        )
    article = 4 if w.code == "HĐ" else 3
    w.add(
        f"Điều {article}. Hiệu lực: Văn bản có hiệu lực kể từ ngày ký, được lập thành 06 bản có giá trị pháp lý "
        "như nhau, mỗi bên giữ 03 bản./."
    )


def _letter(w: _Writer) -> None:
    """A công văn and the small types: a request downwards, or a report or request upwards."""
    s = w.s
    if w.core.startswith(("báo cáo", "đề nghị")) or w.rng.random() < 0.15:
        w.add("Kính gửi: {superior}.")
        w.add("Thực hiện {ref}, {short} báo cáo {superior} một số nội dung về {t} như sau:")
        w.items((s.domain.findings, PROSE["finding"]), numbered=False, most=4)
        w.add(PROSE["weakness"].pick(w.rng))
        w.add(PROSE["proposal"].pick(w.rng))
        w.add("{short} kính báo cáo {superior} xem xét, chỉ đạo./.")
        w.copies()
        return
    w.add("Kính gửi: {Lower}; các cơ quan, đơn vị có liên quan.")
    w.add("Thực hiện {ref}, {short} đề nghị các cơ quan, đơn vị thực hiện một số nội dung về {t} như sau:")
    w.items((s.domain.tasks, PROSE["task"]), most=7)
    w.add("Báo cáo kết quả thực hiện gửi về {short} trước ngày {due} để tổng hợp, báo cáo {superior}.")
    contact = _person(w.rng)[0]
    phone = f"0{203 + int(w.rng.random() * 60)}.{3800 + int(w.rng.random() * 199)}.{int(w.rng.random() * 1000):03d}"
    w.add(f"Thông tin chi tiết liên hệ: {contact}, điện thoại {phone}.")
    w.add("Đề nghị các cơ quan, đơn vị quan tâm phối hợp thực hiện./.")
    w.copies()


BODY_BUILDERS: dict[str, Callable[[_Writer], None]] = {
    "decision": _decision,
    "rules": _rules,
    "resolution": _resolution,
    "directive": _directive,
    "telegram": _telegram,
    "plan": _plan,
    "report": _report,
    "minutes": _minutes,
    "notice": _notice,
    "invitation": _invitation,
    "submission": _submission,
    "agreement": _agreement,
    "letter": _letter,
}
SLOT_MAKERS["superior"] = lambda s: s.issuer.superior


def generate(count: int, seed: int = DEFAULT_SEED, *, bodies: bool = True) -> Iterator[GeneratedDocument]:
    """`count` documents in the order of their dates. The metadata comes from one generator and the bodies from
    another, so that `bodies=False` (much faster) gives the same documents without their text."""
    stream = _Stream(seed)
    rng = stream.meta
    for day in _days(rng, count):
        outgoing = rng.random() < 0.4
        index = stream.issuer_on(day, outgoing)
        issuer = ISSUERS[index]
        code = _choose(rng, stream.types[index])
        own = 0.9 if issuer.kind in ("department", "ministry") else 0.7
        if code == "CĐ" and rng.random() < 0.7:
            domain = DOMAINS["disaster"]
        elif issuer.domains and rng.random() < own:
            domain = DOMAINS[issuer.domains[int(rng.random() * len(issuer.domains))]]
        else:
            domain = _choose(rng, DOMAIN_TABLE)
        s = Slots(stream, issuer, index, day, domain)
        unit = issuer.units[int(rng.random() * len(issuer.units))]
        s["unit"] = unit
        subject = _subject(s, code)
        secrecy = _secrecy(rng, domain)
        number = stream.number(index, day, secrecy != Secrecy.NORMAL)
        signer_name, signer_position = _signer(s, code)
        urgency = _urgency(rng, code)
        body = ""
        if bodies:
            s.rng = stream.text
            writer = _Writer(s, code, subject)
            BODY_BUILDERS[FAMILIES.get(code, "letter")](writer)
            writer.pad()
            body = writer.text()
        yield GeneratedDocument(
            direction=str(Direction.OUTGOING if outgoing else Direction.INCOMING),
            document_type=code,
            number=str(number),
            notation=_notation(issuer, code, unit),
            issuer=issuer.name,
            issuer_code=issuer.code,
            issued_on=day,
            subject=subject,
            signer_name=signer_name,
            signer_position=signer_position,
            urgency=str(urgency),
            secrecy=str(secrecy),
            body=body,
        )


# --- Queries ----------------------------------------------------------------------------------------------


class FieldQuery(TypedDict):
    q: str
    filters: dict[str, str | int]  # the names of the document list's filters: issuer, year, document_type, ...


Query = str | FieldQuery

# Phrases a clerk types, in quotes, to find a subject; those absent from the documents generated are left out.
PHRASES = """khen thưởng | chuyển đổi số | cải cách hành chính | ngân sách nhà nước | đầu tư công | giải phóng mặt
    bằng | quyền sử dụng đất | nông thôn mới | an toàn giao thông | thủ tục hành chính | tiếp công dân | kỷ luật |
    Bằng khen | thi đua | tuyển dụng | bổ nhiệm | phòng cháy | bão số | mưa lũ | thiên tai | dịch bệnh | tiêm chủng |
    an toàn thực phẩm | năm học | tốt nghiệp | sách giáo khoa | chữ ký số | dịch vụ công | Đề án 06 | tài sản công |
    dự toán | quyết toán | thu hồi đất | tái định cư | giá đất | trật tự xây dựng | nhà ở xã hội | môi trường | rác
    thải | khoáng sản | du lịch | lễ hội | di tích | ma túy | bí mật nhà nước | nhập ngũ | hộ nghèo | người có công |
    bảo hiểm xã hội | thương mại điện tử | quản lý thị trường | Tết Nguyên đán | kinh tế - xã hội | giao ban |
    Ban Chỉ đạo | tham nhũng | khiếu nại | thanh tra | biên chế | vị trí việc làm | cá lồng | sạt lở | hồ chứa |
    OCOP | xảo quyệt | lừa đảo | Quốc lộ | đường tỉnh | cả nước | nghỉ phép | hiệp y"""
# Two-syllable words of the subjects, the unit a person searches with (a syllable alone is rarely a word).
WORDS = frozenset(
    Bank("""kết quả | kế hoạch | báo cáo | quản lý | xây dựng | kiểm tra | phát triển | bảo đảm | chỉ đạo | xã hội |
    nhà nước | tổng kết | ngân sách | hành chính | an toàn | tình hình | kinh tế | tăng cường | tổ chức | dự toán |
    giao thông | đánh giá | khen thưởng | y tế | dự án | cải cách | phổ thông | nhân dân | thông tin | giáo dục |
    thủ tục | thi đua | chương trình | môi trường | thành phố | viên chức | tuyển dụng | thanh tra | đất đai | du lịch |
    lễ hội | di tích | thiên tai | dịch bệnh | tiêm chủng | thực phẩm | nông thôn | sản xuất | chăn nuôi | thủy sản |
    học sinh | giáo viên | trường học | năm học | tài sản | đầu tư | giải ngân | quyết toán | kinh phí | bổ nhiệm |
    kỷ luật | biên chế | công chức | cán bộ | khiếu nại | tố cáo | tham nhũng | công dân | chuyển đổi | điện tử |
    dữ liệu | chữ ký | trực tuyến | an ninh | trật tự | ma túy | lừa đảo | bí mật | nhập ngũ | hộ nghèo | việc làm |
    bảo hiểm | thương mại | thị trường | xuất khẩu | doanh nghiệp | hợp tác | khoáng sản | rác thải | ô nhiễm |
    sạt lở | mưa lũ | hồ chứa | giải phóng | mặt bằng | giá đất | quy hoạch | nhà ở | giấy phép | công trình |
    đô thị | triển khai | hướng dẫn | phê duyệt | ban hành | thành lập | kiện toàn | phối hợp | đề án | chính sách |
    danh hiệu | tập thể | cá nhân | thành tích | xuất sắc | nghị quyết | kinh doanh | cơ sở | hỗ trợ | giảm nghèo |
    văn hóa | thể thao | quốc gia | biến đổi | khí hậu | phòng cháy | chữa cháy | tội phạm | căn cước | bệnh viện |
    khám bệnh | chữa bệnh | cây trồng | vật nuôi | hạ tầng | đường bộ | vận tải | tai nạn | hành lang | lãnh đạo |
    tiếp nhận | giải quyết | kiến nghị | cử tri | văn thư | lưu trữ | thống kê | chữ ký số | xử lý""").items
)
STOPWORDS = {
    *("v/v", "ve", "viec", "cua", "va", "cac", "cho", "nam", "tai", "tren", "theo", "den", "voi", "tu", "trong"),
    *("so", "nhung", "mot", "la", "thuc", "hien", "nhu", "sau", "doi", "de", "nghi", "cong", "tac", "o", "giai"),
    *("doan", "thang", "quy", "hoc", "i", "ii", "iii", "iv", "v"),
}
AMBIGUOUS_WORDS = ("bao", "ca", "duong", "quyet", "thu", "ho", "chi", "dau", "tu", "ban", "dich", "phong")


def fold(text: str) -> str:
    """Lower case without diacritics ("đ" to "d"), the way the document list matches a query."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").casefold()


@functools.lru_cache(maxsize=4)
def _headers(count: int, seed: int) -> tuple[GeneratedDocument, ...]:
    return tuple(generate(count, seed, bodies=False))


def _tokens(subject: str) -> list[str]:
    return [w for w in re.findall(r"[\wđĐ]+", subject.lower()) if not w.isdigit()]


def _pairs(subject: str) -> list[str]:
    """The two-syllable words of a subject that are in WORDS."""
    words = re.findall(r"[\wđĐ]+|[^\w\s]", subject.lower())
    return [pair for pair in (f"{a} {b}" for a, b in itertools.pairwise(words)) if pair in WORDS]


def sample_queries(
    seed: int = 1, *, count: int = 100_000, documents_seed: int = DEFAULT_SEED
) -> dict[str, list[Query]]:
    """Fifty queries of each kind, all with results in `generate(count, documents_seed)`:

    - word: one folded syllable ("thuong"), from the subjects' words by rank, frequent to rare, and the syllables
      whose folded form stands for several ("bao": bảo, bão, báo);
    - phrase: a quoted phrase with diacritics ('"khen thưởng"');
    - field: {"q": words, "filters": {"issuer": ..., "year": ..., "document_type": ..., "direction": ...}}, the
      filters named as the document list names them;
    - notation: "123/QĐ-UBND", as the documents carry it;
    - faceted: a common two-syllable word whose documents span many types and years.
    """
    rng = random.Random(seed)
    documents = _headers(count, documents_seed)
    sample = documents[:: max(1, len(documents) // 20000)]
    by_word: Counter[str] = Counter()
    by_pair: Counter[str] = Counter()
    types: dict[str, set[str]] = defaultdict(set)
    years: dict[str, set[int]] = defaultdict(set)
    for doc in sample:
        for word in _tokens(doc.subject):
            if fold(word) not in STOPWORDS:
                by_word[fold(word)] += 1
        for pair in dict.fromkeys(_pairs(doc.subject)):
            by_pair[pair] += 1
            types[pair].add(doc.document_type)
            years[pair].add(doc.issued_on.year)
    ranked = [w for w, _ in by_word.most_common()]
    words: list[Query] = [w for w in AMBIGUOUS_WORDS if w in by_word]
    while len(words) < 50:
        word = ranked[min(len(ranked) - 1, int(len(ranked) ** rng.random()) - 1)]
        if word not in words:
            words.append(word)
    subjects = " | ".join(doc.subject.lower() for doc in sample)
    present = [p for p in Bank(PHRASES).items if p.lower() in subjects]
    phrases: list[Query] = [f'"{p}"' for p in rng.sample(present, min(50, len(present)))]
    fields: list[Query] = []
    for doc in rng.sample(documents, 50):
        candidates = [p for p in present if p.lower() in doc.subject.lower()] or _pairs(doc.subject)
        candidates = candidates or [w for w in _tokens(doc.subject) if fold(w) not in STOPWORDS]
        filters: dict[str, str | int] = {}
        if rng.random() < 0.6:
            filters["issuer"] = doc.issuer
        if rng.random() < 0.7 or not filters:
            filters["year"] = doc.issued_on.year
        if rng.random() < 0.3:
            filters["document_type"] = doc.document_type
        if rng.random() < 0.2:
            filters["direction"] = doc.direction
        fields.append({"q": candidates[int(rng.random() * len(candidates))], "filters": filters})
    notations: list[Query] = [f"{d.number}/{d.notation}" for d in rng.sample(documents, 50)]
    spread = [p for p, _ in by_pair.most_common() if len(types[p]) >= 8 and len(years[p]) >= 10]
    faceted: list[Query] = spread[:50]
    return {"word": words, "phrase": phrases, "field": fields, "notation": notations, "faceted": faceted}


# --- Command line -----------------------------------------------------------------------------------------


def _show(doc: GeneratedDocument) -> str:
    return "\n".join(
        [
            "=" * 100,
            f"{doc.issuer} ({doc.issuer_code})  Số: {doc.number}/{doc.notation}  {_long_date(doc.issued_on)}",
            f"{DOCUMENT_TYPES[doc.document_type].upper()} [{doc.direction}, {doc.urgency}, {doc.secrecy}]",
            doc.subject,
            "-" * 100,
            doc.body,
            "-" * 100,
            f"{doc.signer_position}: {doc.signer_name}",
        ]
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.vndocs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5, help="documents to print")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--timing", type=int, default=100_000, help="documents to time (0: none)")
    parser.add_argument("--queries", action="store_true", help="print the sample queries too")
    args = parser.parse_args(argv)
    documents = list(generate(max(args.count, 1) * 200, args.seed))
    for doc in random.Random(args.seed).sample(documents, args.count):
        print(_show(doc))
    if args.queries:
        for kind, queries in sample_queries().items():
            print(f"{kind}: {queries}")
    if args.timing:
        started = time.perf_counter()
        words = sum(len(d.body.split()) for d in generate(args.timing, args.seed))
        elapsed = time.perf_counter() - started
        print(f"{args.timing:,} documents with bodies ({words:,} words) in {elapsed:.1f} s", file=sys.stderr)
        started = time.perf_counter()
        for _ in generate(args.timing, args.seed, bodies=False):
            pass
        print(f"{args.timing:,} without bodies in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
