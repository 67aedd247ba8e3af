"""The demo seller's world: marketplaces, carriers and places.

A seller recognizes their data by its small facts: US orders start with 11x, UK parcels go by Royal
Mail, a DHL number is twenty digits, FBA returns land in an Amazon fulfilment centre. Everything the
other demo modules look up by marketplace or carrier lives here, as plain tuples indexed by position,
so the generators can work on integer codes and turn them into text only when rows are written.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Marketplace:
    code: str
    currency: str
    share: float  # of the catalogue's SKUs
    price_factor: float  # list price relative to the US price, in the local currency
    order_prefixes: tuple[str, ...]  # first block of Amazon order ids
    tax_rates: tuple[float, ...]  # drawn per order (US: state sales tax; EU: VAT)
    tax_weights: tuple[float, ...]
    cities: tuple[str, ...]  # where buyers live
    seller_city: str  # the seller's own return address (MFN)
    fulfilment_centres: tuple[tuple[str, str], ...]  # (FC id, city) for FBA returns
    carriers: tuple[tuple[str, float], ...]  # return carriers and their shares
    hubs: tuple[str, ...]  # sorting centres a parcel passes through


MARKETPLACES: tuple[Marketplace, ...] = (
    Marketplace(
        code="US", currency="USD", share=0.74, price_factor=1.0,
        order_prefixes=("111", "112", "113", "114"),
        tax_rates=(0.0, 0.0625, 0.07, 0.0725, 0.0825, 0.0875, 0.1025),
        tax_weights=(0.12, 0.14, 0.2, 0.18, 0.16, 0.12, 0.08),
        cities=(
            "Austin, TX, US", "Columbus, OH, US", "Charlotte, NC, US", "Denver, CO, US",
            "Seattle, WA, US", "Brooklyn, NY, US", "Chicago, IL, US", "Phoenix, AZ, US",
            "San Diego, CA, US", "Jacksonville, FL, US", "Nashville, TN, US", "Portland, OR, US",
            "Atlanta, GA, US", "Minneapolis, MN, US", "Boston, MA, US", "Kansas City, MO, US",
            "Sacramento, CA, US", "Raleigh, NC, US", "Tampa, FL, US", "Salt Lake City, UT, US",
        ),
        seller_city="Reno, NV, US",
        fulfilment_centres=(
            ("LEX1", "Lexington, KY, US"), ("PHX7", "Phoenix, AZ, US"), ("ONT8", "Moreno Valley, CA, US"),
            ("BNA3", "Murfreesboro, TN, US"), ("ABE8", "Florence, NJ, US"), ("DFW7", "Fort Worth, TX, US"),
        ),
        carriers=(("UPS", 0.46), ("USPS", 0.3), ("FedEx", 0.12), ("Amazon Logistics", 0.12)),
        hubs=(
            "Louisville, KY, US", "Memphis, TN, US", "Indianapolis, IN, US", "Chicago, IL, US",
            "Dallas, TX, US", "Ontario, CA, US", "Salt Lake City, UT, US", "Atlanta, GA, US",
            "Secaucus, NJ, US", "Kansas City, MO, US",
        ),
    ),
    Marketplace(
        code="UK", currency="GBP", share=0.16, price_factor=0.85,
        order_prefixes=("202", "203", "204", "205", "206"),
        tax_rates=(0.2,), tax_weights=(1.0,),
        cities=(
            "Manchester, GB", "Leeds, GB", "Bristol, GB", "Glasgow, GB", "Birmingham, GB",
            "Sheffield, GB", "Cardiff, GB", "Nottingham, GB", "Brighton, GB", "Edinburgh, GB",
            "Leicester, GB", "Norwich, GB",
        ),
        seller_city="Milton Keynes, GB",
        fulfilment_centres=(
            ("LBA4", "Doncaster, GB"), ("BHX4", "Coventry, GB"), ("EUK5", "Peterborough, GB"),
            ("MAN1", "Manchester, GB"),
        ),
        carriers=(("Royal Mail", 0.48), ("DPD", 0.22), ("Amazon Logistics", 0.18), ("UPS", 0.12)),
        hubs=(
            "Warrington Mail Centre, GB", "Home Counties North Mail Centre, GB", "Birmingham Hub, GB",
            "Hinckley Hub, GB", "Northampton, GB", "Daventry, GB",
        ),
    ),
    Marketplace(
        code="DE", currency="EUR", share=0.10, price_factor=0.95,
        order_prefixes=("302", "303", "304", "305", "306"),
        tax_rates=(0.19,), tax_weights=(1.0,),
        cities=(
            "Berlin, DE", "Hamburg, DE", "München, DE", "Köln, DE", "Frankfurt am Main, DE",
            "Stuttgart, DE", "Düsseldorf, DE", "Leipzig, DE", "Dortmund, DE", "Bremen, DE",
            "Nürnberg, DE", "Hannover, DE",
        ),
        seller_city="Kassel, DE",
        fulfilment_centres=(
            ("LEJ1", "Leipzig, DE"), ("FRA3", "Bad Hersfeld, DE"), ("DUS2", "Rheinberg, DE"),
            ("MUC3", "Graben, DE"), ("HAM2", "Winsen, DE"),
        ),
        carriers=(("DHL", 0.6), ("DPD", 0.18), ("Amazon Logistics", 0.12), ("UPS", 0.10)),
        hubs=(
            "Paketzentrum Hannover, DE", "Paketzentrum Leipzig, DE", "Paketzentrum Köln, DE",
            "Paketzentrum Aschheim, DE", "Paketzentrum Neumünster, DE", "Hub Unna, DE",
        ),
    ),
)  # fmt: skip

MARKETPLACE_CODES: tuple[str, ...] = tuple(m.code for m in MARKETPLACES)
CURRENCIES: tuple[str, ...] = tuple(m.currency for m in MARKETPLACES)


@dataclass(frozen=True, slots=True)
class Carrier:
    name: str
    transit_median_days: float  # door to door for a return parcel
    transit_sigma: float  # of the lognormal
    carrier_eta_share: float  # how often the carrier publishes an estimate
    vocabulary: str  # "aftership" | "shipping_v2": which raw codes its events carry
    label_cost: tuple[int, int]  # prepaid return label, minor units of the marketplace currency


CARRIERS: tuple[Carrier, ...] = (
    Carrier("UPS", 3.3, 0.33, 0.95, "aftership", (790, 1450)),
    Carrier("USPS", 4.1, 0.40, 0.55, "aftership", (445, 895)),
    Carrier("FedEx", 3.0, 0.33, 0.95, "aftership", (820, 1390)),
    Carrier("Amazon Logistics", 2.6, 0.30, 1.0, "shipping_v2", (0, 0)),
    Carrier("Royal Mail", 2.6, 0.38, 0.40, "aftership", (315, 535)),
    Carrier("DPD", 2.1, 0.30, 0.90, "aftership", (395, 695)),
    Carrier("DHL", 2.3, 0.32, 0.85, "aftership", (449, 699)),
)
CARRIER_NAMES: tuple[str, ...] = tuple(c.name for c in CARRIERS)
CARRIER_INDEX: dict[str, int] = {name: i for i, name in enumerate(CARRIER_NAMES)}

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "US": (
        "James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "William",
        "Elizabeth", "Daniel", "Jessica", "Matthew", "Sarah", "Anthony", "Karen", "Joshua", "Nancy",
        "Andrew", "Ashley", "Kevin", "Emily", "Brian", "Michelle", "Jose", "Maria", "Carlos", "Ana",
        "Tyler", "Megan", "Jordan", "Brittany", "Aaron", "Kayla", "Wei", "Priya",
    ),
    "UK": (
        "Oliver", "Amelia", "George", "Olivia", "Harry", "Isla", "Jack", "Emily", "Charlie", "Sophie",
        "Thomas", "Grace", "James", "Lily", "William", "Chloe", "Alfie", "Ella", "Mohammed", "Aisha",
    ),
    "DE": (
        "Lukas", "Anna", "Leon", "Lea", "Finn", "Hannah", "Jonas", "Lena", "Paul", "Marie", "Felix",
        "Laura", "Maximilian", "Julia", "Tim", "Sarah", "Niklas", "Katharina", "Emre", "Elif",
    ),
}  # fmt: skip
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "US": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
        "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
        "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen",
        "Nguyen", "Patel", "Kim", "Chen",
    ),
    "UK": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan",
    ),
    "DE": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
        "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Yılmaz", "Braun",
    ),
}  # fmt: skip


def buyer_name_pool(code: str) -> tuple[str, ...]:
    """Every first-last combination of a marketplace, so a buyer name is one integer draw."""
    return tuple(f"{first} {last}" for first in FIRST_NAMES[code] for last in LAST_NAMES[code])
