"""The UCI "Online Retail" files (and "Online Retail II") as marketplace history: reading, grouping and
the mapping rules, with no database (``marketplace.importers.services`` writes what these describe).

One file row is one invoice line: ``InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice,
CustomerID, Country`` (Online Retail II names them ``Invoice, ..., Price, Customer ID, ...``; the header
says which). The rules, each a function below:

* **Invoices** (``invoice_kind``): a number starting with ``C`` is a cancellation, with ``A`` a bad-debt
  adjustment (not a sale: skipped), anything else a sale. An invoice's rows are contiguous in the file
  except for a few (one in Online Retail, 655 in Online Retail II); ``FileScan`` finds those and
  ``invoices_group`` holds their rows back until the last one, so each invoice is seen once, whole.
  Its time is its earliest ``InvoiceDate``, wall-clock time in Europe/London.
* **Codes** (``code_kind``): ``POST``, ``DOT``, ``C2`` are postage (the order's shipping); ``D`` is a
  discount (the order's discount, shared over its lines); ``M``, ``S``, ``PADS``, ``BANK CHARGES``,
  ``AMAZONFEE``, ``CRUK``, ``B`` are other charges: a sale's charge becomes an order line without a
  catalog SKU (in the order's total, never a product). Every other code is a product with one SKU,
  ``OLR-<StockCode>``.
* **A sale** (``order_plan``) becomes one paid, completed order when it has a row with a positive
  quantity that is priced or belongs to a customer; rows with a quantity of 0 or less in a sale are stock
  corrections ("damaged", "found", "?") and are left out, and so is an invoice made only of them.
  Rows without a CustomerID are a guest's order.
* **A cancellation** (``cancellation_plan``, ``cancellation_match``) refunds the customer's goods: each
  cancelled code against the same customer's most recent earlier line(s) of that SKU with units left to
  refund, priced from those lines like a refund in the shop (the last units get what is left of the line
  total); cancelled postage against the shipping of that order (else the latest earlier order with
  shipping left). What finds nothing to refund — a guest's cancellation, goods bought before the file
  starts, a ``D`` discount granted afterwards — is reported, not imported.
* **Money** (``minor_units``, ``line_price``): exact ``Decimal`` parsing; a line total is quantity x unit
  price rounded half-even to the minor unit (pence). A unit price with fractions of a penny (``PADS`` at
  0.001) keeps that exact line total: the unit price becomes the total divided by the quantity rounded
  up, and the difference (under one minor unit per unit) is a line discount, so ``total = unit price *
  quantity - discount`` holds on every line.
* **Catalog** (``catalog_items``): a product's title is its most frequent description on priced sale
  rows (the first of equally frequent ones; other rows carry notes like "damaged"); its price the most
  frequent unit price on those rows; its category the first ``CATEGORY_RULES`` keyword found in the
  title (else "Imported"); its stock on hand one average month of sales: units sold in the file divided by
  the calendar months the file spans, rounded up (0 for a code never sold).
"""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import IO, NamedTuple
from zoneinfo import ZoneInfo

SOURCE = "online-retail"
ORDER_PREFIX = "OR-"
SKU_PREFIX = "OLR-"
EMAIL_DOMAIN = "import.invalid"
LOCAL_TIMEZONE = ZoneInfo("Europe/London")

# Our name of a column -> its header in Online Retail, then in Online Retail II.
HEADERS: dict[str, tuple[str, ...]] = {
    "invoice": ("InvoiceNo", "Invoice"),
    "code": ("StockCode",),
    "description": ("Description",),
    "quantity": ("Quantity",),
    "date": ("InvoiceDate",),
    "price": ("UnitPrice", "Price"),
    "customer": ("CustomerID", "Customer ID"),
    "country": ("Country",),
}


class FileFormatError(ValueError):
    """The file is not an Online Retail file, or a row of it cannot be read."""


class InvoiceKind(StrEnum):
    SALE = "sale"
    CANCELLATION = "cancellation"
    ADJUSTMENT = "adjustment"


class CodeKind(StrEnum):
    PRODUCT = "product"
    SHIPPING = "shipping"
    DISCOUNT = "discount"
    CHARGE = "charge"


SHIPPING_CODES = frozenset({"POST", "DOT", "C2"})
DISCOUNT_CODES = frozenset({"D"})
CHARGE_CODES = frozenset({"M", "S", "PADS", "BANK CHARGES", "AMAZONFEE", "CRUK", "B"})


# --- reading --------------------------------------------------------------------------------------------


class Row(NamedTuple):
    position: int  # 0-based position among the file's data rows
    invoice: str
    code: str
    description: str
    quantity: int
    date: str  # "YYYY-MM-DD HH:MM:SS", Europe/London wall-clock time (parsed once per invoice)
    price: Decimal
    customer: str  # "" for a guest
    country: str


def columns_detect(header: Sequence[str]) -> dict[str, int]:
    """Position of each column we read, from either file's header (Online Retail or Online Retail II)."""
    names = [name.strip().lstrip("\ufeff") for name in header]
    found: dict[str, int] = {}
    for ours, theirs in HEADERS.items():
        position = next((names.index(name) for name in theirs if name in names), None)
        if position is not None:
            found[ours] = position
    missing = [HEADERS[ours][0] for ours in HEADERS if ours not in found]
    if missing:
        raise FileFormatError(f"not an Online Retail file: no {', '.join(missing)} column in {names}")
    return found


def file_format(header: Sequence[str]) -> str:
    return "Online Retail II" if "Invoice" in [name.strip() for name in header] else "Online Retail"


def customer_normalise(value: str) -> str:
    """CustomerID as its digits: "12346", also from a float-typed export ("12346.0")."""
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    return value


def row_parse(index: int, values: Sequence[str], columns: Mapping[str, int]) -> Row:
    try:
        return Row(
            position=index,
            invoice=values[columns["invoice"]].strip(),
            code=values[columns["code"]].strip(),
            description=values[columns["description"]].strip(),
            quantity=int(values[columns["quantity"]]),
            date=values[columns["date"]].strip(),
            price=Decimal(values[columns["price"]].strip()),
            customer=customer_normalise(values[columns["customer"]]),
            country=values[columns["country"]].strip(),
        )
    except (IndexError, ValueError, InvalidOperation) as exc:
        raise FileFormatError(f"data row {index + 1}: cannot read {list(values)!r} ({exc})") from exc


def _text_open(path: Path | str) -> IO[str]:
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", newline="", encoding="utf-8")
    return open(path, newline="", encoding="utf-8")


def header_read(path: Path | str) -> list[str]:
    with _text_open(path) as handle:
        return next(csv.reader(handle), [])


def rows_read(path: Path | str, *, limit: int | None = None) -> Iterator[Row]:
    """The file's rows (gzip or plain CSV), streamed. With ``limit`` only the first ``limit`` rows, and
    only whole invoices: an invoice the limit cuts in two is left out."""
    with _text_open(path) as handle:
        yield from rows_from_text(handle, limit=limit)


def rows_from_text(handle: Iterable[str], *, limit: int | None = None) -> Iterator[Row]:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        return
    columns = columns_detect(header)
    run: list[Row] = []  # the rows of the invoice being read, held until the next invoice starts
    for index, values in enumerate(reader):
        row = row_parse(index, values, columns)
        if limit is not None and index >= limit:
            if run and row.invoice != run[0].invoice:
                yield from run
            return
        if run and row.invoice != run[0].invoice:
            yield from run
            run = []
        run.append(row)
    yield from run


def local_time(text: str) -> datetime:
    """An InvoiceDate (London wall-clock time) as an aware datetime."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        return moment.astimezone(LOCAL_TIMEZONE)
    return moment.replace(tzinfo=LOCAL_TIMEZONE)


# --- codes and invoices ---------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def invoice_kind(number: str) -> InvoiceKind:
    prefix = number[:1].upper()
    if prefix == "C":
        return InvoiceKind.CANCELLATION
    if prefix == "A":
        return InvoiceKind.ADJUSTMENT
    return InvoiceKind.SALE


@lru_cache(maxsize=16384)
def code_kind(code: str) -> CodeKind:
    upper = code.strip().upper()
    if upper in SHIPPING_CODES:
        return CodeKind.SHIPPING
    if upper in DISCOUNT_CODES:
        return CodeKind.DISCOUNT
    if upper in CHARGE_CODES:
        return CodeKind.CHARGE
    return CodeKind.PRODUCT


@lru_cache(maxsize=16384)
def sku_for(code: str) -> str:
    """The SKU of a code's lines: ``OLR-85123A`` (other codes upper-cased: ``m`` and ``M`` are one charge)."""
    code = code.strip()
    return SKU_PREFIX + (code if code_kind(code) is CodeKind.PRODUCT else code.upper())


def order_number(invoice: str) -> str:
    return ORDER_PREFIX + invoice


def customer_email(customer: str) -> str:
    return f"customer-{customer}@{EMAIL_DOMAIN}"


def guest_email(invoice: str) -> str:
    return f"guest-{invoice.lower()}@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Invoice:
    number: str
    rows: tuple[Row, ...]

    @property
    def kind(self) -> InvoiceKind:
        return invoice_kind(self.number)

    @property
    def customer(self) -> str:
        return next((row.customer for row in self.rows if row.customer), "")

    @property
    def country(self) -> str:
        return self.rows[0].country

    @property
    def at(self) -> datetime:
        """The invoice's time: its earliest row's (a few invoices' rows straddle a minute)."""
        return local_time(min(row.date for row in self.rows))


def invoices_group(rows: Iterable[Row], *, split_last: Mapping[str, int]) -> Iterator[Invoice]:
    """Group contiguous rows into invoices; rows of an invoice split over the file (``split_last``: its
    last row's position, from ``FileScan``) are held back until that last row, then yielded whole."""
    held: dict[str, list[Row]] = {}
    current: list[Row] = []
    for row in rows:
        if row.invoice in split_last:
            held.setdefault(row.invoice, []).append(row)
            if row.position == split_last[row.invoice]:
                if current:
                    yield Invoice(current[0].invoice, tuple(current))
                    current = []
                yield Invoice(row.invoice, tuple(held.pop(row.invoice)))
            continue
        if current and current[0].invoice != row.invoice:
            yield Invoice(current[0].invoice, tuple(current))
            current = []
        current.append(row)
    if current:
        yield Invoice(current[0].invoice, tuple(current))
    for number, chunk in held.items():  # only when a limit cut the file before an invoice's last row
        yield Invoice(number, tuple(chunk))


# --- money ----------------------------------------------------------------------------------------------


def minor_units(amount: Decimal, *, exponent: int = 2) -> int:
    """A major-unit amount in minor units, rounded half-even (the one rounding of this import)."""
    return int(amount.scaleb(exponent).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class LinePrice:
    unit: int
    subtotal: int  # unit * quantity
    discount: int  # subtotal - total: rounding of a price with fractions of a minor unit
    total: int


def line_price(quantity: int, price: Decimal, *, exponent: int = 2) -> LinePrice:
    """A line of ``quantity`` (> 0) at ``price`` (>= 0): its total is exact to the minor unit, half-even."""
    unit = minor_units(price, exponent=exponent)
    if price.scaleb(exponent) == unit:  # no fraction of a minor unit: nothing to round
        return LinePrice(unit=unit, subtotal=unit * quantity, discount=0, total=unit * quantity)
    total = minor_units(price * quantity, exponent=exponent)
    if unit * quantity != total:
        unit = -(-total // quantity)
    return LinePrice(unit=unit, subtotal=unit * quantity, discount=unit * quantity - total, total=total)


def discount_allocate(discount: int, totals: Sequence[int]) -> list[int]:
    """Share an order discount over lines in proportion to their totals (largest remainders get the
    units left over), capped at the lines' sum: no line is discounted below zero."""
    whole = sum(totals)
    discount = max(0, min(discount, whole))
    if not discount:
        return [0] * len(totals)
    shares = [discount * total // whole for total in totals]
    by_remainder = sorted(range(len(totals)), key=lambda i: (-(discount * totals[i] % whole), -totals[i], i))
    for i in by_remainder[: discount - sum(shares)]:
        shares[i] += 1  # a line with a remainder has room: its floor share is below its total
    return shares


# --- the file scan (first pass): catalog and file shape ----------------------------------------------


@dataclass
class CodeStats:
    descriptions: Counter[str] = field(default_factory=Counter)  # on priced sale rows
    other_descriptions: Counter[str] = field(default_factory=Counter)
    prices: Counter[Decimal] = field(default_factory=Counter)
    units_sold: int = 0
    first_sold: str = ""


@dataclass
class FileScan:
    """What the first pass over the file learns, in memory bounded by the number of codes and invoices."""

    rows: int = 0
    invoices: int = 0
    first_date: str = ""
    last_date: str = ""
    codes: dict[str, CodeStats] = field(default_factory=dict)
    split_last: dict[str, int] = field(default_factory=dict)  # invoice split over the file -> last row

    @property
    def months(self) -> int:
        if not self.first_date:
            return 0
        first, last = local_time(self.first_date), local_time(self.last_date)
        return (last.year - first.year) * 12 + last.month - first.month + 1


def file_scan(rows: Iterable[Row]) -> FileScan:
    scan = FileScan()
    last_row: dict[str, int] = {}
    split: set[str] = set()
    previous = ""
    for row in rows:
        scan.rows += 1
        if row.invoice != previous:
            if row.invoice in last_row:
                split.add(row.invoice)
            previous = row.invoice
        last_row[row.invoice] = row.position
        if not scan.first_date or row.date < scan.first_date:
            scan.first_date = row.date
        scan.last_date = max(scan.last_date, row.date)
        if code_kind(row.code) is CodeKind.PRODUCT:
            stats = scan.codes.get(row.code)
            if stats is None:
                stats = scan.codes[row.code] = CodeStats()
            _code_stats_add(stats, row)
    scan.invoices = len(last_row)
    scan.split_last = {number: last_row[number] for number in split}
    return scan


def _code_stats_add(stats: CodeStats, row: Row) -> None:
    if invoice_kind(row.invoice) is InvoiceKind.SALE and row.quantity > 0 and row.price > 0:
        if row.description:
            stats.descriptions[row.description] += 1
        stats.prices[row.price] += 1
        stats.units_sold += row.quantity
        if not stats.first_sold or row.date < stats.first_sold:
            stats.first_sold = row.date
    elif row.description:
        stats.other_descriptions[row.description] += 1


# --- the catalog ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRule:
    name: str
    slug: str
    keywords: frozenset[str]


def _rule(name: str, slug: str, keywords: str) -> CategoryRule:
    return CategoryRule(name, slug, frozenset(keywords.split()))


# First match wins; a keyword is a whole word of the upper-cased title (hyphens split words: T-LIGHT).
CATEGORY_RULES = (
    _rule("Christmas", "christmas", "CHRISTMAS XMAS ADVENT SANTA REINDEER NATIVITY BAUBLE SNOWFLAKE SNOWMAN"),
    _rule("Bags", "bags", "BAG BAGS SHOPPER PURSE TOTE RUCKSACK BACKPACK HANDBAG"),
    _rule(
        "Lighting", "lighting", "CANDLE CANDLES LIGHT LIGHTS TEALIGHT LANTERN LAMP NIGHTLIGHT CANDLEHOLDER"
    ),
    _rule(
        "Kitchen",
        "kitchen",
        "MUG MUGS CUP CUPS TEACUP SAUCER PLATE PLATES BOWL BOWLS TEAPOT TEA COFFEE CAKE CAKESTAND BAKING "
        "JAR JUG SPOON SPOONS KITCHEN NAPKIN NAPKINS TRAY LUNCH CUTLERY APRON COASTER COASTERS TUMBLER "
        "GLASS BEAKER CASES JELLY PANTRY EGG MOULD OVEN SUGAR BREAD BISCUIT FOOD DINNER CUTTER CUTTERS "
        "TABLECLOTH PICNIC",
    ),
    _rule(
        "Stationery & party",
        "stationery-party",
        "CARD CARDS WRAP PAPER NOTEBOOK NOTEBOOKS PENCIL PENCILS PEN PENS STICKER STICKERS BUNTING PARTY "
        "BALLOON BALLOONS CHALK TAG TAGS ENVELOPE ENVELOPES DIARY CALENDAR ERASER ERASERS RIBBON RIBBONS "
        "TAPE STAMP BOOK BOOKS JOURNAL INVITES CONFETTI CRACKERS BIRTHDAY",
    ),
    _rule(
        "Toys & games",
        "toys-games",
        "TOY TOYS GAME GAMES DOLL DOLLY PUZZLE DOMINOES SKITTLES JIGSAW PLAYHOUSE MARBLES KIT CRAYONS "
        "SKIPPING BINGO SNAP TEDDY SOLDIER SOLDIERS PAINT COLOURING KNITTING LADDERS HELICOPTER",
    ),
    _rule(
        "Jewellery & accessories",
        "jewellery-accessories",
        "NECKLACE BRACELET EARRINGS EARRING RING HAIR CLIP CLIPS UMBRELLA WARMER BROOCH BANGLE CHARM "
        "DIAMANTE SCARF GLOVES HAT SLIPPERS SLIPPER JEWEL BEADS BEAD COMB MIRROR COMPACT KEYRING WALLET",
    ),
    _rule(
        "Garden",
        "garden",
        "GARDEN PLANT PLANTER POT POTS WATERING BIRD BIRDHOUSE FEEDER FLOWER FLOWERS SEED SEEDS HERB "
        "TRELLIS GNOME WINDMILL PARASOL",
    ),
    _rule(
        "Home decor",
        "home-decor",
        "SIGN FRAME CLOCK CUSHION DOORMAT HOOK HOOKS HANGER HANGERS HEART HEARTS VASE ORNAMENT WALL "
        "DECORATION DECORATIONS GARLAND WREATH DOORSTOP BOX BOXES DRAWER CABINET BASKET STORAGE THROW "
        "BLANKET QUILT CHIME CHIMES PLAQUE MAGNET MAGNETS PHOTO HOLDER TIN TINS BELL BELLS BOTTLE RACK "
        "DOOR TISSUES BATH SOAP TOWEL MAT STAND ROSE FELT HANGING SHELF BIN PEG PEGS MOBILE CHAIR STOOL "
        "INCENSE CURTAIN",
    ),
)
FALLBACK_CATEGORY = CategoryRule("Imported", "imported", frozenset())
_WORD = re.compile(r"[A-Z0-9]+")


def category_for(title: str) -> CategoryRule:
    words = set(_WORD.findall(title.upper()))
    return next((rule for rule in CATEGORY_RULES if rule.keywords & words), FALLBACK_CATEGORY)


def title_for(code: str, stats: CodeStats) -> str:
    counts = stats.descriptions or stats.other_descriptions
    title = counts.most_common(1)[0][0] if counts else ""
    title = " ".join(title.split())[:200]
    return title or f"Stock item {code}"


@dataclass(frozen=True)
class CatalogItem:
    code: str
    sku: str
    title: str
    category: CategoryRule
    price: int  # minor units
    stock: int
    units_sold: int
    first_sold: datetime | None


def catalog_items(scan: FileScan, *, exponent: int = 2) -> list[CatalogItem]:
    """One catalog item per product code of the file, in the order the file first shows them."""
    months = max(scan.months, 1)
    items = []
    for code, stats in scan.codes.items():
        title = title_for(code, stats)
        price = stats.prices.most_common(1)[0][0] if stats.prices else Decimal(0)
        items.append(
            CatalogItem(
                code=code,
                sku=sku_for(code),
                title=title,
                category=category_for(title),
                price=minor_units(price, exponent=exponent),
                stock=-(-stats.units_sold // months),
                units_sold=stats.units_sold,
                first_sold=local_time(stats.first_sold) if stats.first_sold else None,
            )
        )
    return items


# --- sales ----------------------------------------------------------------------------------------------


class PlannedLine(NamedTuple):
    sku: str
    title: str
    quantity: int
    unit: int
    subtotal: int
    discount: int
    total: int
    is_product: bool


@dataclass(frozen=True)
class PlannedOrder:
    invoice: str
    number: str
    customer: str
    email: str
    country: str
    at: datetime
    lines: tuple[PlannedLine, ...]
    shipping: int

    @property
    def subtotal(self) -> int:
        return sum(line.subtotal for line in self.lines)

    @property
    def discount(self) -> int:
        return sum(line.discount for line in self.lines)

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + self.shipping


def _is_sale_row(row: Row, *, customer: str) -> bool:
    return row.quantity > 0 and (row.price > 0 or bool(customer))


def order_plan(invoice: Invoice, *, titles: Mapping[str, str], exponent: int = 2) -> PlannedOrder | None:
    """The order a sale invoice becomes, or None for an invoice of stock corrections only."""
    customer = invoice.customer
    kinds = [code_kind(row.code) for row in invoice.rows]
    if not any(
        kind is not CodeKind.DISCOUNT and _is_sale_row(row, customer=customer)
        for row, kind in zip(invoice.rows, kinds, strict=True)
    ):
        return None
    lines: list[PlannedLine] = []
    shipping = discount = 0
    for row, kind in zip(invoice.rows, kinds, strict=True):
        if kind is CodeKind.DISCOUNT:
            discount += abs(minor_units(row.price * row.quantity, exponent=exponent))
        elif kind is CodeKind.SHIPPING:
            shipping += max(0, minor_units(row.price * row.quantity, exponent=exponent))
        elif row.quantity > 0 and row.price >= 0 and kind in (CodeKind.PRODUCT, CodeKind.CHARGE):
            price = line_price(row.quantity, row.price, exponent=exponent)
            title = titles.get(row.code) or " ".join(row.description.split())[:200] or row.code
            lines.append(
                PlannedLine(
                    sku=sku_for(row.code),
                    title=title,
                    quantity=row.quantity,
                    unit=price.unit,
                    subtotal=price.subtotal,
                    discount=price.discount,
                    total=price.total,
                    is_product=kind is CodeKind.PRODUCT,
                )
            )
    if not lines and shipping:
        # Postage alone: a line carries it, as every order's money reaches its seller through lines.
        postage = next(
            row for row, kind in zip(invoice.rows, kinds, strict=True) if kind is CodeKind.SHIPPING
        )
        title = " ".join(postage.description.split())[:200] or postage.code
        lines.append(PlannedLine(sku_for(postage.code), title, 1, shipping, shipping, 0, shipping, False))
        shipping = 0
    return PlannedOrder(
        invoice=invoice.number,
        number=order_number(invoice.number),
        customer=customer,
        email=customer_email(customer) if customer else guest_email(invoice.number),
        country=invoice.country,
        at=invoice.at,
        lines=tuple(_discount_apply(lines, discount)),
        shipping=shipping,
    )


def _discount_apply(lines: list[PlannedLine], discount: int) -> list[PlannedLine]:
    if not discount:
        return lines
    shares = discount_allocate(discount, [line.total for line in lines])
    return [
        line._replace(discount=line.discount + share, total=line.total - share)
        for line, share in zip(lines, shares, strict=True)
    ]


# --- cancellations --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unmatched:
    """Money in a cancellation that is not imported, and why."""

    code: str
    quantity: int
    amount: int
    reason: str


@dataclass(frozen=True)
class PlannedCancellation:
    invoice: str
    customer: str
    at: datetime
    items: tuple[tuple[str, int, int], ...]  # (sku, units, amount at the cancellation's own price)
    shipping: int
    skipped: tuple[Unmatched, ...]


def cancellation_plan(invoice: Invoice, *, exponent: int = 2) -> PlannedCancellation:
    customer = invoice.customer
    items: list[tuple[str, int, int]] = []
    shipping = 0
    skipped: list[Unmatched] = []
    for row in invoice.rows:
        kind = code_kind(row.code)
        amount = abs(minor_units(row.price * row.quantity, exponent=exponent))
        if not customer:
            skipped.append(Unmatched(row.code, -row.quantity, amount, "guest"))
        elif row.quantity >= 0 or kind is CodeKind.DISCOUNT:
            skipped.append(Unmatched(row.code, -row.quantity, amount, "not a refund of goods or postage"))
        elif kind is CodeKind.SHIPPING:
            shipping += amount
        else:
            items.append((sku_for(row.code), -row.quantity, amount))
    return PlannedCancellation(invoice.number, customer, invoice.at, tuple(items), shipping, tuple(skipped))


@dataclass
class OpenLine:
    """A line the customer bought that may still be refunded, and what refunds have taken of it so far."""

    line_id: int
    seller_order_id: int
    sku: str
    at: datetime
    quantity: int
    total: int
    commission: int
    refunded_quantity: int = 0
    refunded_amount: int = 0

    @property
    def left(self) -> int:
        return self.quantity - self.refunded_quantity


@dataclass
class OpenPart:
    """A seller order of the customer, with the shipping that may still be refunded."""

    seller_order_id: int
    at: datetime
    shipping: int
    refunded_shipping: int = 0

    @property
    def shipping_left(self) -> int:
        return self.shipping - self.refunded_shipping


@dataclass
class RefundPlan:
    """One refund of one seller order; ``lines`` as a refund stores them."""

    seller_order_id: int
    lines: list[dict[str, int]] = field(default_factory=list)
    shipping: int = 0
    commission: int = 0

    @property
    def amount(self) -> int:
        return sum(item["amount"] for item in self.lines) + self.shipping

    @property
    def seller_amount(self) -> int:
        return self.amount - self.commission  # no platform promotions on imported orders


def _share(amount: int, part: int, whole: int) -> int:
    return amount * part // whole


def _line_refund(line: OpenLine, quantity: int) -> tuple[int, int]:
    """Amount and commission given back for ``quantity`` more units of ``line``, as
    ``payments.services._seller_order_refund_lines`` and ``payments.commissions.refund_split`` price it."""
    if line.total == 0:  # a free line gives nothing back
        return 0, 0
    amount = (
        line.total - line.refunded_amount if quantity == line.left else line.total * quantity // line.quantity
    )
    before = line.refunded_amount
    commission = _share(line.commission, before + amount, line.total) - _share(
        line.commission, before, line.total
    )
    return amount, commission


def cancellation_match(
    cancellation: PlannedCancellation, *, lines: Sequence[OpenLine], parts: Sequence[OpenPart]
) -> tuple[list[RefundPlan], list[Unmatched]]:
    """Refunds of a cancellation, one per seller order it reaches (``lines`` and ``parts`` are updated
    with what they give back), and what it could not find to refund."""
    taken: dict[int, int] = {}  # line id -> units, summed so a line appears once per refund
    unmatched = list(cancellation.skipped)
    for sku, units, amount in cancellation.items:
        candidates = sorted(
            (line for line in lines if line.sku == sku and line.at <= cancellation.at),
            key=lambda line: (line.at, line.line_id),
            reverse=True,
        )
        wanted = units
        for line in candidates:
            room = line.left - taken.get(line.line_id, 0)
            if wanted and room > 0:
                take = min(room, wanted)
                taken[line.line_id] = taken.get(line.line_id, 0) + take
                wanted -= take
        if wanted:
            unmatched.append(Unmatched(sku, wanted, amount * wanted // units, "no earlier purchase left"))
    plans: dict[int, RefundPlan] = {}
    by_id = {line.line_id: line for line in lines}
    for line_id, quantity in taken.items():
        line = by_id[line_id]
        amount, commission = _line_refund(line, quantity)
        line.refunded_quantity += quantity
        line.refunded_amount += amount
        if amount > 0:
            plan = plans.setdefault(line.seller_order_id, RefundPlan(line.seller_order_id))
            plan.lines.append({"order_line": line_id, "quantity": quantity, "amount": amount})
            plan.commission += commission
    _shipping_match(cancellation, plans, parts, unmatched)
    return list(plans.values()), unmatched


def _shipping_match(
    cancellation: PlannedCancellation,
    plans: dict[int, RefundPlan],
    parts: Sequence[OpenPart],
    unmatched: list[Unmatched],
) -> None:
    """Cancelled postage: from the order whose goods it refunds first, else the latest earlier order."""
    if not cancellation.shipping:
        return
    earlier = sorted(
        (part for part in parts if part.at <= cancellation.at and part.shipping_left > 0),
        key=lambda part: (part.seller_order_id not in plans, -part.at.timestamp(), -part.seller_order_id),
    )
    left = cancellation.shipping
    for part in earlier:
        take = min(left, part.shipping_left)
        part.refunded_shipping += take
        plans.setdefault(part.seller_order_id, RefundPlan(part.seller_order_id)).shipping += take
        left -= take
        if not left:
            break
    if left:
        unmatched.append(Unmatched("postage", 0, left, "no earlier postage left"))
