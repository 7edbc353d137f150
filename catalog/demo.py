"""Demo data for ``manage.py seed_demo``: a believable marketplace with a year of history.

Writes a 3-level category tree, tags, approved sellers, shoppers with addresses, products with variants,
12 months of orders and the matching behavioural events. Every row has a deterministic key (category slug,
``@demo.marketplace`` e-mail, ``DEMO-`` SKU or order number, ``demo`` visitor-id prefix), so a second run
creates only what is missing. Each phase is one transaction: an interrupted run leaves whole phases only.

This module deliberately bypasses the per-row services of accounts, catalog, orders and analytics: they save
one row at a time and write audit rows, which would turn 100k demo products into tens of minutes. It only
ever inserts new demo rows, with ``bulk_create`` in batches.
"""

from __future__ import annotations

import bisect
import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Address, SellerProfile, User
from analytics.models import Event, UserAgentClass
from catalog.attributes import BOOLEAN, CHOICE, NUMBER, PRODUCT, VARIANT, AttributeSpec
from catalog.models import Category, CategoryAttribute, Product, ProductVariant, Tag
from orders.models import Order, OrderLine, OrderStatus, SellerOrder

DEMO_DOMAIN = "demo.marketplace"
SKU_PREFIX = "DEMO-"
ORDER_PREFIX = "DEMO-"
# Valid ``mp_vid`` cookie values (alphanumeric, 32 characters) that still say where they came from.
VISITOR_PREFIX = "demo"

SHOPPER_LOGIN = (f"shopper@{DEMO_DOMAIN}", "demo-shopper-pass")
SELLER_LOGIN = (f"seller@{DEMO_DOMAIN}", "demo-seller-pass")
OPERATOR_LOGIN = (f"operator@{DEMO_DOMAIN}", "demo-operator-pass")
DEMO_LOGINS = (("shopper", *SHOPPER_LOGIN), ("seller", *SELLER_LOGIN), ("operator", *OPERATOR_LOGIN))

BATCH_SIZE = 2000
HISTORY_DAYS = 365
CATALOG_DAYS = 548  # products were published over the past 18 months


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# --- Vocabulary -----------------------------------------------------------------------------------
# A leaf is (name, nouns, adjectives, lowest price, highest price, variant scheme); "|" separates words.
# Prices are USD minor units. Kept out of the formatter: one line per leaf reads as a table.
# fmt: off
_DEPARTMENTS: tuple[dict[str, Any], ...] = (
    {
        "name": "Electronics",
        "brands": "Voltera|Auralis|Nordvik|Lumetra|Kestrel|Orbitek|Sonique|Zentro",
        "suffixes": "||||| Pro| Mini| Max| Lite| X2| SE| Gen 3",
        "tags": "Wireless|Bluetooth|Smart Home|Gaming|4K",
        "weight": (80, 4000),
        "features": (
            "Backed by a 2-year manufacturer warranty.",
            "USB-C charging and firmware updates over the air.",
            "Tested and packed in the original retail box.",
            "Works with iOS, Android, Windows and macOS.",
            "Energy-efficient design with an auto standby mode.",
        ),
        "children": {
            "Phones & Tablets": (
                ("Smartphones", "Smartphone|5G Smartphone|Flip Phone", "Unlocked|Dual-SIM|Flagship|Compact",
                 12999, 149999, "storage"),
                ("Tablets", "Tablet|Android Tablet|Drawing Tablet", "10-inch|11-inch|Lightweight|Kids'",
                 7999, 119999, "storage"),
                ("Phone Cases", "Phone Case|Folio Case|Bumper Case|Clear Case", "Slim|Rugged|Leather|Magnetic",
                 999, 4999, "colour"),
                ("Chargers & Cables", "USB-C Cable|Fast Charger|Wireless Charging Pad|Power Bank",
                 "Braided|65W|Dual-Port|Travel", 999, 7999, "pack"),
            ),
            "Audio": (
                ("Headphones", "Over-Ear Headphones|On-Ear Headphones|Studio Headphones",
                 "Wireless|Noise-Cancelling|Foldable|Hi-Res", 2999, 49999, "colour"),
                ("Earbuds", "True Wireless Earbuds|Sport Earbuds|Open-Ear Earbuds",
                 "Waterproof|Noise-Cancelling|Compact", 1999, 29999, "colour"),
                ("Speakers", "Bluetooth Speaker|Smart Speaker|Soundbar|Bookshelf Speakers",
                 "Portable|Outdoor|Compact|Hi-Fi", 2499, 79999, "colour"),
            ),
            "Computers": (
                ("Laptops", "Laptop|Ultrabook|Gaming Laptop|2-in-1 Laptop", "14-inch|15.6-inch|Thin & Light",
                 39999, 199999, "storage"),
                ("Monitors", "Monitor|Curved Monitor|Portable Monitor", "27-inch|4K|144Hz|24-inch",
                 12999, 89999, "single"),
                ("Keyboards & Mice", "Mechanical Keyboard|Wireless Mouse|Keyboard & Mouse Combo|Gaming Mouse",
                 "Ergonomic|Low-Profile|RGB|Silent", 1999, 19999, "colour"),
                ("Storage Drives", "External SSD|Portable Hard Drive|USB Flash Drive|microSD Card",
                 "Rugged|High-Speed|Compact", 999, 29999, "capacity"),
            ),
            "Cameras & Drones": (
                ("Digital Cameras", "Mirrorless Camera|Compact Camera|Action Camera|Instant Camera",
                 "4K|Full-Frame|Waterproof|Retro", 9999, 199999, "colour"),
                ("Camera Lenses", "Prime Lens|Zoom Lens|Macro Lens|Wide-Angle Lens",
                 "50mm f/1.8|24-70mm|Telephoto|Pancake", 14999, 149999, "single"),
                ("Drones", "Camera Drone|Mini Drone|FPV Drone", "Foldable|4K|GPS", 4999, 149999, "single"),
            ),
            "Video Games": (
                ("Consoles", "Game Console|Handheld Console|Retro Console", "Next-Gen|Portable|Digital",
                 9999, 59999, "capacity"),
                ("Controllers", "Wireless Controller|Pro Controller|Arcade Stick|Racing Wheel",
                 "Ergonomic|Programmable|Wireless", 2999, 29999, "colour"),
                ("Gaming Headsets", "Gaming Headset|Wireless Gaming Headset", "Surround|Lightweight|RGB",
                 2999, 24999, "colour"),
            ),
        },
    },
    {
        "name": "Fashion",
        "brands": "Maren & Co.|Northbound|Atelier Sol|Wildweave|Halden|Ruby Lane|Copper Thread|Oakridge Denim",
        "suffixes": "",
        "tags": "Organic Cotton|Streetwear|Workwear|Summer Style|Winter Warmers",
        "weight": (150, 1800),
        "features": (
            "True to size; see the size guide for measurements.",
            "Machine washable at 30 °C.",
            "Made from responsibly sourced materials.",
            "Relaxed fit that layers easily.",
            "Reinforced seams for everyday wear.",
        ),
        "children": {
            "Women's Clothing": (
                ("Dresses", "Midi Dress|Wrap Dress|Maxi Dress|Shirt Dress", "Floral|Linen|Satin|Pleated",
                 2499, 14999, "apparel"),
                ("Tops & Blouses", "Blouse|Tunic Top|Knit Top|Camisole", "Silk|Ruffled|Relaxed-Fit|Cotton",
                 1499, 7999, "apparel"),
                ("Women's Jeans", "High-Rise Jeans|Straight-Leg Jeans|Flared Jeans",
                 "Stretch|Vintage-Wash|Organic", 2999, 12999, "apparel"),
                ("Coats & Jackets", "Trench Coat|Puffer Jacket|Wool Coat|Denim Jacket",
                 "Water-Resistant|Oversized|Cropped|Quilted", 4999, 29999, "apparel"),
            ),
            "Men's Clothing": (
                ("T-Shirts", "Crew-Neck T-Shirt|Graphic Tee|Pocket Tee|Henley",
                 "Organic Cotton|Heavyweight|Slim-Fit|Washed", 999, 4999, "apparel"),
                ("Shirts", "Oxford Shirt|Flannel Shirt|Linen Shirt|Dress Shirt", "Button-Down|Brushed|Regular-Fit",
                 2499, 8999, "apparel"),
                ("Trousers", "Chinos|Cargo Pants|Joggers|Tailored Trousers", "Slim|Relaxed|Stretch|Tapered",
                 2999, 9999, "apparel"),
                ("Outerwear", "Parka|Bomber Jacket|Rain Jacket|Fleece Jacket",
                 "Insulated|Packable|Waxed-Cotton|Lightweight", 4999, 34999, "apparel"),
            ),
            "Shoes": (
                ("Sneakers", "Running Sneakers|Low-Top Sneakers|High-Top Sneakers|Slip-On Sneakers",
                 "Leather|Canvas|Knit|Retro", 3999, 17999, "shoes"),
                ("Boots", "Chelsea Boots|Hiking Boots|Ankle Boots|Work Boots", "Waterproof|Suede|Lace-Up",
                 5999, 24999, "shoes"),
                ("Sandals", "Slide Sandals|Sport Sandals|Espadrilles", "Cushioned|Leather|Woven",
                 1999, 8999, "shoes"),
            ),
            "Bags & Accessories": (
                ("Handbags", "Tote Bag|Crossbody Bag|Shoulder Bag|Clutch", "Leather|Vegan Leather|Quilted|Woven",
                 2999, 39999, "colour"),
                ("Backpacks", "Backpack|Laptop Backpack|Rolltop Backpack",
                 "Waxed Canvas|Water-Resistant|Minimalist", 3999, 19999, "colour"),
                ("Watches", "Chronograph Watch|Field Watch|Dive Watch|Dress Watch",
                 "Automatic|Quartz|Stainless Steel|Minimalist", 4999, 149999, "single"),
                ("Sunglasses", "Aviator Sunglasses|Square Sunglasses|Round Sunglasses",
                 "Polarized|Tortoiseshell|Classic", 1999, 19999, "colour"),
            ),
        },
    },
    {
        "name": "Home & Garden",
        "brands": "Hearth & Hollow|Linden Home|Oak & Ember|Casa Verde|Nordhem|Fernwood|Brightside|Stonebrook",
        "suffixes": "",
        "tags": "Minimalist|Houseplants|Kitchen Essentials|Cozy Living|Outdoor Living",
        "weight": (200, 25000),
        "features": (
            "Designed to last, with a 5-year guarantee.",
            "Easy to assemble; all fittings included.",
            "Wipe clean with a damp cloth.",
            "Sustainably made by a family-run workshop.",
            "Ships flat-packed in plastic-free packaging.",
        ),
        "children": {
            "Kitchen & Dining": (
                ("Cookware", "Cast Iron Skillet|Dutch Oven|Nonstick Frying Pan|Saucepan Set",
                 "Enameled|Pre-Seasoned|Tri-Ply|10-inch", 2499, 34999, "colour"),
                ("Small Appliances", "Espresso Machine|Stand Mixer|Air Fryer|Electric Kettle|Blender",
                 "Programmable|Compact|Stainless Steel|Digital", 2999, 69999, "colour"),
                ("Tableware", "Dinnerware Set|Stoneware Mugs|Wine Glasses|Serving Bowl",
                 "Handmade|Speckled|Crystal|Porcelain", 1499, 14999, "pack"),
                ("Coffee & Tea", "Pour-Over Coffee Maker|French Press|Tea Kettle|Burr Grinder",
                 "Glass|Copper|Manual|Ceramic", 1999, 19999, "colour"),
            ),
            "Furniture": (
                ("Living Room Furniture", "Sofa|Armchair|Coffee Table|Bookshelf",
                 "Mid-Century|Velvet|Solid Oak|Modular", 14999, 199999, "colour"),
                ("Bedroom Furniture", "Bed Frame|Nightstand|Dresser|Wardrobe", "Upholstered|Walnut|Minimalist",
                 9999, 149999, "single"),
                ("Home Office", "Standing Desk|Office Chair|Filing Cabinet|Writing Desk",
                 "Ergonomic|Height-Adjustable|Mesh|Compact", 7999, 89999, "colour"),
            ),
            "Bedding & Bath": (
                ("Bed Sheets", "Sheet Set|Duvet Cover|Pillowcase Pair", "Percale|Linen|Organic Cotton|Sateen",
                 2999, 19999, "bed"),
                ("Towels", "Bath Towel Set|Hand Towels|Beach Towel", "Turkish Cotton|Waffle-Weave|Plush",
                 1499, 7999, "colour"),
                ("Blankets & Throws", "Throw Blanket|Weighted Blanket|Quilt", "Chunky Knit|Wool|Reversible",
                 2999, 24999, "colour"),
            ),
            "Home Decor": (
                ("Lighting", "Floor Lamp|Table Lamp|Pendant Light|String Lights",
                 "Brass|Rattan|Dimmable|Industrial", 1999, 29999, "colour"),
                ("Rugs", "Area Rug|Runner Rug|Jute Rug", "Hand-Woven|Washable|Moroccan-Style|Vintage-Style",
                 3999, 49999, "rug"),
                ("Wall Art", "Framed Print|Canvas Print|Botanical Poster", "Abstract|Vintage|Black & White",
                 1999, 24999, "single"),
                ("Candles & Fragrance", "Scented Candle|Reed Diffuser|Candle Set", "Soy|Hand-Poured|Cedarwood",
                 999, 4999, "pack"),
            ),
            "Garden & Outdoor": (
                ("Seeds & Bulbs", "Seed Kit|Herb Garden Kit|Bulb Collection", "Heirloom|Organic|Pollinator",
                 499, 3999, "pack"),
                ("Garden Tools", "Pruning Shears|Garden Trowel|Hose Reel|Wheelbarrow",
                 "Ergonomic|Stainless|Heavy-Duty", 999, 14999, "single"),
                ("Patio Furniture", "Patio Set|Adirondack Chair|Hammock|Sun Lounger",
                 "Teak|Weatherproof|Folding", 7999, 149999, "colour"),
                ("Grills & Outdoor Cooking", "Charcoal Grill|Gas Grill|Pellet Smoker|Pizza Oven",
                 "Portable|3-Burner|Kettle", 9999, 99999, "single"),
            ),
        },
    },
    {
        "name": "Sports & Outdoors",
        "brands": "Summit Peak|Stride Athletics|Ironclad|Riverstone|Trailborn|Velocita|Apex Motion|Blue Ridge",
        "suffixes": "",
        "tags": "Running|Camping|Yoga|Cycling|Team Sports",
        "weight": (100, 20000),
        "features": (
            "Field-tested by athletes and guides.",
            "Lightweight and built for the outdoors.",
            "Backed by a lifetime repair promise.",
            "Sweat-resistant and easy to clean.",
            "Packs down small for travel.",
        ),
        "children": {
            "Fitness": (
                ("Weights", "Adjustable Dumbbells|Kettlebell|Weight Plate Set", "Cast Iron|Rubber-Coated|Hex",
                 2499, 39999, "single"),
                ("Yoga", "Yoga Mat|Yoga Block Set|Yoga Strap", "Non-Slip|Cork|Extra-Thick", 1499, 9999, "colour"),
                ("Cardio Machines", "Treadmill|Exercise Bike|Rowing Machine", "Folding|Magnetic|Smart",
                 19999, 149999, "single"),
            ),
            "Camping & Hiking": (
                ("Tents", "Backpacking Tent|Family Tent|Pop-Up Tent", "2-Person|4-Person|Ultralight",
                 7999, 59999, "colour"),
                ("Sleeping Bags", "Sleeping Bag|Sleeping Pad", "Down|3-Season|Mummy", 3999, 29999, "colour"),
                ("Hiking Gear", "Trekking Poles|Hydration Pack|Headlamp", "Carbon|Collapsible|Rechargeable",
                 1499, 14999, "colour"),
            ),
            "Cycling": (
                ("Bikes", "Road Bike|Mountain Bike|Gravel Bike|City Bike", "Aluminium|Carbon|Hardtail|21-Speed",
                 39999, 199999, "frame"),
                ("Cycling Helmets", "Cycling Helmet|Commuter Helmet", "Ventilated|Aero|Lightweight",
                 3999, 19999, "apparel"),
                ("Bike Accessories", "Bike Lights|Bike Lock|Saddle Bag|Floor Pump",
                 "Rechargeable|Heavy-Duty|Compact", 999, 7999, "single"),
            ),
            "Team Sports": (
                ("Soccer", "Soccer Ball|Goalkeeper Gloves|Shin Guards", "Match|Training|Pro", 1499, 7999, "pack"),
                ("Basketball", "Basketball|Portable Hoop", "Indoor/Outdoor|Official-Size|Adjustable",
                 1999, 49999, "single"),
                ("Racquet Sports", "Tennis Racquet|Pickleball Paddle Set|Badminton Set",
                 "Graphite|Tournament|Beginner", 1499, 24999, "single"),
            ),
        },
    },
    {
        "name": "Toys & Games",
        "brands": "Brightbloom|Tinker Town|Puzzlewood|Little Otter|Starling|Kidcraft|Maple Block|Cosmo Kids",
        "suffixes": "",
        "tags": "STEM|Ages 3+|Educational|Outdoor Play|Family Game Night",
        "weight": (100, 8000),
        "features": (
            "Safety-tested to ASTM and EN71 standards.",
            "Encourages creativity and problem solving.",
            "Gift-ready box with illustrated instructions.",
            "Made from non-toxic, child-safe materials.",
            "Batteries included.",
        ),
        "children": {
            "Building Toys": (
                ("Building Sets", "Building Set|Castle Set|Space Station Set", "500-Piece|Creative|Deluxe",
                 1999, 14999, "single"),
                ("Magnetic Tiles", "Magnetic Tile Set|Magnetic Building Kit", "60-Piece|100-Piece|Clear-Colour",
                 2999, 9999, "single"),
                ("Wooden Blocks", "Wooden Block Set|Marble Run", "Natural|Rainbow|Stacking", 1999, 7999, "single"),
            ),
            "Games & Puzzles": (
                ("Board Games", "Strategy Board Game|Family Board Game|Cooperative Game",
                 "Award-Winning|Deluxe|Classic", 1999, 6999, "single"),
                ("Jigsaw Puzzles", "Jigsaw Puzzle", "1000-Piece|500-Piece|Panoramic", 1299, 3999, "single"),
                ("Card Games", "Card Game|Party Game", "Pocket|Quick-Play|Strategy", 999, 2999, "single"),
            ),
            "Dolls & Plush": (
                ("Dolls", "Fashion Doll|Baby Doll|Dollhouse", "Poseable|Wooden|Classic", 1499, 14999, "single"),
                ("Plush Toys", "Teddy Bear|Plush Dinosaur|Plush Bunny", "Jumbo|Super-Soft|Weighted",
                 999, 4999, "colour"),
            ),
            "Outdoor Play": (
                ("Ride-On Toys", "Balance Bike|Kick Scooter|Ride-On Car", "Toddler|Foldable|Electric",
                 3999, 29999, "colour"),
                ("Water & Sand", "Water Blaster|Sand Toy Set|Sprinkler Mat", "Pump-Action|Beach|Splash",
                 999, 3999, "pack"),
                ("Swings & Slides", "Tree Swing|Toddler Slide|Climbing Dome", "Saucer|Freestanding|Foldable",
                 4999, 29999, "single"),
            ),
            "STEM & Learning": (
                ("Science Kits", "Chemistry Kit|Crystal Growing Kit|Microscope", "Junior|Beginner's|Deluxe",
                 1999, 9999, "single"),
                ("Coding Robots", "Coding Robot|Robot Kit", "Programmable|Solar-Powered|App-Controlled",
                 3999, 19999, "single"),
            ),
        },
    },
    {
        "name": "Books",
        "brands": "Harbor House|Bluefield Books|Lantern & Quill|Northlight|Riverbend Press|Meridian|Foxglove|Greystone",
        "suffixes": "",
        "title": "{adjective} {noun}",
        "tags": "Bestselling Author|Signed Copy|Book Club Pick|First Edition|Award Winner",
        "weight": (150, 1500),
        "features": (
            "A book-club favourite with discussion questions at the back.",
            "Shortlisted for a national book award.",
            "Printed on acid-free paper.",
            "Includes an exclusive author interview.",
            "The perfect gift for curious readers.",
        ),
        "children": {
            "Fiction": (
                ("Mystery & Thriller", "Witness|Alibi|Cipher|Vanishing|Night Train",
                 "The Silent|The Last|Midnight|The Hidden|A Quiet", 899, 2999, "book"),
                ("Science Fiction & Fantasy", "Starfall|Horizon|Kingdom|Machine|Crown",
                 "The Iron|Beyond the|Children of the|The Ninth", 999, 3499, "book"),
                ("Literary Fiction", "Garden|Summer|River|Letters|Orchard",
                 "The Lemon|A Long|The Lighthouse|Our Last", 999, 2999, "book"),
                ("Romance", "Proposal|Season|Promise|Arrangement", "The Summer|A Perfect|The Wedding|Our Winter",
                 799, 1999, "book"),
            ),
            "Non-Fiction": (
                ("Biographies & Memoirs", "Life|Journey|Years|Memoir", "An Unfinished|My Brilliant|The Long",
                 1299, 3499, "book"),
                ("History", "Empire|Revolution|Century|Silk Road", "The Forgotten|The Rise of the|The Great",
                 1499, 3999, "book"),
                ("Business & Money", "Habit|Playbook|Advantage|Mindset", "The Lean|The Compound|The Focused",
                 1299, 2999, "book"),
            ),
            "Children's Books": (
                ("Picture Books", "Little Fox|Moon|Bear|Dragon", "Goodnight|The Very Sleepy|Where's the",
                 699, 1999, "book"),
                ("Early Readers", "Adventure|Big Day|Treasure Hunt", "Pip's|Max and the|Luna's",
                 499, 1499, "book"),
                ("Young Adult", "Rebels|Secret|Academy|Storm", "The Shadow|The Glass|Wild", 999, 2499, "book"),
            ),
            "Cookbooks": (
                ("Baking", "Bread|Cakes|Pastry", "Simple|The Sourdough|Sunday", 1499, 3999, "book"),
                ("World Cuisine", "Kitchen|Table|Street Food", "The Italian|Tokyo|Mexico City", 1999, 4499, "book"),
                ("Healthy Eating", "Bowls|Greens|Plates", "Weeknight|Plant-Powered|The Everyday",
                 1499, 3499, "book"),
            ),
            "Comics & Graphic Novels": (
                ("Graphic Novels", "Vol. 1|Vol. 2|Omnibus", "Ronin|Starlight|Night Owl|Paper Moon",
                 1299, 4999, "book"),
                ("Manga", "Vol. 1|Vol. 3|Box Set", "Blade Academy|Spirit Garden|Mecha Dawn", 999, 7999, "book"),
            ),
        },
    },
    {
        "name": "Beauty",
        "brands": "Glowhaus|Pure Petal|Luma Skin|Verdant Botanics|Velvet & Vine|Aurelle|Dewdrop Labs|Saltwater",
        "suffixes": "",
        "tags": "Vegan|Cruelty-Free|Fragrance-Free|SPF|Travel Size",
        "weight": (50, 900),
        "features": (
            "Dermatologist-tested and suitable for sensitive skin.",
            "Free from parabens and sulfates.",
            "Recyclable glass packaging.",
            "Made in small batches.",
            "Lightweight formula that absorbs quickly.",
        ),
        "children": {
            "Skincare": (
                ("Moisturizers", "Face Cream|Night Cream|Gel Moisturizer", "Hydrating|Ceramide|Oil-Free",
                 999, 6999, "volume"),
                ("Serums", "Vitamin C Serum|Retinol Serum|Hyaluronic Acid Serum", "Brightening|Firming|Overnight",
                 1299, 8999, "volume"),
                ("Cleansers", "Foaming Cleanser|Cleansing Balm|Micellar Water", "Gentle|Clarifying|Soothing",
                 799, 3999, "volume"),
                ("Sunscreen", "Mineral Sunscreen SPF 50|Daily Sunscreen SPF 30", "Sheer|Tinted|Water-Resistant",
                 999, 3999, "volume"),
            ),
            "Makeup": (
                ("Face Makeup", "Foundation|Concealer|Bronzer", "Matte|Luminous|Long-Wear", 999, 4999, "shade"),
                ("Lips", "Lipstick|Lip Gloss|Lip Liner", "Velvet Matte|Hydrating|Sheer", 699, 3499, "lip"),
                ("Eyes", "Mascara|Eyeshadow Palette|Eyeliner", "Volumizing|Waterproof|Smudge-Proof",
                 799, 5999, "single"),
            ),
            "Hair Care": (
                ("Shampoo & Conditioner", "Shampoo|Conditioner|Shampoo & Conditioner Set",
                 "Sulfate-Free|Repairing|Volumizing", 899, 4999, "volume"),
                ("Hair Styling Tools", "Hair Dryer|Hair Straightener|Curling Wand", "Ionic|Ceramic|Cordless",
                 2999, 29999, "colour"),
            ),
            "Fragrance": (
                ("Perfume", "Eau de Parfum|Perfume Oil", "Amber|Citrus|Oud|Floral", 2999, 19999, "volume"),
                ("Cologne", "Eau de Toilette|Cologne", "Cedar|Vetiver|Marine", 2999, 14999, "volume"),
            ),
            "Bath & Body": (
                ("Body Care", "Body Lotion|Body Scrub|Body Oil", "Shea Butter|Coconut|Whipped", 799, 3999, "volume"),
                ("Soaps", "Bar Soap|Hand Wash", "Handmade|Olive Oil|Oatmeal", 499, 1999, "pack"),
            ),
        },
    },
    {
        "name": "Collectibles",
        "brands": "Heritage Mint|Vaultline|Golden Era|Starcade|Relic & Co.|Prime Grade|Blue Chip|Timeless",
        "suffixes": "",
        "tags": "Graded|Rare|Factory Sealed|Retro|Autographed",
        "weight": (20, 3000),
        "features": (
            "Stored in a smoke-free, climate-controlled room.",
            "Comes with a certificate of authenticity.",
            "Ships insured in a protective case.",
            "Photographed from every angle on request.",
            "From a private collection built over 30 years.",
        ),
        "children": {
            "Trading Cards": (
                ("Sports Cards", "Rookie Card|Autographed Card|Card Lot", "1990s|Graded|Vintage",
                 499, 99999, "grade"),
                ("Trading Card Games", "Booster Box|Holo Rare Card|Starter Deck", "Sealed|First Edition|Foil",
                 499, 49999, "grade"),
            ),
            "Coins & Currency": (
                ("Coins", "Silver Dollar|Gold Coin|Proof Set|Commemorative Coin", "Uncirculated|1921|Proof",
                 1999, 149999, "grade"),
                ("Banknotes", "Banknote|Currency Set", "Rare|Star Note|Uncirculated", 999, 29999, "grade"),
            ),
            "Vintage & Retro": (
                ("Vinyl Records", "LP|Vinyl Record|Box Set", "Original Pressing|180g|Limited", 1499, 19999, "grade"),
                ("Retro Gaming", "Game Cartridge|Boxed Console|Handheld", "Complete-in-Box|Rare|Classic",
                 1999, 49999, "grade"),
                ("Vintage Cameras", "Rangefinder Camera|Film Camera|Instant Film Camera", "35mm|Medium Format",
                 4999, 79999, "grade"),
            ),
            "Figures & Memorabilia": (
                ("Action Figures", "Action Figure|Figure Set", "Limited-Edition|Vintage|Mint-in-Box",
                 1499, 29999, "grade"),
                ("Sports Memorabilia", "Signed Jersey|Signed Baseball|Game-Used Bat", "Authenticated|Framed",
                 4999, 99999, "single"),
                ("Model Kits", "Scale Model Kit|Die-Cast Car|Model Train Set", "1:24 Scale|HO Scale|Die-Cast",
                 1999, 29999, "single"),
            ),
        },
    },
)

_GENERIC_TAGS = _words(
    "Bestseller|New Arrival|Gift Idea|Limited Edition|Eco-Friendly|On Sale|Free Shipping|Handmade|Vintage|"
    "Bundle Deal|Staff Pick|Trending|Back in Stock|Clearance|Premium|Budget-Friendly|Made in USA|Small Business|"
    "Exclusive|Seasonal"
)

# Variant schemes: how a product of a leaf varies. "apparel", "shoes", "frame", "colour" and "single" are
# built in _variant_options; the rest are (attribute, ((value, price in % of the base price), ...)).
_COLOURS = ("Black", "White", "Grey", "Navy", "Red", "Blue", "Green", "Beige", "Pink", "Olive", "Burgundy")
_TECH_COLOURS = ("Black", "White", "Silver", "Graphite", "Midnight Blue", "Rose Gold")
_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
_SHOE_SIZES = ("6", "7", "8", "9", "10", "11", "12")
_SCHEMES: dict[str, tuple[str, tuple[tuple[str, int], ...]]] = {
    "storage": ("storage", (("128 GB", 100), ("256 GB", 115), ("512 GB", 140))),
    "capacity": ("capacity", (("512 GB", 100), ("1 TB", 135), ("2 TB", 190))),
    "pack": ("pack", (("Single", 100), ("2-Pack", 180), ("4-Pack", 330))),
    "book": ("format", (("Paperback", 100), ("Hardcover", 160), ("Collector's Edition", 260))),
    "volume": ("size", (("30 ml", 100), ("50 ml", 150), ("100 ml", 240))),
    "bed": ("size", (("Twin", 100), ("Queen", 130), ("King", 150))),
    "rug": ("size", (("3 x 5 ft", 100), ("5 x 8 ft", 180), ("8 x 10 ft", 290))),
    "grade": ("grade", (("Near Mint", 100), ("Excellent", 80), ("Good", 60))),
    "shade": ("shade", (("Fair", 100), ("Light", 100), ("Medium", 100), ("Tan", 100), ("Deep", 100))),
    "lip": ("shade", (("Nude", 100), ("Rose", 100), ("Berry", 100), ("Classic Red", 100), ("Coral", 100))),
}

# Typed attributes of the demo categories: (department, the department or one of its categories, spec).
# The variant-scope ones are exactly the keys and values _variant_options writes; a closer definition wins
# (shoes have their own sizes, sheets and rugs theirs). The product-scope values come from _product_attributes.
_FASHION_MATERIALS = (
    "Cotton", "Organic Cotton", "Linen", "Silk", "Satin", "Wool", "Denim", "Polyester", "Nylon", "Leather",
    "Vegan Leather", "Suede", "Canvas", "Waxed Canvas", "Knit", "Stainless Steel", "Acetate",
)
_HOME_MATERIALS = (
    "Cotton", "Organic Cotton", "Linen", "Wool", "Jute", "Velvet", "Oak", "Walnut", "Teak", "Wood", "Metal",
    "Stainless Steel", "Cast Iron", "Copper", "Brass", "Ceramic", "Stoneware", "Porcelain", "Glass", "Crystal",
    "Rattan", "Soy Wax", "Paper", "Canvas", "Plastic",
)
# Where neither adjective nor noun names a material: plausible ones by leaf, else by subcategory.
_MATERIAL_FALLBACK: dict[str, tuple[str, ...]] = {
    "Women's Clothing": ("Cotton", "Linen", "Silk", "Polyester"), "Women's Jeans": ("Denim",),
    "Coats & Jackets": ("Wool", "Polyester", "Cotton"), "Men's Clothing": ("Cotton", "Linen", "Polyester"),
    "Trousers": ("Cotton", "Denim", "Wool"), "Outerwear": ("Nylon", "Polyester", "Wool"),
    "Shoes": ("Leather", "Suede", "Canvas"), "Bags & Accessories": ("Leather", "Vegan Leather", "Canvas", "Nylon"),
    "Watches": ("Stainless Steel",), "Sunglasses": ("Acetate",),
    "Kitchen & Dining": ("Stainless Steel", "Ceramic", "Glass"), "Furniture": ("Oak", "Walnut", "Metal"),
    "Bedding & Bath": ("Cotton", "Linen"), "Home Decor": ("Metal", "Wood", "Glass"),
    "Wall Art": ("Paper", "Canvas"), "Candles & Fragrance": ("Soy Wax", "Glass"),
    "Garden & Outdoor": ("Stainless Steel", "Wood", "Metal"), "Seeds & Bulbs": (),
    "Grills & Outdoor Cooking": ("Stainless Steel", "Cast Iron"),
}
_SCREEN_SIZES = {
    "Smartphones": (6.1, 6.4, 6.7, 6.9), "Tablets": (8.3, 10.9, 11, 12.9),
    "Laptops": (13.3, 14, 15.6, 16), "Monitors": (24, 27, 32, 34),
}


def _variant_choice(code: str, name: str, choices: Sequence[str], *, required: bool = False) -> AttributeSpec:
    return AttributeSpec(code, name, CHOICE, VARIANT, tuple(choices), is_required=required)


def _scheme_values(scheme: str) -> tuple[str, ...]:
    return tuple(value for value, _ in _SCHEMES[scheme][1])


_SCREEN_SIZE = AttributeSpec("screen_size", "Screen size", NUMBER, PRODUCT, unit="in")
_DEMO_ATTRIBUTES: tuple[tuple[str, str, AttributeSpec], ...] = (
    ("Electronics", "Electronics", _variant_choice("colour", "Colour", _TECH_COLOURS)),
    ("Electronics", "Electronics", _variant_choice("storage", "Storage", _scheme_values("storage"))),
    ("Electronics", "Electronics", _variant_choice("capacity", "Capacity", _scheme_values("capacity"))),
    ("Electronics", "Electronics", _variant_choice("pack", "Pack", _scheme_values("pack"))),
    *(("Electronics", leaf, _SCREEN_SIZE) for leaf in _SCREEN_SIZES),
    ("Fashion", "Fashion", _variant_choice("colour", "Colour", _COLOURS)),
    ("Fashion", "Fashion", _variant_choice("size", "Size", _SIZES)),
    ("Fashion", "Fashion", AttributeSpec("material", "Material", CHOICE, PRODUCT, _FASHION_MATERIALS)),
    ("Fashion", "Shoes", _variant_choice("size", "Size (US)", _SHOE_SIZES)),
    ("Home & Garden", "Home & Garden", _variant_choice("colour", "Colour", _COLOURS)),
    ("Home & Garden", "Home & Garden", _variant_choice("pack", "Pack", _scheme_values("pack"))),
    ("Home & Garden", "Home & Garden", AttributeSpec("material", "Material", CHOICE, PRODUCT, _HOME_MATERIALS)),
    ("Home & Garden", "Bedding & Bath", _variant_choice("size", "Size", _scheme_values("bed"))),
    ("Home & Garden", "Home Decor", _variant_choice("size", "Size", _scheme_values("rug"))),
    ("Sports & Outdoors", "Sports & Outdoors", _variant_choice("colour", "Colour", _COLOURS)),
    ("Sports & Outdoors", "Sports & Outdoors", _variant_choice("size", "Size", _SIZES)),
    ("Sports & Outdoors", "Sports & Outdoors", _variant_choice("pack", "Pack", _scheme_values("pack"))),
    ("Toys & Games", "Toys & Games", _variant_choice("colour", "Colour", _COLOURS)),
    ("Toys & Games", "Toys & Games", _variant_choice("pack", "Pack", _scheme_values("pack"))),
    ("Toys & Games", "Toys & Games", AttributeSpec("age_from", "Suitable from age", NUMBER, PRODUCT, unit="years")),
    ("Books", "Books", _variant_choice("format", "Format", _scheme_values("book"), required=True)),
    ("Books", "Books", AttributeSpec("pages", "Pages", NUMBER, PRODUCT, is_facet=False)),
    ("Beauty", "Beauty", _variant_choice("size", "Size", _scheme_values("volume"))),
    ("Beauty", "Beauty", _variant_choice("shade", "Shade", _scheme_values("shade") + _scheme_values("lip"))),
    ("Beauty", "Beauty", _variant_choice("colour", "Colour", _COLOURS)),
    ("Beauty", "Beauty", _variant_choice("pack", "Pack", _scheme_values("pack"))),
    ("Beauty", "Beauty", AttributeSpec("vegan", "Vegan", BOOLEAN, PRODUCT)),
    ("Collectibles", "Collectibles", _variant_choice("grade", "Grade", _scheme_values("grade"))),
    ("Collectibles", "Collectibles", AttributeSpec("year", "Year", NUMBER, PRODUCT)),
)

_SELLERS: tuple[tuple[str, str, str], ...] = (
    # (shop name, kind, departments); the first one belongs to the demo seller login.
    ("Northwind Goods", "business", "Electronics|Home & Garden"),
    ("Voltline Electronics", "business", "Electronics"),
    ("Threadbare Studio", "individual", "Fashion"),
    ("Maple & Moss Home", "business", "Home & Garden"),
    ("Summit Gear Co.", "business", "Sports & Outdoors"),
    ("Little Lantern Toys", "business", "Toys & Games"),
    ("Dog-Eared Books", "individual", "Books"),
    ("Glow Apothecary", "business", "Beauty"),
    ("Rare Finds Vault", "individual", "Collectibles"),
    ("Urban Stitch", "business", "Fashion"),
    ("Pixel Harbor", "business", "Electronics|Toys & Games"),
    ("Cedar Workshop", "individual", "Home & Garden"),
    ("Trailhead Outfitters", "business", "Sports & Outdoors|Fashion"),
    ("Bloom & Bristle", "individual", "Beauty"),
    ("Page Turner Books", "business", "Books"),
    ("Retro Arcade Exchange", "individual", "Electronics|Collectibles"),
    ("Kidsville Playhouse", "business", "Toys & Games"),
    ("Sole Society", "business", "Fashion"),
    ("Green Thumb Supply", "business", "Home & Garden"),
    ("Closet Swap", "individual", "Fashion"),
    ("Iron Temple Fitness", "business", "Sports & Outdoors"),
    ("Heritage Coin & Stamp", "individual", "Collectibles"),
    ("The Gadget Attic", "individual", "Electronics"),
    ("Velvet Vanity", "business", "Beauty"),
    ("Brick & Block Collectors", "individual", "Toys & Games|Collectibles"),
    ("Fable & Folio", "individual", "Books"),
    ("Coastal Living Co.", "business", "Home & Garden|Fashion"),
    ("Second Serve Sports", "individual", "Sports & Outdoors"),
)
_SHOP_WORDS = ("Corner", "Market", "Trading Post", "Emporium", "Supply", "Outlet", "Finds", "Depot")
_SHOP_ADJECTIVES = ("Sunny", "Oak Street", "Blue Door", "Riverside", "Hilltop", "Lucky", "Golden", "Old Town")
_TAGLINES = (
    "Every order is packed by hand and ships within two business days.",
    "We answer every message within a day.",
    "Free returns within 30 days.",
    "Proudly independent since 2014.",
    "Combined shipping on every multi-item order.",
)

_FIRST_NAMES = _words(
    "Olivia|Liam|Emma|Noah|Ava|Elijah|Sophia|James|Isabella|Lucas|Mia|Mason|Amelia|Ethan|Harper|Logan|Evelyn|"
    "Aiden|Abigail|Jackson|Emily|Sebastian|Ella|Mateo|Chloe|Daniel|Grace|Henry|Zoe|Leo|Nora|Owen|Priya|Arjun|"
    "Mei|Hiro|Fatima|Omar|Sofia|Diego"
)
_LAST_NAMES = _words(
    "Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|Wilson|Anderson|"
    "Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|White|Harris|Clark|Lewis|Walker|Young|Allen|King|"
    "Wright|Scott|Nguyen|Patel|Kim|Chen|Okafor|Cohen|Rossi|Novak"
)
_STREETS = _words(
    "Maple Ave|Oak St|Pine St|Cedar Ln|Elm St|Washington Blvd|Lake Shore Dr|Sunset Blvd|Park Ave|Main St|"
    "Highland Ave|Riverside Dr|Mill Rd|Church St|Market St|Valley View Rd"
)
_CITIES = (
    # (city, region, postal code prefix, country)
    ("New York", "NY", "100", "US"), ("Brooklyn", "NY", "112", "US"), ("Los Angeles", "CA", "900", "US"),
    ("San Francisco", "CA", "941", "US"), ("San Diego", "CA", "921", "US"), ("Chicago", "IL", "606", "US"),
    ("Houston", "TX", "770", "US"), ("Austin", "TX", "787", "US"), ("Seattle", "WA", "981", "US"),
    ("Portland", "OR", "972", "US"), ("Denver", "CO", "802", "US"), ("Boston", "MA", "021", "US"),
    ("Atlanta", "GA", "303", "US"), ("Miami", "FL", "331", "US"), ("Philadelphia", "PA", "191", "US"),
    ("Minneapolis", "MN", "554", "US"), ("Phoenix", "AZ", "850", "US"), ("Nashville", "TN", "372", "US"),
    ("Toronto", "ON", "M5V", "CA"), ("Vancouver", "BC", "V6B", "CA"),
)

_CAMPAIGNS_BY_MONTH = {
    1: "new-year-sale", 2: "valentines-gifts", 3: "spring-refresh", 4: "spring-refresh", 5: "mothers-day",
    6: "summer-kickoff", 7: "summer-sale", 8: "back-to-school", 9: "back-to-school", 10: "fall-favourites",
    11: "black-friday", 12: "holiday-gifts",
}
# (weight, utm_source, utm_medium, referrer, campaign kind)
_CHANNELS = (
    (34, "google", "organic", "https://www.google.com/", ""),
    (24, "", "", "", ""),  # direct
    (9, "google", "cpc", "https://www.google.com/", "search"),
    (10, "facebook", "social", "https://l.facebook.com/", "seasonal"),
    (5, "instagram", "social", "https://l.instagram.com/", "seasonal"),
    (10, "newsletter", "email", "", "newsletter"),
    (5, "bing", "organic", "https://www.bing.com/", ""),
    (3, "pinterest", "social", "https://www.pinterest.com/", ""),
)
_CHANNEL_WEIGHTS = [channel[0] for channel in _CHANNELS]
_SEARCH_CAMPAIGNS = ("brand-search", "shopping-always-on", "generic-gifts")
_UA_CLASSES = (UserAgentClass.DESKTOP, UserAgentClass.MOBILE, UserAgentClass.TABLET, UserAgentClass.OTHER)
_UA_WEIGHTS = (44, 46, 8, 2)
_WEEKDAY_FACTOR = (0.95, 0.92, 0.94, 0.98, 1.05, 1.18, 1.22)  # Monday first
_HOUR_FACTOR = (
    0.30, 0.20, 0.15, 0.10, 0.10, 0.15, 0.30, 0.50, 0.70, 0.85, 0.95, 1.00,
    1.10, 1.05, 1.00, 1.00, 1.05, 1.15, 1.30, 1.45, 1.50, 1.35, 1.00, 0.60,
)
# fmt: on


@dataclass(frozen=True)
class LeafSpec:
    name: str
    slug: str
    nouns: tuple[str, ...]
    adjectives: tuple[str, ...]
    price_range: tuple[int, int]
    scheme: str


@dataclass(frozen=True)
class SubcategorySpec:
    name: str
    slug: str
    leaves: tuple[LeafSpec, ...]


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    slug: str
    brands: tuple[str, ...]
    suffixes: tuple[str, ...]
    title_pattern: str
    features: tuple[str, ...]
    tag_names: tuple[str, ...]
    weight_range: tuple[int, int]
    subcategories: tuple[SubcategorySpec, ...]

    @property
    def leaves(self) -> tuple[LeafSpec, ...]:
        return tuple(leaf for sub in self.subcategories for leaf in sub.leaves)


def _build_departments() -> tuple[DepartmentSpec, ...]:
    """The category tree with unique slugs: a name used twice gets its parent's slug as a prefix."""
    seen: set[str] = set()

    def unique_slug(name: str, parent_slug: str) -> str:
        slug = slugify(name)
        if slug in seen:
            slug = f"{parent_slug}-{slug}"
        seen.add(slug)
        return slug

    departments = []
    for raw in _DEPARTMENTS:
        dept_slug = unique_slug(raw["name"], "")
        subcategories = []
        for sub_name, leaves in raw["children"].items():
            sub_slug = unique_slug(sub_name, dept_slug)
            leaf_specs = tuple(
                LeafSpec(
                    name, unique_slug(name, sub_slug), _words(nouns), _words(adjectives), (low, high), scheme
                )
                for name, nouns, adjectives, low, high, scheme in leaves
            )
            subcategories.append(SubcategorySpec(sub_name, sub_slug, leaf_specs))
        departments.append(
            DepartmentSpec(
                name=raw["name"],
                slug=dept_slug,
                brands=_words(raw["brands"]),
                suffixes=_words(raw["suffixes"]),
                title_pattern=raw.get("title", "{brand} {adjective} {noun}{suffix}"),
                features=raw["features"],
                tag_names=_words(raw["tags"]),
                weight_range=raw["weight"],
                subcategories=tuple(subcategories),
            )
        )
    return tuple(departments)


DEPARTMENTS = _build_departments()
DEPARTMENTS_BY_NAME = {dept.name: dept for dept in DEPARTMENTS}
_LEAF_SUBCATEGORY = {
    leaf.slug: sub.name for dept in DEPARTMENTS for sub in dept.subcategories for leaf in sub.leaves
}
TAG_NAMES = tuple(_GENERIC_TAGS) + tuple(name for dept in DEPARTMENTS for name in dept.tag_names)
_SITE_ORIGIN = "https://marketplace.localhost"


# --- Public entry point ---------------------------------------------------------------------------
class ProgressBar(Protocol):
    def update(self, n: int = 1) -> object: ...


ProgressFactory = Callable[[str, int], AbstractContextManager[ProgressBar]]


class _SilentBar:
    def update(self, n: int = 1) -> None:
        return None


@contextmanager
def no_progress(description: str, total: int) -> Iterator[ProgressBar]:
    yield _SilentBar()


@dataclass
class DemoSeedResult:
    """How many rows of each kind this run created (zero everywhere on a repeated run)."""

    categories: int = 0
    attribute_definitions: int = 0
    tags: int = 0
    sellers: int = 0
    shoppers: int = 0
    addresses: int = 0
    products: int = 0
    variants: int = 0
    orders: int = 0
    events: int = 0
    history_skipped: bool = False


def demo_seed(
    *,
    products: int = 5000,
    sellers: int = 24,
    shoppers: int = 300,
    orders: int = 3000,
    events: int = 50000,
    seed: int = 42,
    progress: ProgressFactory = no_progress,
) -> DemoSeedResult:
    """Create whatever part of the demo marketplace is missing.

    Categories, tags, sellers, shoppers and products are topped up to the requested numbers. Orders and
    events (the 12-month history) are generated together, and only while no demo order and no demo event
    exists: history made in one go stays consistent (every ``order_placed`` event matches an order)."""
    seeder = _Seeder(seed=seed, now=timezone.now(), progress=progress)
    seeder.categories_seed()
    seeder.attributes_seed()
    seeder.tags_seed()
    seeder.sellers_seed(count=sellers)
    seeder.shoppers_seed(count=shoppers)
    seeder.logins_seed()
    seeder.products_seed(count=products)
    seeder.history_seed(orders=orders, events=events)
    return seeder.result


# --- Helpers --------------------------------------------------------------------------------------
def _rng(seed: int, *parts: object) -> random.Random:
    """One reproducible stream per generated thing, so product 4,001 comes out the same whether it is
    created by the first run or by a later one that tops the catalog up."""
    return random.Random(":".join(str(part) for part in (seed, *parts)))  # noqa: S311 - demo data, not secrets


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _snap_price(amount: int) -> int:
    """Shelf prices: $4.49/$4.99 under $20, $x.99 under $200, then $xx9.99."""
    if amount < 2000:
        return max(99, amount // 50 * 50 + 49)
    if amount < 20000:
        return amount // 100 * 100 + 99
    return amount // 1000 * 1000 + 999


def _price_between(rng: random.Random, low: int, high: int) -> int:
    """Log-uniform, so cheap items are as common in a range as expensive ones."""
    return _snap_price(int(math.exp(rng.uniform(math.log(low), math.log(high)))))


def _visitor_id(seed: int, key: object) -> str:
    return f"{VISITOR_PREFIX}{_rng(seed, 'visitor', key).getrandbits(112):028x}"


def _variant_options(
    rng: random.Random, scheme: str, department: str
) -> list[tuple[str, dict[str, str], int]]:
    """(name, attributes, price in % of the base price) for each variant of one product."""
    count = rng.choices((1, 2, 3), weights=(45, 30, 25))[0]
    if scheme == "single":
        return [("", {}, 100)]
    if scheme in ("apparel", "shoes", "frame"):
        sizes = {"apparel": _SIZES, "shoes": _SHOE_SIZES, "frame": _SIZES[1:5]}[scheme]
        colour = rng.choice(_COLOURS)
        start = rng.randrange(len(sizes) - count + 1)
        return [
            (f"{colour} / {size}", {"colour": colour, "size": size}, 100)
            for size in sizes[start : start + count]
        ]
    if scheme == "colour":
        palette = _TECH_COLOURS if department == "Electronics" else _COLOURS
        return [(colour, {"colour": colour}, 100) for colour in rng.sample(palette, count)]
    attribute, options = _SCHEMES[scheme]
    if scheme == "storage":
        colour = rng.choice(_TECH_COLOURS)
        return [
            (f"{colour} / {value}", {"colour": colour, attribute: value}, pct)
            for value, pct in options[:count]
        ]
    if scheme == "grade":
        count = 1 if rng.random() < 0.8 else 2
    # Options with one price are interchangeable (shades); priced ones are offered from the smallest up.
    chosen = rng.sample(options, count) if all(pct == 100 for _, pct in options) else options[:count]
    return [(value, {attribute: value}, pct) for value, pct in chosen]


def _category_slug(department: str, name: str) -> str:
    """The slug of a department, or of one of its subcategories or leaves, by name."""
    dept = DEPARTMENTS_BY_NAME[department]
    if name == dept.name:
        return dept.slug
    for sub in dept.subcategories:
        if name == sub.name:
            return sub.slug
        for leaf in sub.leaves:
            if name == leaf.name:
                return leaf.slug
    raise KeyError(f"{department} has no category {name!r}")


_INCHES = re.compile(r"(\d+(?:\.\d+)?)-inch")
_YEAR = re.compile(r"\b(1[89]\d\d|20[0-2]\d)(s?)\b")


def _word_matcher(choices: Sequence[str]) -> re.Pattern[str]:
    """Finds any of ``choices`` as whole words, the longest first ("Organic Cotton" before "Cotton")."""
    alternatives = "|".join(re.escape(choice) for choice in sorted(choices, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


_MATERIAL_MATCHERS = {
    "Fashion": (_word_matcher(_FASHION_MATERIALS), {m.casefold(): m for m in _FASHION_MATERIALS}),
    "Home & Garden": (_word_matcher(_HOME_MATERIALS), {m.casefold(): m for m in _HOME_MATERIALS}),
}


def _material(rng: random.Random, department: str, words: str, leaf: LeafSpec) -> str | None:
    """The material the title names, else a plausible one for the leaf; None where materials mean
    nothing (seeds)."""
    matcher, canonical = _MATERIAL_MATCHERS[department]
    named = matcher.search(words)
    if named:
        return canonical[named[0].casefold()]
    fallback = _MATERIAL_FALLBACK.get(leaf.name, _MATERIAL_FALLBACK.get(_LEAF_SUBCATEGORY[leaf.slug], ()))
    return rng.choice(fallback) if fallback else None


def _product_attributes(
    rng: random.Random, dept: DepartmentSpec, leaf: LeafSpec, words: str, tag_names: Sequence[str]
) -> dict[str, object]:
    """Product-scope values of one demo product, consistent with its title (``words`` is its adjective
    and noun) and tags, and valid for ``_DEMO_ATTRIBUTES``. ``rng`` is the product's own stream after
    every other draw, so the values change nothing else about the product."""
    values: dict[str, object] = {}
    if dept.name in _MATERIAL_MATCHERS:
        material = _material(rng, dept.name, words, leaf)
        if material:
            values["material"] = material
    elif leaf.name in _SCREEN_SIZES:
        inches = _INCHES.search(words)
        size = float(inches[1]) if inches else rng.choice(_SCREEN_SIZES[leaf.name])
        values["screen_size"] = int(size) if size == int(size) else size
    elif dept.name == "Toys & Games":
        values["age_from"] = rng.choice((3, 4, 6, 8))
    elif dept.name == "Books":
        values["pages"] = rng.randint(96, 720)
    elif dept.name == "Beauty":
        values["vegan"] = "Vegan" in tag_names
    elif dept.name == "Collectibles":
        year = _YEAR.search(words)
        if year is None:
            values["year"] = rng.randint(1950, 2015)
        else:
            values["year"] = int(year[1]) + (rng.randint(0, 9) if year[2] else 0)
    return values


def _day_weight(day: date, days_ago: int) -> float:
    """Relative traffic of one day: steady growth, busier weekends, Black Friday and the holidays."""
    weight = (0.55 + 0.45 * (HISTORY_DAYS - days_ago) / HISTORY_DAYS) * _WEEKDAY_FACTOR[day.weekday()]
    november_first = date(day.year, 11, 1)
    thanksgiving = november_first + timedelta(days=(3 - november_first.weekday()) % 7 + 21)
    if thanksgiving <= day <= thanksgiving + timedelta(days=4):
        weight *= 2.2
    elif (day.month == 11 and day.day >= 15) or (day.month == 12 and day.day <= 22):
        weight *= 1.45
    elif day.month == 1 and day.day <= 20:
        weight *= 0.85
    return weight


class _Clock:
    """Draws moments of the past 12 months with the marketplace's daily, weekly and yearly rhythm."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        today = self.midnight.date()
        weights = [_day_weight(today - timedelta(days=ago), ago) for ago in range(HISTORY_DAYS)]
        self._day_cum = list(_accumulate(weights))
        self._hour_cum = list(_accumulate(_HOUR_FACTOR))

    def moment(self, rng: random.Random) -> datetime:
        while True:
            days_ago = rng.choices(range(HISTORY_DAYS), cum_weights=self._day_cum)[0]
            hour = rng.choices(range(24), cum_weights=self._hour_cum)[0]
            moment = (
                self.midnight - timedelta(days=days_ago) + timedelta(hours=hour, seconds=rng.randrange(3600))
            )
            if moment < self.now:
                return moment


def _accumulate(values: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


class _CatalogItem(NamedTuple):
    product_id: int
    slug: str
    title: str
    seller_id: int
    category_id: int
    category_slug: str
    published_at: datetime
    sales_count: int


class _VariantItem(NamedTuple):
    variant_id: int
    sku: str
    price_amount: int


class _Picker:
    """Weighted choice among products already published at a given moment (best-sellers sell more)."""

    def __init__(self, items: Sequence[_CatalogItem]) -> None:
        self.items = sorted(items, key=lambda item: item.published_at)
        self.moments = [item.published_at for item in self.items]
        self.cum = list(_accumulate([item.sales_count + 1 for item in self.items]))

    def pick(self, rng: random.Random, before: datetime) -> _CatalogItem:
        available = bisect.bisect_right(self.moments, before) or len(self.items)
        target = rng.random() * self.cum[available - 1]
        return self.items[bisect.bisect_right(self.cum, target, 0, available - 1)]


class _SellerSpec(NamedTuple):
    index: int
    email: str
    shop_name: str
    slug: str
    kind: str
    departments: tuple[str, ...]
    first_name: str
    last_name: str


def _seller_spec(seed: int, index: int) -> _SellerSpec:
    rng = _rng(seed, "seller", index)
    first_name, last_name = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    if index < len(_SELLERS):
        shop_name, kind, departments = _SELLERS[index]
        slug = slugify(shop_name)
    else:
        shop_name = f"{first_name}'s {rng.choice(_SHOP_ADJECTIVES)} {rng.choice(_SHOP_WORDS)}"
        kind = rng.choice((SellerProfile.Kind.BUSINESS, SellerProfile.Kind.INDIVIDUAL))
        departments = "|".join(rng.sample([dept.name for dept in DEPARTMENTS], rng.randint(1, 2)))
        slug = f"{slugify(shop_name)}-{index + 1}"
    email = SELLER_LOGIN[0] if index == 0 else f"seller{index + 1:03d}@{DEMO_DOMAIN}"
    return _SellerSpec(index, email, shop_name, slug, kind, _words(departments), first_name, last_name)


def _shopper_email(index: int) -> str:
    return SHOPPER_LOGIN[0] if index == 0 else f"shopper{index + 1:04d}@{DEMO_DOMAIN}"


class _EventRow(NamedTuple):
    occurred_at: datetime
    type: str
    session_key: str
    user_id: int | None
    ua_class: str
    object_type: str = ""
    object_id: str = ""
    properties: dict[str, Any] | None = None
    path: str = ""
    referrer: str = ""
    utm: tuple[str, str, str] = ("", "", "")
    is_bot: bool = False


class _Visitor(NamedTuple):
    session_key: str
    user_id: int | None
    ua_class: str


class _PlacedOrder(NamedTuple):
    order_id: int
    number: str
    placed_at: datetime
    buyer_id: int | None
    total_amount: int
    item_count: int
    seller_count: int
    first_product: _CatalogItem
    first_variant: _VariantItem


@dataclass
class _Seeder:
    seed: int
    now: datetime
    progress: ProgressFactory
    result: DemoSeedResult = field(default_factory=DemoSeedResult)
    leaf_category_ids: dict[str, int] = field(default_factory=dict)
    tag_ids: dict[str, int] = field(default_factory=dict)
    sellers: list[tuple[int, _SellerSpec]] = field(default_factory=list)
    _password_hashes: dict[str, str] = field(default_factory=dict)
    _created_emails: set[str] = field(default_factory=set)

    # --- catalog structure ------------------------------------------------------------------------
    def categories_seed(self) -> None:
        slugs = [dept.slug for dept in DEPARTMENTS]
        slugs += [sub.slug for dept in DEPARTMENTS for sub in dept.subcategories]
        slugs += [leaf.slug for dept in DEPARTMENTS for leaf in dept.leaves]
        existing = {category.slug: category for category in Category.objects.filter(slug__in=slugs)}
        missing = len(slugs) - len(existing)
        if missing:
            with transaction.atomic(), self.progress("Categories", missing) as bar:
                for position, dept in enumerate(DEPARTMENTS):
                    root = existing.get(dept.slug) or self._category_add(
                        None, dept.name, dept.slug, position, bar
                    )
                    for sub_position, sub in enumerate(dept.subcategories):
                        parent = existing.get(sub.slug) or self._category_add(
                            root, sub.name, sub.slug, sub_position, bar
                        )
                        for leaf_position, leaf in enumerate(sub.leaves):
                            existing[leaf.slug] = existing.get(leaf.slug) or self._category_add(
                                parent, leaf.name, leaf.slug, leaf_position, bar
                            )
            self.result.categories = missing
        self.leaf_category_ids = {
            leaf.slug: existing[leaf.slug].pk for dept in DEPARTMENTS for leaf in dept.leaves
        }

    def _category_add(
        self, parent: Category | None, name: str, slug: str, position: int, bar: ProgressBar
    ) -> Category:
        values = {
            "name": name,
            "slug": slug,
            "position": position,
            "description": f"Shop {name.lower()} from independent sellers and trusted brands.",
            "seo_title": f"{name} | Marketplace"[:70],
        }
        category = (
            Category.objects.add_root(values)
            if parent is None
            else Category.objects.add_child(parent, values)
        )
        bar.update(1)
        return category

    def attributes_seed(self) -> None:
        """The typed attributes of the demo categories (``_DEMO_ATTRIBUTES``); one a category already
        has (by code) is left as it is."""
        positions: Counter[str] = Counter()
        wanted: list[tuple[str, int, AttributeSpec]] = []
        for department, name, spec in _DEMO_ATTRIBUTES:
            slug = _category_slug(department, name)
            wanted.append((slug, positions[slug], spec))
            positions[slug] += 1
        category_ids = dict(Category.objects.filter(slug__in=positions).values_list("slug", "pk"))
        existing = set(
            CategoryAttribute.objects.filter(category_id__in=category_ids.values()).values_list(
                "category_id", "code"
            )
        )
        missing = [
            CategoryAttribute(
                category_id=category_ids[slug],
                code=spec.code,
                name=spec.name,
                type=spec.type,
                scope=spec.scope,
                choices=list(spec.choices),
                unit=spec.unit,
                is_required=spec.is_required,
                is_facet=spec.is_facet,
                position=position,
            )
            for slug, position, spec in wanted
            if slug in category_ids and (category_ids[slug], spec.code) not in existing
        ]
        if missing:
            with transaction.atomic():
                CategoryAttribute.objects.bulk_create(missing, batch_size=BATCH_SIZE)
            self.result.attribute_definitions = len(missing)

    def tags_seed(self) -> None:
        wanted = {slugify(name): name for name in TAG_NAMES}
        existing = set(Tag.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        missing = [Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
        if missing:
            with transaction.atomic():
                Tag.objects.bulk_create(missing, batch_size=BATCH_SIZE)
            self.result.tags = len(missing)
        self.tag_ids = dict(Tag.objects.filter(slug__in=wanted).values_list("slug", "pk"))

    # --- people -----------------------------------------------------------------------------------
    def _password_hash(self, password: str) -> str:
        # One PBKDF2 hash shared by all bulk users of a role: hashing per user would take minutes.
        if password not in self._password_hashes:
            self._password_hashes[password] = make_password(password)
        return self._password_hashes[password]

    def _users_create(self, users: list[User]) -> dict[str, int]:
        """Insert the users whose e-mail is not taken yet; returns e-mail -> id for all of them."""
        emails = [user.email for user in users]
        existing = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
        new = [user for user in users if user.email not in existing]
        for created in User.objects.bulk_create(new, batch_size=BATCH_SIZE):
            existing[created.email] = created.pk
            self._created_emails.add(created.email)
        return existing

    def sellers_seed(self, *, count: int) -> None:
        specs = [_seller_spec(self.seed, index) for index in range(count)]
        profiles = dict(
            SellerProfile.objects.filter(user__email__in=[spec.email for spec in specs]).values_list(
                "user__email", "pk"
            )
        )
        missing = [spec for spec in specs if spec.email not in profiles]
        if missing:
            with transaction.atomic(), self.progress("Sellers", len(missing)) as bar:
                password = self._password_hash(SELLER_LOGIN[1])
                users = []
                for spec in missing:
                    rng = _rng(self.seed, "seller-user", spec.index)
                    users.append(
                        User(
                            email=spec.email,
                            first_name=spec.first_name,
                            last_name=spec.last_name,
                            display_name=spec.shop_name,
                            password=password,
                            date_joined=self.now
                            - timedelta(days=700 if spec.index == 0 else rng.uniform(380, 900)),
                        )
                    )
                user_ids = self._users_create(users)
                joined = dict(User.objects.filter(email__in=user_ids).values_list("email", "date_joined"))
                taken = set(
                    SellerProfile.objects.filter(slug__in=[s.slug for s in missing]).values_list(
                        "slug", flat=True
                    )
                )
                new_profiles = []
                for spec in missing:
                    rng = _rng(self.seed, "seller-profile", spec.index)
                    kind_label = (
                        "family business" if spec.kind == SellerProfile.Kind.BUSINESS else "collector"
                    )
                    new_profiles.append(
                        SellerProfile(
                            user_id=user_ids[spec.email],
                            shop_name=spec.shop_name,
                            slug=f"{spec.slug}-{spec.index + 1}" if spec.slug in taken else spec.slug,
                            description=(
                                f"{spec.shop_name} is a {kind_label} selling "
                                f"{' and '.join(d.lower() for d in spec.departments)}. {rng.choice(_TAGLINES)}"
                            ),
                            kind=spec.kind,
                            status=SellerProfile.Status.APPROVED,
                            status_changed_at=joined[spec.email] + timedelta(days=rng.uniform(1, 6)),
                            rating_avg=Decimal(f"{rng.uniform(4.1, 4.95):.2f}"),
                            rating_count=rng.randint(12, 2400),
                        )
                    )
                created = SellerProfile.objects.bulk_create(new_profiles, batch_size=BATCH_SIZE)
                # "Seller since" should predate the products; auto_now_add stamped today.
                SellerProfile.objects.filter(pk__in=[p.pk for p in created]).update(
                    created_at=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("date_joined")[:1])
                )
                bar.update(len(created))
            self.result.sellers = len(missing)
            profiles.update(
                SellerProfile.objects.filter(user__email__in=[spec.email for spec in missing]).values_list(
                    "user__email", "pk"
                )
            )
        self.sellers = [(profiles[spec.email], spec) for spec in specs]

    def shoppers_seed(self, *, count: int) -> None:
        emails = [_shopper_email(index) for index in range(count)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        missing = [index for index, email in enumerate(emails) if email not in existing]
        if not missing:
            return
        with transaction.atomic(), self.progress("Shoppers", len(missing)) as bar:
            password = self._password_hash(SHOPPER_LOGIN[1])
            users, addresses = [], {}
            for index in missing:
                rng = _rng(self.seed, "shopper", index)
                first_name, last_name = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
                # More recent sign-ups than old ones: the marketplace grows.
                days = 420.0 if index == 0 else CATALOG_DAYS * (1 - math.sqrt(rng.random()))
                joined = self.now - timedelta(days=days)
                last_login = (
                    self.now - timedelta(days=rng.uniform(0, min(days, 60))) if rng.random() < 0.7 else None
                )
                users.append(
                    User(
                        email=emails[index],
                        first_name=first_name,
                        last_name=last_name,
                        display_name=f"{first_name} {last_name[0]}.",
                        password=password,
                        date_joined=joined,
                        last_login=last_login,
                    )
                )
                if index == 0 or rng.random() < 0.65:
                    addresses[emails[index]] = self._addresses_for(rng, f"{first_name} {last_name}")
            user_ids = self._users_create(users)
            rows = []
            for email, user_addresses in addresses.items():
                for address in user_addresses:
                    address.user_id = user_ids[email]
                    rows.append(address)
            Address.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            bar.update(len(users))
        self.result.shoppers = len(missing)
        self.result.addresses = len(rows)

    @staticmethod
    def _addresses_for(rng: random.Random, full_name: str) -> list[Address]:
        def address(label: str, *, is_default: bool) -> Address:
            city, region, postal_prefix, country = rng.choice(_CITIES)
            if country == "CA":
                postal_code = f"{postal_prefix} {rng.randint(1, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randint(1, 9)}"
            else:
                postal_code = f"{postal_prefix}{rng.randint(0, 99):02d}"
            return Address(
                label=label,
                full_name=full_name,
                line1=f"{rng.randint(1, 9800)} {rng.choice(_STREETS)}",
                line2=f"Apt {rng.randint(1, 40)}{rng.choice('ABCD')}" if rng.random() < 0.3 else "",
                city=city,
                region=region,
                postal_code=postal_code,
                country=country,
                phone=f"+1 {rng.randint(201, 989)}-555-{rng.randint(100, 199):04d}",
                is_default=is_default,
            )

        result = [address("Home", is_default=True)]
        if rng.random() < 0.15:
            result.append(address(rng.choice(("Work", "Office", "Parents")), is_default=False))
        return result

    def logins_seed(self) -> None:
        """The three documented logins work after every run, whatever happened to them in between."""
        from allauth.account.models import EmailAddress

        with transaction.atomic():
            for email, password, staff in (
                (*SHOPPER_LOGIN, False),
                (*SELLER_LOGIN, False),
                (*OPERATOR_LOGIN, True),
            ):
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User(email=email, display_name="Demo Operator" if staff else "")
                    self._created_emails.add(email)
                changed = email in self._created_emails or not user.check_password(password)
                if changed:
                    user.set_password(password)
                if staff and not (user.is_staff and user.is_superuser and user.is_active):
                    user.is_staff = user.is_superuser = user.is_active = changed = True
                if changed:
                    user.save()
                EmailAddress.objects.get_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )

    # --- products ---------------------------------------------------------------------------------
    def products_seed(self, *, count: int) -> None:
        existing = set()
        for sku in ProductVariant.objects.filter(sku__startswith=SKU_PREFIX, position=0).values_list(
            "sku", flat=True
        ):
            number = sku[len(SKU_PREFIX) :].split("-", 1)[0]
            if number.isdigit():
                existing.add(int(number))
        missing = [index for index in range(1, count + 1) if index not in existing]
        if not missing:
            return
        if not self.sellers:
            raise ValueError("Demo products need at least one demo seller.")
        weights = [
            3 if spec.index == 0 or spec.kind == SellerProfile.Kind.BUSINESS else 1
            for _, spec in self.sellers
        ]
        seller_cum = list(_accumulate(weights))
        through = Product.tags.through
        with transaction.atomic(), self.progress("Products", len(missing)) as bar:
            for chunk in _chunks(missing, BATCH_SIZE):
                drafts = [self._product_draft(index, seller_cum) for index in chunk]
                Product.objects.bulk_create([product for product, _, _ in drafts], batch_size=BATCH_SIZE)
                variants, links = [], []
                for product, product_variants, tag_ids in drafts:
                    for variant in product_variants:
                        variant.product_id = product.pk
                        variants.append(variant)
                    links.extend(through(product_id=product.pk, tag_id=tag_id) for tag_id in tag_ids)
                ProductVariant.objects.bulk_create(variants, batch_size=BATCH_SIZE)
                through.objects.bulk_create(links, batch_size=BATCH_SIZE)
                # auto_now_add stamped today; a listing's age is when it went live.
                ids = [product.pk for product, _, _ in drafts]
                Product.objects.filter(pk__in=ids).update(created_at=F("published_at"))
                self.result.variants += len(variants)
                bar.update(len(chunk))
        self.result.products = len(missing)

    def _product_draft(
        self, index: int, seller_cum: list[float]
    ) -> tuple[Product, list[ProductVariant], list[int]]:
        rng = _rng(self.seed, "product", index)
        # Every 20th product belongs to the demo seller login, so it always has a shop to show.
        position = 0 if index % 20 == 1 else rng.choices(range(len(self.sellers)), cum_weights=seller_cum)[0]
        seller_id, seller = self.sellers[position]
        dept = DEPARTMENTS_BY_NAME[rng.choice(seller.departments)]
        leaf = rng.choice(dept.leaves)
        brand, adjective, noun = rng.choice(dept.brands), rng.choice(leaf.adjectives), rng.choice(leaf.nouns)
        title = dept.title_pattern.format(
            brand=brand, adjective=adjective, noun=noun, suffix=rng.choice(dept.suffixes)
        )
        individual = seller.kind == SellerProfile.Kind.INDIVIDUAL
        if individual:
            condition = rng.choices(
                (Product.Condition.NEW, Product.Condition.USED, Product.Condition.REFURBISHED),
                weights=(45, 50, 5),
            )[0]
        elif dept.name == "Electronics" and rng.random() < 0.08:
            condition = Product.Condition.REFURBISHED
        else:
            condition = Product.Condition.NEW

        if dept.name == "Books":
            author = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
            intro = f"{title} by {author}, published by {brand}."
        else:
            intro = f"The {title}, from {brand}'s {leaf.name.lower()} range."
        sentences = [intro, *rng.sample(dept.features, 2)]
        if condition == Product.Condition.USED:
            state = rng.choice(("excellent", "very good", "good"))
            sentences.append(f"Pre-owned and in {state} condition; every flaw is photographed.")
        elif condition == Product.Condition.REFURBISHED:
            sentences.append("Professionally refurbished and tested, with a 12-month warranty.")

        age_days = CATALOG_DAYS * (1 - math.sqrt(rng.random()))  # newer listings outnumber old ones
        popularity = rng.paretovariate(1.3) - 1
        sales_count = 0 if individual and rng.random() < 0.5 else int(popularity * age_days / 30 * 0.6)
        rating_count = int(sales_count * rng.uniform(0.05, 0.3))
        rating_avg = Decimal(f"{min(5.0, max(1.5, rng.gauss(4.4, 0.45))):.2f}") if rating_count else None

        base = _price_between(rng, *leaf.price_range)
        if condition != Product.Condition.NEW:
            base = _snap_price(base * rng.randint(55, 85) // 100)
        on_sale = rng.random() < 0.18
        sale_pct = rng.randint(115, 150)
        variants = []
        for pos, (name, attributes, pct) in enumerate(_variant_options(rng, leaf.scheme, dept.name)):
            price = base if pct == 100 else _snap_price(base * pct // 100)
            compare_at = _snap_price(price * sale_pct // 100) if on_sale else None
            if rng.random() < 0.06:
                stock = 0
            elif individual:
                stock = rng.randint(1, 3)
            else:
                stock = int(rng.triangular(1, 200, 25))
            variants.append(
                ProductVariant(
                    sku=f"{SKU_PREFIX}{index:07d}-{pos + 1}",
                    name=name,
                    attributes=attributes,
                    price_amount=price,
                    compare_at_amount=compare_at if compare_at and compare_at > price else None,
                    currency="USD",
                    stock=stock,
                    weight_grams=rng.randint(*dept.weight_range),
                    position=pos,
                )
            )

        tag_slugs = rng.sample(dept.tag_names, rng.choice((1, 1, 2))) + rng.sample(
            _GENERIC_TAGS, rng.choice((0, 1, 1, 2))
        )
        tag_ids = [self.tag_ids[slugify(name)] for name in tag_slugs]
        attributes = _product_attributes(rng, dept, leaf, f"{adjective} {noun}", tag_slugs)  # draws last
        product = Product(
            seller_id=seller_id,
            category_id=self.leaf_category_ids[leaf.slug],
            attributes=attributes,
            title=title,
            slug=f"{slugify(title)[:200]}-{index}",
            description=" ".join(sentences),
            brand=brand,
            condition=condition,
            status=Product.Status.ACTIVE,
            price_amount=min(variant.price_amount for variant in variants),
            currency="USD",
            published_at=self.now - timedelta(days=age_days),
            sales_count=sales_count,
            rating_avg=rating_avg,
            rating_count=rating_count,
        )
        return product, variants, tag_ids

    # --- 12 months of history ---------------------------------------------------------------------
    def history_seed(self, *, orders: int, events: int) -> None:
        if (
            Order.objects.filter(number__startswith=ORDER_PREFIX).exists()
            or Event.objects.filter(session_key__startswith=VISITOR_PREFIX).exists()
        ):
            self.result.history_skipped = True
            return
        catalog, variants = self._catalog_snapshot()
        if not catalog:
            return  # nothing to buy or look at yet; a later run with products writes the history
        shoppers = list(
            User.objects.filter(email__startswith="shopper", email__endswith=f"@{DEMO_DOMAIN}")
            .order_by("date_joined")
            .values_list("pk", "email", "date_joined")
        )
        clock = _Clock(self.now)
        with transaction.atomic():
            placed = self._orders_create(orders, catalog, variants, shoppers, clock)
            self._events_create(events, placed, catalog, shoppers, clock)

    def _catalog_snapshot(self) -> tuple[list[_CatalogItem], dict[int, list[_VariantItem]]]:
        catalog: dict[int, _CatalogItem] = {}
        variants: dict[int, list[_VariantItem]] = defaultdict(list)
        rows = (
            ProductVariant.objects.filter(sku__startswith=SKU_PREFIX, product__status=Product.Status.ACTIVE)
            .order_by("product_id", "position")
            .values_list(
                "pk",
                "sku",
                "price_amount",
                "product_id",
                "product__slug",
                "product__title",
                "product__seller_id",
                "product__category_id",
                "product__category__slug",
                "product__published_at",
                "product__sales_count",
            )
        )
        for variant_id, sku, price, product_id, *product in rows.iterator(chunk_size=BATCH_SIZE):
            if product_id not in catalog:
                catalog[product_id] = _CatalogItem(product_id, *product)
            variants[product_id].append(_VariantItem(variant_id, sku, price))
        return list(catalog.values()), variants

    def _orders_create(
        self,
        count: int,
        catalog: list[_CatalogItem],
        variants: dict[int, list[_VariantItem]],
        shoppers: list[tuple[int, str, datetime]],
        clock: _Clock,
    ) -> list[_PlacedOrder]:
        rng = _rng(self.seed, "orders")
        picker = _Picker(catalog)
        demo_seller_id = self.sellers[0][0] if self.sellers else None
        demo_items = [item for item in catalog if item.seller_id == demo_seller_id]
        demo_picker = _Picker(demo_items) if demo_items else None
        joined = [row[2] for row in shoppers]
        demo_shopper = next((row for row in shoppers if row[1] == SHOPPER_LOGIN[0]), None)

        moments = sorted(clock.moment(rng) for _ in range(count))
        orders, seller_orders, lines, summaries = [], [], [], []
        sold: Counter[int] = Counter()
        with self.progress("Orders", count) as bar:
            for number, placed_at in enumerate(moments, 1):
                # Regulars joined earlier and come back; every 40th order is the demo shopper's own.
                signed_up = bisect.bisect_right(joined, placed_at)
                if demo_shopper is not None and number % 40 == 1 and demo_shopper[2] < placed_at:
                    buyer = demo_shopper
                elif signed_up and rng.random() < 0.9:
                    buyer = shoppers[int(signed_up * rng.random() ** 1.4)]
                else:
                    buyer = None
                email = buyer[1] if buyer else f"guest.{rng.choice(_FIRST_NAMES).lower()}{number}@example.com"

                picked: dict[int, tuple[_CatalogItem, _VariantItem, int]] = {}
                for line_number in range(rng.choices((1, 2, 3, 4), weights=(60, 25, 10, 5))[0]):
                    # Every 10th order includes the demo seller, so its dashboard has sales to show.
                    use_demo = demo_picker is not None and line_number == 0 and number % 10 == 1
                    item = (demo_picker if use_demo else picker).pick(rng, placed_at)
                    variant = rng.choice(variants[item.product_id])
                    quantity = rng.choices((1, 2, 3, 4), weights=(82, 13, 3, 2))[0]
                    picked.setdefault(variant.variant_id, (item, variant, quantity))

                status = self._order_status(rng, self.now - placed_at)
                by_seller: dict[int, list[tuple[_CatalogItem, _VariantItem, int]]] = defaultdict(list)
                for line in picked.values():
                    by_seller[line[0].seller_id].append(line)
                order = Order(
                    number=f"{ORDER_PREFIX}{number:06d}",
                    buyer_id=buyer[0] if buyer else None,
                    email=email,
                    status=status,
                    currency="USD",
                    placed_at=placed_at,
                )
                parts = []
                for seller_id, seller_lines in by_seller.items():
                    subtotal = sum(variant.price_amount * quantity for _, variant, quantity in seller_lines)
                    shipping = 0 if subtotal >= 5000 else rng.choice((499, 599, 799))
                    discount = subtotal // 10 if rng.random() < 0.1 else 0  # a 10%-off code now and then
                    seller_order = SellerOrder(
                        seller_id=seller_id,
                        status=status,
                        subtotal_amount=subtotal,
                        shipping_amount=shipping,
                        discount_amount=discount,
                        total_amount=subtotal + shipping - discount,
                    )
                    parts.append(
                        (
                            seller_order,
                            [
                                OrderLine(
                                    variant_id=variant.variant_id,
                                    product_id_snapshot=item.product_id,
                                    title=item.title,
                                    sku=variant.sku,
                                    unit_price_amount=variant.price_amount,
                                    quantity=quantity,
                                    total_amount=variant.price_amount * quantity,
                                )
                                for item, variant, quantity in seller_lines
                            ],
                        )
                    )
                    if status != OrderStatus.CANCELLED:
                        for item, _, quantity in seller_lines:
                            sold[item.product_id] += quantity
                order.subtotal_amount = sum(part.subtotal_amount for part, _ in parts)
                order.shipping_amount = sum(part.shipping_amount for part, _ in parts)
                order.discount_amount = sum(part.discount_amount for part, _ in parts)
                order.total_amount = sum(part.total_amount for part, _ in parts)
                orders.append((order, parts))
                first_item, first_variant, _ = next(iter(picked.values()))
                summaries.append(
                    (sum(q for _, _, q in picked.values()), len(parts), first_item, first_variant)
                )
                bar.update(1)

            Order.objects.bulk_create([order for order, _ in orders], batch_size=BATCH_SIZE)
            for order, parts in orders:
                for seller_order, _ in parts:
                    seller_order.order_id = order.pk
                    seller_orders.append(seller_order)
            SellerOrder.objects.bulk_create(seller_orders, batch_size=BATCH_SIZE)
            for _, parts in orders:
                for seller_order, seller_lines in parts:
                    for line in seller_lines:
                        line.seller_order_id = seller_order.pk
                        lines.append(line)
            OrderLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)

        # The rows were inserted today; their history starts when the order was placed.
        Order.objects.filter(number__startswith=ORDER_PREFIX).update(created_at=F("placed_at"))
        SellerOrder.objects.filter(order__number__startswith=ORDER_PREFIX).update(
            created_at=Subquery(Order.objects.filter(pk=OuterRef("order_id")).values("placed_at")[:1])
        )
        sales = {item.product_id: item.sales_count for item in catalog}
        Product.objects.bulk_update(
            [
                Product(pk=product_id, sales_count=sales[product_id] + quantity)
                for product_id, quantity in sold.items()
            ],
            ["sales_count"],
            batch_size=BATCH_SIZE,
        )
        self.result.orders = len(orders)
        return [
            _PlacedOrder(
                order.pk, order.number, order.placed_at, order.buyer_id, order.total_amount, *summary
            )
            for (order, _), summary in zip(orders, summaries, strict=True)
        ]

    @staticmethod
    def _order_status(rng: random.Random, age: timedelta) -> str:
        days = age.total_seconds() / 86400
        if days > 0.1 and rng.random() < 0.045:
            return OrderStatus.CANCELLED
        if days < 1:
            return rng.choice((OrderStatus.PAID, OrderStatus.PAID, OrderStatus.PROCESSING))
        if days < 3:
            return rng.choice((OrderStatus.PROCESSING, OrderStatus.SHIPPED))
        if days < 10:
            return OrderStatus.SHIPPED if rng.random() < 0.6 else OrderStatus.DELIVERED
        if days < 30:
            return OrderStatus.DELIVERED if rng.random() < 0.6 else OrderStatus.COMPLETED
        return OrderStatus.COMPLETED if rng.random() < 0.97 else OrderStatus.DELIVERED

    # --- events -----------------------------------------------------------------------------------
    def _events_create(
        self,
        count: int,
        placed: list[_PlacedOrder],
        catalog: list[_CatalogItem],
        shoppers: list[tuple[int, str, datetime]],
        clock: _Clock,
    ) -> None:
        """Exactly ``max(count, orders)`` events: every order's funnel (shortened when the budget is small),
        the sign-ups of the year, then browsing visits (and a few bots) until the budget is spent."""
        rng = _rng(self.seed, "events")
        picker = _Picker(catalog)
        budget = max(count, len(placed))
        rows: list[_EventRow] = []
        visitors = {
            user_id: _Visitor(_visitor_id(self.seed, email), user_id, self._ua_class(rng))
            for user_id, email, _ in shoppers
        }

        per_order = min(6, max(1, budget * 45 // 100 // len(placed))) if placed else 0
        for order in placed:
            if order.buyer_id is not None:
                visitor = visitors[order.buyer_id]
            else:
                visitor = _Visitor(_visitor_id(self.seed, order.number), None, self._ua_class(rng))
            rows.extend(self._order_visit(rng, order, visitor)[-per_order:])

        window_start = self.now - timedelta(days=HISTORY_DAYS - 1)
        signups = [(user_id, joined) for user_id, _, joined in shoppers if joined >= window_start]
        remaining = budget - len(rows)
        per_signup = 2 if remaining >= 4 * len(signups) else 1 if remaining >= 2 * len(signups) else 0
        if per_signup:
            for user_id, joined in signups:
                rows.extend(self._signup_visit(rng, visitors[user_id], joined)[-per_signup:])

        anonymous = [
            _Visitor(_visitor_id(self.seed, f"anon-{n}"), None, self._ua_class(rng))
            for n in range(max(50, budget // 12))
        ]
        joined = [row[2] for row in shoppers]
        while len(rows) < budget:
            start = clock.moment(rng)
            if rng.random() < 0.03:
                visit = self._bot_visit(rng, start, picker)
            else:
                signed_up = bisect.bisect_right(joined, start)
                if signed_up and rng.random() < 0.25:
                    visitor = visitors[shoppers[rng.randrange(signed_up)][0]]
                else:
                    visitor = rng.choice(anonymous)._replace(user_id=None)
                visit = self._browse_visit(rng, start, visitor, picker)
            rows.extend(visit[: budget - len(rows)])

        rows.sort(key=lambda row: row.occurred_at)
        with self.progress("Events", len(rows)) as bar:
            for chunk in _chunks(rows, BATCH_SIZE):
                Event.objects.bulk_create(
                    [
                        Event(
                            type=row.type,
                            user_id=row.user_id,
                            session_key=row.session_key,
                            object_type=row.object_type,
                            object_id=row.object_id,
                            properties=row.properties or {},
                            path=row.path,
                            referrer=row.referrer,
                            utm_source=row.utm[0],
                            utm_medium=row.utm[1],
                            utm_campaign=row.utm[2],
                            user_agent_class=row.ua_class,
                            is_bot=row.is_bot,
                            occurred_at=min(row.occurred_at, self.now),
                        )
                        for row in chunk
                    ],
                    batch_size=BATCH_SIZE,
                )
                bar.update(len(chunk))
        self.result.events = len(rows)

    @staticmethod
    def _ua_class(rng: random.Random) -> str:
        return rng.choices(_UA_CLASSES, weights=_UA_WEIGHTS)[0]

    @staticmethod
    def _channel(rng: random.Random, moment: datetime) -> tuple[str, tuple[str, str, str]]:
        """Where a visit came from: (referrer, (utm_source, utm_medium, utm_campaign))."""
        _, source, medium, referrer, campaign_kind = rng.choices(_CHANNELS, weights=_CHANNEL_WEIGHTS)[0]
        campaign = ""
        if campaign_kind == "seasonal":
            campaign = _CAMPAIGNS_BY_MONTH[moment.month]
        elif campaign_kind == "search":
            campaign = rng.choice(_SEARCH_CAMPAIGNS)
        elif campaign_kind == "newsletter":
            year, week, _ = moment.isocalendar()
            campaign = f"weekly-digest-{year}-w{week:02d}"
        return referrer, (source, medium, campaign)

    @staticmethod
    def _page_view(
        moment: datetime, visitor: _Visitor, kind: str, item: _CatalogItem | None, referrer: str, **extra: Any
    ) -> _EventRow:
        if kind == "product" and item is not None:
            path, view = f"/p/{item.slug}/", "catalog:product-detail"
            object_type, object_id = "catalog.product", str(item.product_id)
        elif kind == "category" and item is not None:
            path, view = f"/c/{item.category_slug}/", "catalog:category-detail"
            object_type, object_id = "catalog.category", str(item.category_id)
        elif kind == "search":
            path, view, object_type, object_id = "/search/", "catalog:search", "", ""
        else:
            path, view, object_type, object_id = "/", "catalog:home", "", ""
        properties = {"view": view, **({"q": extra.pop("q")} if "q" in extra else {})}
        return _EventRow(
            moment,
            "page_view",
            visitor.session_key,
            visitor.user_id,
            visitor.ua_class,
            object_type,
            object_id,
            properties,
            path,
            referrer,
            **extra,
        )

    def _order_visit(self, rng: random.Random, order: _PlacedOrder, visitor: _Visitor) -> list[_EventRow]:
        """landing page -> product page -> add to cart -> two checkout steps -> order placed."""
        gaps = [rng.randint(20, 240) for _ in range(5)]
        moments = [order.placed_at - timedelta(seconds=sum(gaps[i:])) for i in range(5)] + [order.placed_at]
        item, variant = order.first_product, order.first_variant
        referrer, utm = self._channel(rng, moments[0])
        landing = self._page_view(
            moments[0], visitor, rng.choice(("home", "category")), item, referrer, utm=utm
        )
        product_path = f"{_SITE_ORIGIN}/p/{item.slug}/"
        base = (visitor.session_key, visitor.user_id, visitor.ua_class)
        return [
            landing,
            self._page_view(moments[1], visitor, "product", item, f"{_SITE_ORIGIN}{landing.path}"),
            _EventRow(
                moments[2],
                "add_to_cart",
                *base,
                "catalog.product",
                str(item.product_id),
                {
                    "sku": variant.sku,
                    "variant_id": variant.variant_id,
                    "quantity": 1,
                    "price_amount": variant.price_amount,
                },
                f"/p/{item.slug}/",
                product_path,
            ),
            _EventRow(moments[3], "checkout_step", *base, properties={"step": "address"}, path="/checkout/"),
            _EventRow(moments[4], "checkout_step", *base, properties={"step": "payment"}, path="/checkout/"),
            _EventRow(
                moments[5],
                "order_placed",
                *base,
                "orders.order",
                str(order.order_id),
                {
                    "number": order.number,
                    "total_amount": order.total_amount,
                    "currency": "USD",
                    "items": order.item_count,
                    "sellers": order.seller_count,
                },
                "/checkout/",
            ),
        ]

    def _signup_visit(self, rng: random.Random, visitor: _Visitor, joined: datetime) -> list[_EventRow]:
        referrer, utm = self._channel(rng, joined)
        anonymous = visitor._replace(user_id=None)
        landing = self._page_view(
            joined - timedelta(seconds=rng.randint(30, 900)), anonymous, "home", None, referrer, utm=utm
        )
        signup = _EventRow(
            joined,
            "signup",
            *visitor,
            properties={"method": "email"},
            path="/accounts/signup/",
            referrer=f"{_SITE_ORIGIN}/",
        )
        return [landing, signup]

    def _bot_visit(self, rng: random.Random, start: datetime, picker: _Picker) -> list[_EventRow]:
        rows = []
        for n in range(rng.randint(1, 6)):
            # Crawlers keep no cookies: every request is a new "visitor".
            crawler = _Visitor(
                _visitor_id(self.seed, f"bot-{start.isoformat()}-{n}"), None, UserAgentClass.BOT
            )
            item = picker.pick(rng, start)
            rows.append(
                self._page_view(start + timedelta(seconds=n * 2), crawler, "product", item, "", is_bot=True)
            )
        return rows

    def _browse_visit(
        self, rng: random.Random, start: datetime, visitor: _Visitor, picker: _Picker
    ) -> list[_EventRow]:
        referrer, utm = self._channel(rng, start)
        pages = 1 if rng.random() < 0.38 else min(12, 2 + int(rng.expovariate(1 / 3)))
        rows: list[_EventRow] = []
        moment, last_product = start, None
        for page in range(pages):
            if page == 0:
                kind = rng.choices(("product", "category", "home", "search"), weights=(45, 25, 22, 8))[0]
            else:
                kind = rng.choices(("product", "category", "search", "home"), weights=(65, 15, 15, 5))[0]
            item = picker.pick(rng, moment)
            extra: dict[str, Any] = {"utm": utm} if page == 0 else {}
            if kind == "search":
                words = item.title.lower().split()
                query = " ".join(words[-2:]) if len(words) > 1 else words[0]
                if rng.random() < 0.07:  # a typo nobody's catalog matches
                    cut = rng.randrange(len(query))
                    query = query[:cut] + query[cut + 1 :] + rng.choice("xqz")
                    rows.append(
                        _EventRow(
                            moment,
                            "search_zero_results",
                            *visitor,
                            properties={"q": query, "results_count": 0},
                            path="/search/",
                        )
                    )
                else:
                    rows.append(
                        _EventRow(
                            moment,
                            "search",
                            *visitor,
                            properties={"q": query, "results_count": rng.randint(3, 240)},
                            path="/search/",
                        )
                    )
                extra["q"] = query
            row = self._page_view(moment, visitor, kind, item, referrer, **extra)
            rows.append(row)
            referrer = f"{_SITE_ORIGIN}{row.path}"
            if kind == "product":
                last_product = item
            moment += timedelta(seconds=rng.randint(8, 180))
        if last_product is not None and pages > 1 and rng.random() < 0.12:
            variant_path = f"/p/{last_product.slug}/"
            rows.append(
                _EventRow(
                    moment,
                    "add_to_cart",
                    *visitor,
                    "catalog.product",
                    str(last_product.product_id),
                    {"quantity": 1},
                    variant_path,
                    f"{_SITE_ORIGIN}{variant_path}",
                )
            )
            if rng.random() < 0.3:  # reached checkout, then left
                moment += timedelta(seconds=rng.randint(20, 200))
                rows.append(
                    _EventRow(
                        moment, "checkout_step", *visitor, properties={"step": "address"}, path="/checkout/"
                    )
                )
        return rows
