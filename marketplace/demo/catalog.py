"""Demo catalog: the 3-level category tree with typed attributes, tags, and products with variants; and
the snapshot of the demo catalog that the order and event history is drawn from."""

from __future__ import annotations

import bisect
import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from accounts.models import SellerProfile
from catalog.attributes import BOOLEAN, CHOICE, NUMBER, PRODUCT, VARIANT, AttributeSpec
from catalog.models import Category, CategoryAttribute, Product, ProductVariant, Tag
from marketplace.demo import catalog_i18n
from marketplace.demo.base import (
    BATCH_SIZE,
    CATALOG_DAYS,
    FIRST_NAMES,
    LAST_NAMES,
    SKU_PREFIX,
    DemoRun,
    ProgressBar,
    accumulate,
    chunks,
    rng_for,
    words,
)

if TYPE_CHECKING:
    from marketplace.demo.accounts import SellerSpec

# --- Vocabulary -----------------------------------------------------------------------------------
# A leaf is (name, nouns, adjectives, lowest price, highest price, variant scheme); "|" separates words.
# Prices are minor units of settings.DEFAULT_CURRENCY (written for a two-decimal currency). Kept out of
# the formatter: one line per leaf reads as a table.
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

_GENERIC_TAGS = words(
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
                    name, unique_slug(name, sub_slug), words(nouns), words(adjectives), (low, high), scheme
                )
                for name, nouns, adjectives, low, high, scheme in leaves
            )
            subcategories.append(SubcategorySpec(sub_name, sub_slug, leaf_specs))
        departments.append(
            DepartmentSpec(
                name=raw["name"],
                slug=dept_slug,
                brands=words(raw["brands"]),
                suffixes=words(raw["suffixes"]),
                title_pattern=raw.get("title", "{brand} {adjective} {noun}{suffix}"),
                features=raw["features"],
                tag_names=words(raw["tags"]),
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


# --- drawing one product ----------------------------------------------------------------------------
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


def _material(rng: random.Random, department: str, title_words: str, leaf: LeafSpec) -> str | None:
    """The material the title names, else a plausible one for the leaf; None where materials mean
    nothing (seeds)."""
    matcher, canonical = _MATERIAL_MATCHERS[department]
    named = matcher.search(title_words)
    if named:
        return canonical[named[0].casefold()]
    fallback = _MATERIAL_FALLBACK.get(leaf.name, _MATERIAL_FALLBACK.get(_LEAF_SUBCATEGORY[leaf.slug], ()))
    return rng.choice(fallback) if fallback else None


def _product_attributes(
    rng: random.Random, dept: DepartmentSpec, leaf: LeafSpec, title_words: str, tag_names: Sequence[str]
) -> dict[str, object]:
    """Product-scope values of one demo product, consistent with its title (``title_words`` is its
    adjective and noun) and tags, and valid for ``_DEMO_ATTRIBUTES``. ``rng`` is the product's own stream
    after every other draw, so the values change nothing else about the product."""
    values: dict[str, object] = {}
    if dept.name in _MATERIAL_MATCHERS:
        material = _material(rng, dept.name, title_words, leaf)
        if material:
            values["material"] = material
    elif leaf.name in _SCREEN_SIZES:
        inches = _INCHES.search(title_words)
        size = float(inches[1]) if inches else rng.choice(_SCREEN_SIZES[leaf.name])
        values["screen_size"] = int(size) if size == int(size) else size
    elif dept.name == "Toys & Games":
        values["age_from"] = rng.choice((3, 4, 6, 8))
    elif dept.name == "Books":
        values["pages"] = rng.randint(96, 720)
    elif dept.name == "Beauty":
        values["vegan"] = "Vegan" in tag_names
    elif dept.name == "Collectibles":
        year = _YEAR.search(title_words)
        if year is None:
            values["year"] = rng.randint(1950, 2015)
        else:
            values["year"] = int(year[1]) + (rng.randint(0, 9) if year[2] else 0)
    return values


class _Listing(NamedTuple):
    """Who sells a product, where it is listed, and what its title says."""

    seller_id: int
    seller: SellerSpec
    dept: DepartmentSpec
    leaf: LeafSpec
    brand: str
    adjective: str
    noun: str
    title: str

    @property
    def individual(self) -> bool:
        return self.seller.kind == SellerProfile.Kind.INDIVIDUAL


class _Popularity(NamedTuple):
    age_days: float
    sales_count: int


# Each ``_*_draw`` below takes the product's own stream and must keep its draws in this order
# (listing, condition, description, popularity, variants, tags, attributes): the same seed has to give
# the same products as before.
def _listing_draw(
    rng: random.Random, index: int, sellers: Sequence[tuple[int, SellerSpec]], seller_cum: list[float]
) -> _Listing:
    # Every 20th product belongs to the demo seller login, so it always has a shop to show.
    position = 0 if index % 20 == 1 else rng.choices(range(len(sellers)), cum_weights=seller_cum)[0]
    seller_id, seller = sellers[position]
    dept = DEPARTMENTS_BY_NAME[rng.choice(seller.departments)]
    leaf = rng.choice(dept.leaves)
    brand, adjective, noun = rng.choice(dept.brands), rng.choice(leaf.adjectives), rng.choice(leaf.nouns)
    title = dept.title_pattern.format(
        brand=brand, adjective=adjective, noun=noun, suffix=rng.choice(dept.suffixes)
    )
    return _Listing(seller_id, seller, dept, leaf, brand, adjective, noun, title)


def _condition_draw(rng: random.Random, listing: _Listing) -> str:
    if listing.individual:
        return rng.choices(
            (Product.Condition.NEW, Product.Condition.USED, Product.Condition.REFURBISHED),
            weights=(45, 50, 5),
        )[0]
    if listing.dept.name == "Electronics" and rng.random() < 0.08:
        return Product.Condition.REFURBISHED
    return Product.Condition.NEW


def _description_draw(rng: random.Random, listing: _Listing, condition: str) -> str:
    title, brand = listing.title, listing.brand
    if listing.dept.name == "Books":
        author = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        intro = f"{title} by {author}, published by {brand}."
    else:
        intro = f"The {title}, from {brand}'s {listing.leaf.name.lower()} range."
    sentences = [intro, *rng.sample(listing.dept.features, 2)]
    if condition == Product.Condition.USED:
        state = rng.choice(("excellent", "very good", "good"))
        sentences.append(f"Pre-owned and in {state} condition; every flaw is photographed.")
    elif condition == Product.Condition.REFURBISHED:
        sentences.append("Professionally refurbished and tested, with a 12-month warranty.")
    return " ".join(sentences)


def _popularity_draw(rng: random.Random, listing: _Listing) -> _Popularity:
    age_days = CATALOG_DAYS * (1 - math.sqrt(rng.random()))  # newer listings outnumber old ones
    popularity = rng.paretovariate(1.3) - 1
    sales_count = 0 if listing.individual and rng.random() < 0.5 else int(popularity * age_days / 30 * 0.6)
    # These draws once made up a rating; the reviews (marketplace.demo.reviews) give the real one now, but
    # the stream still draws them so the variants, tags and attributes that follow stay the same.
    if int(sales_count * rng.uniform(0.05, 0.3)):
        rng.gauss(4.4, 0.45)
    return _Popularity(age_days, sales_count)


def _variants_draw(rng: random.Random, index: int, listing: _Listing, condition: str) -> list[ProductVariant]:
    dept = listing.dept
    base = _price_between(rng, *listing.leaf.price_range)
    if condition != Product.Condition.NEW:
        base = _snap_price(base * rng.randint(55, 85) // 100)
    on_sale = rng.random() < 0.18
    sale_pct = rng.randint(115, 150)
    variants = []
    for pos, (name, attributes, pct) in enumerate(_variant_options(rng, listing.leaf.scheme, dept.name)):
        price = base if pct == 100 else _snap_price(base * pct // 100)
        compare_at = _snap_price(price * sale_pct // 100) if on_sale else None
        if rng.random() < 0.06:
            stock = 0
        elif listing.individual:
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
                currency=settings.DEFAULT_CURRENCY,
                stock=stock,
                weight_grams=rng.randint(*dept.weight_range),
                position=pos,
            )
        )
    return variants


def _tag_names_draw(rng: random.Random, dept: DepartmentSpec) -> list[str]:
    return rng.sample(dept.tag_names, rng.choice((1, 1, 2))) + rng.sample(
        _GENERIC_TAGS, rng.choice((0, 1, 1, 2))
    )


# --- seeding ----------------------------------------------------------------------------------------
@dataclass
class CatalogSeeder:
    """Tops the demo catalog up: categories, their attributes, tags, then products for the given sellers."""

    run: DemoRun
    leaf_category_ids: dict[str, int] = field(default_factory=dict)
    tag_ids: dict[str, int] = field(default_factory=dict)

    def categories_seed(self) -> None:
        slugs = [dept.slug for dept in DEPARTMENTS]
        slugs += [sub.slug for dept in DEPARTMENTS for sub in dept.subcategories]
        slugs += [leaf.slug for dept in DEPARTMENTS for leaf in dept.leaves]
        existing = {category.slug: category for category in Category.objects.filter(slug__in=slugs)}
        self._category_translations_fill(existing.values())
        missing = len(slugs) - len(existing)
        if missing:
            with transaction.atomic(), self.run.progress("Categories", missing) as bar:
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
            self.run.result.categories = missing
        self.leaf_category_ids = {
            leaf.slug: existing[leaf.slug].pk for dept in DEPARTMENTS for leaf in dept.leaves
        }

    @staticmethod
    def _category_translations_fill(categories: Iterable[Category]) -> None:
        """Demo categories seeded before they had Chinese names get them (any an operator worded stay)."""
        filled = []
        for category in categories:
            wording = catalog_i18n.category_translations(category.name)
            if not category.translations and wording:
                category.translations = wording
                filled.append(category)
        if filled:
            Category.objects.bulk_update(filled, ["translations"], batch_size=BATCH_SIZE)

    @staticmethod
    def _category_add(
        parent: Category | None, name: str, slug: str, position: int, bar: ProgressBar
    ) -> Category:
        values = {
            "name": name,
            "slug": slug,
            "position": position,
            "description": f"Shop {name.lower()} from independent sellers and trusted brands.",
            "seo_title": f"{name} from independent shops"[:70],
            "translations": catalog_i18n.category_translations(name),
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
        self._attribute_translations_fill(
            {
                (category_ids[slug], spec.code): spec
                for slug, _position, spec in wanted
                if slug in category_ids
            }
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
                translations=catalog_i18n.attribute_translations(spec),
            )
            for slug, position, spec in wanted
            if slug in category_ids and (category_ids[slug], spec.code) not in existing
        ]
        if missing:
            with transaction.atomic():
                CategoryAttribute.objects.bulk_create(missing, batch_size=BATCH_SIZE)
            self.run.result.attribute_definitions = len(missing)

    @staticmethod
    def _attribute_translations_fill(specs: dict[tuple[int, str], AttributeSpec]) -> None:
        """Demo attributes seeded before they had Chinese names and choice labels get them."""
        filled = []
        category_ids = {category_id for category_id, _code in specs}
        for attribute in CategoryAttribute.objects.filter(category_id__in=category_ids).order_by("pk"):
            spec = specs.get((attribute.category_id, attribute.code))
            if spec is None or attribute.translations or attribute.name != spec.name:
                continue
            attribute.translations = catalog_i18n.attribute_translations(spec)
            if attribute.translations:
                filled.append(attribute)
        if filled:
            CategoryAttribute.objects.bulk_update(filled, ["translations"], batch_size=BATCH_SIZE)

    def tags_seed(self) -> None:
        wanted = {slugify(name): name for name in TAG_NAMES}
        existing = set(Tag.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        missing = [Tag(name=name, slug=slug) for slug, name in wanted.items() if slug not in existing]
        if missing:
            with transaction.atomic():
                Tag.objects.bulk_create(missing, batch_size=BATCH_SIZE)
            self.run.result.tags = len(missing)
        self.tag_ids = dict(Tag.objects.filter(slug__in=wanted).values_list("slug", "pk"))

    def products_seed(self, *, count: int, sellers: Sequence[tuple[int, SellerSpec]]) -> None:
        """Products 1..``count`` that do not exist yet (by SKU number), spread over ``sellers`` (profile
        id and spec; the first one is the demo seller login's)."""
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
        if not sellers:
            raise ValueError("Demo products need at least one demo seller.")
        weights = [
            3 if spec.index == 0 or spec.kind == SellerProfile.Kind.BUSINESS else 1 for _, spec in sellers
        ]
        seller_cum = list(accumulate(weights))
        through = Product.tags.through
        with transaction.atomic(), self.run.progress("Products", len(missing)) as bar:
            for chunk in chunks(missing, BATCH_SIZE):
                drafts = [self._product_draft(index, sellers, seller_cum) for index in chunk]
                Product.objects.bulk_create([product for product, _, _ in drafts], batch_size=BATCH_SIZE)
                variants: list[ProductVariant] = []
                links: list[Any] = []
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
                self.run.result.variants += len(variants)
                bar.update(len(chunk))
        self.run.result.products = len(missing)

    def _product_draft(
        self, index: int, sellers: Sequence[tuple[int, SellerSpec]], seller_cum: list[float]
    ) -> tuple[Product, list[ProductVariant], list[int]]:
        rng = rng_for(self.run.seed, "product", index)
        listing = _listing_draw(rng, index, sellers, seller_cum)
        condition = _condition_draw(rng, listing)
        description = _description_draw(rng, listing, condition)
        popularity = _popularity_draw(rng, listing)
        variants = _variants_draw(rng, index, listing, condition)
        tag_names = _tag_names_draw(rng, listing.dept)
        tag_ids = [self.tag_ids[slugify(name)] for name in tag_names]
        attributes = _product_attributes(
            rng, listing.dept, listing.leaf, f"{listing.adjective} {listing.noun}", tag_names
        )  # draws last
        product = Product(
            seller_id=listing.seller_id,
            category_id=self.leaf_category_ids[listing.leaf.slug],
            attributes=attributes,
            title=listing.title,
            slug=f"{slugify(listing.title)[:200]}-{index}",
            description=description,
            brand=listing.brand,
            condition=condition,
            status=Product.Status.ACTIVE,
            price_amount=min(variant.price_amount for variant in variants),
            # What the stock services keep for every product (variants are bulk-created, not adjusted).
            in_stock=any(variant.stock > 0 for variant in variants),
            currency=settings.DEFAULT_CURRENCY,
            published_at=self.run.now - timedelta(days=popularity.age_days),
            sales_count=popularity.sales_count,
        )
        return product, variants, tag_ids


# --- the catalog as the history sees it -------------------------------------------------------------
class CatalogItem(NamedTuple):
    product_id: int
    slug: str
    title: str
    seller_id: int
    category_id: int
    category_slug: str
    published_at: datetime
    sales_count: int


class VariantItem(NamedTuple):
    variant_id: int
    sku: str
    price_amount: int


class Picker:
    """Weighted choice among products already published at a given moment (best-sellers sell more)."""

    def __init__(self, items: Sequence[CatalogItem]) -> None:
        self.items = sorted(items, key=lambda item: item.published_at)
        self.moments = [item.published_at for item in self.items]
        self.cum = list(accumulate([item.sales_count + 1 for item in self.items]))

    def pick(self, rng: random.Random, before: datetime) -> CatalogItem:
        available = bisect.bisect_right(self.moments, before) or len(self.items)
        target = rng.random() * self.cum[available - 1]
        return self.items[bisect.bisect_right(self.cum, target, 0, available - 1)]


def catalog_snapshot() -> tuple[list[CatalogItem], dict[int, list[VariantItem]]]:
    """The live demo products in pk order, and each one's variants by position."""
    catalog: dict[int, CatalogItem] = {}
    variants: dict[int, list[VariantItem]] = defaultdict(list)
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
            catalog[product_id] = CatalogItem._make([product_id, *product])
        variants[product_id].append(VariantItem(variant_id, sku, price))
    return list(catalog.values()), variants
