"""Words for product titles, per category: brands, products, and the variant a SKU stands for.

Titles follow the marketplace habit "Brand Product – Variant" so the returns list reads like a real
seller's, and variants (size, colour, capacity) explain why one product has many SKUs.
"""

from __future__ import annotations

BRANDS: dict[str, tuple[str, ...]] = {
    "apparel": ("Northwind", "Lumen & Loom", "Basecamp Co.", "Everyday Thread", "Solstice"),
    "shoes": ("Stride Lab", "Northwind", "Pace Republic", "Cobble & Co."),
    "electronics": ("Voltari", "Kestrel Audio", "Lumio", "Ampere One", "Nordtek"),
    "home_kitchen": ("Hearth & Hive", "Kitchnova", "Casa Verde", "Oakridge Home"),
    "toys": ("Little Atlas", "BrickBurst", "Puzzlewood", "Zoomikins"),
    "beauty": ("Glow Theory", "Alba Botanica Lab", "Pure Ritual", "Velvet Fern"),
    "sports": ("Summit Gear", "Peakform", "Trailhead", "Aquaflex"),
    "jewelry": ("Aurelia", "Silver Fern", "Luna & Stone", "Kirra"),
    "books": ("Harbor Press", "Meridian Books", "Owl Lantern Publishing"),
    "pet": ("Happy Paws", "Barkwell", "Whisker & Wag"),
    "tools": ("Forgewell", "Torq", "Ironbark Tools", "Voltari Pro"),
}

PRODUCTS: dict[str, tuple[str, ...]] = {
    "apparel": (
        "Men's Crew Neck T-Shirt",
        "Women's High-Rise Leggings",
        "Unisex Fleece Hoodie",
        "Women's Wrap Midi Dress",
        "Men's Slim Fit Chino Pants",
        "Women's Puffer Jacket",
        "Men's Merino Wool Sweater",
        "Women's Linen Button-Down Shirt",
        "Kids' Rain Jacket",
        "Men's Running Shorts",
        "Women's Denim Jeans",
        "Thermal Base Layer Set",
    ),
    "shoes": (
        "Men's Trail Running Shoes",
        "Women's Canvas Sneakers",
        "Waterproof Hiking Boots",
        "Women's Ankle Boots",
        "Kids' Light-Up Sneakers",
        "Men's Leather Loafers",
        "Memory Foam Slippers",
    ),
    "electronics": (
        "Wireless Earbuds with Charging Case",
        "USB-C Fast Charger 65W",
        "Bluetooth Speaker",
        "Smart Plug (4-Pack)",
        "1080p Webcam",
        "Noise Cancelling Headphones",
        "Power Bank 20000mAh",
        "Mechanical Keyboard",
        "Wireless Mouse",
        "Smart Watch Band",
        "HDMI 2.1 Cable",
        "Dash Cam",
    ),
    "home_kitchen": (
        "Stainless Steel Water Bottle",
        "Ceramic Non-Stick Frying Pan",
        "Glass Food Storage Set",
        "Bamboo Cutting Board Set",
        "Electric Milk Frother",
        "Cotton Bath Towel Set",
        "Pour-Over Coffee Kettle",
        "Ceramic Dinnerware Set",
        "Air Fryer Liners",
        "Knife Block Set",
        "Linen Duvet Cover",
    ),
    "toys": (
        "Magnetic Building Tiles",
        "Wooden Puzzle Set",
        "Remote Control Car",
        "Plush Dinosaur",
        "STEM Robot Kit",
        "Art Supplies Case",
        "Marble Run",
        "Kids' Walkie Talkies",
    ),
    "beauty": (
        "Vitamin C Serum",
        "Hyaluronic Acid Moisturizer",
        "Ionic Hair Dryer",
        "Makeup Brush Set",
        "Mineral Sunscreen SPF 50",
        "Argan Oil Shampoo",
        "Jade Facial Roller",
        "Nail Care Kit",
    ),
    "sports": (
        "Yoga Mat 6mm",
        "Adjustable Dumbbells",
        "Resistance Band Set",
        "Insulated Hiking Backpack",
        "Cycling Gloves",
        "Swim Goggles",
        "Camping Hammock",
        "Jump Rope",
        "Foam Roller",
    ),
    "jewelry": (
        "Sterling Silver Hoop Earrings",
        "Gold-Plated Pendant Necklace",
        "Stacking Ring",
        "Charm Bracelet",
        "Men's Leather Watch",
        "Pearl Stud Earrings",
    ),
    "books": (
        "Sourdough at Home (Paperback)",
        "The Quiet Garden (Hardcover)",
        "Atlas of Small Islands",
        "Learn Python the Practical Way",
        "Bedtime Stories for Brave Kids",
        "Trail Guide: Pacific Crest",
        "Watercolor Basics Workbook",
    ),
    "pet": (
        "Orthopedic Dog Bed",
        "Adjustable Dog Harness",
        "Cat Scratching Post",
        "Automatic Pet Feeder",
        "Reflective Dog Collar",
        "Interactive Cat Toy",
    ),
    "tools": (
        "Cordless Drill Driver 20V",
        "Precision Screwdriver Set",
        "Laser Measure",
        "Stud Finder",
        "LED Work Light",
        "Socket Wrench Set",
        "Digital Multimeter",
    ),
}

SIZES_APPAREL = ("XS", "S", "M", "L", "XL", "XXL")
SIZES_SHOES = ("6", "7", "8", "9", "10", "11", "12")
RING_SIZES = ("5", "6", "7", "8", "9")
COLOURS = ("Black", "Navy", "Grey", "White", "Olive", "Burgundy", "Sand", "Blue", "Pink", "Green")
COLOUR_CODES = {
    "Black": "BLK", "Navy": "NVY", "Grey": "GRY", "White": "WHT", "Olive": "OLV", "Burgundy": "BRG",
    "Sand": "SND", "Blue": "BLU", "Pink": "PNK", "Green": "GRN", "Silver": "SLV", "Graphite": "GPH",
}  # fmt: skip
FINISHES = ("Black", "White", "Silver", "Graphite", "Blue")
BOOK_FORMATS = ("Paperback", "Hardcover", "Spiral-bound")

# Short codes used in seller SKUs, e.g. "APP-00042-NAV-M".
SKU_PREFIX: dict[str, str] = {
    "apparel": "APP", "shoes": "SHO", "electronics": "ELE", "home_kitchen": "HOM", "toys": "TOY",
    "beauty": "BEA", "sports": "SPO", "jewelry": "JEW", "books": "BOK", "pet": "PET", "tools": "TLS",
}  # fmt: skip


def variants(category: str) -> tuple[tuple[str, str], ...]:
    """(SKU suffix, title suffix) pairs a product of `category` comes in."""
    if category in ("apparel", "shoes"):
        sizes = SIZES_APPAREL if category == "apparel" else SIZES_SHOES
        return tuple((f"{COLOUR_CODES[c]}-{s}", f"{c}, Size {s}") for c in COLOURS[:6] for s in sizes)
    if category == "jewelry":
        return tuple(
            (f"{m[:2].upper()}-{s}", f"{m}, Ring Size {s}") for m in ("Silver", "Gold") for s in RING_SIZES
        )
    if category == "books":
        return tuple((f[:2].upper(), f) for f in BOOK_FORMATS)
    if category in ("electronics", "tools", "home_kitchen"):
        return tuple((COLOUR_CODES[f], f) for f in FINISHES)
    return tuple((COLOUR_CODES[c], c) for c in COLOURS)
