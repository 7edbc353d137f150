"""Demo people: approved sellers with their shops, shoppers with addresses, and the three documented
logins (shopper, seller, operator)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.text import slugify

from accounts.models import Address, SellerProfile, User
from marketplace.demo.base import (
    BATCH_SIZE,
    CATALOG_DAYS,
    DEMO_DOMAIN,
    FIRST_NAMES,
    LAST_NAMES,
    DemoRun,
    rng_for,
    words,
)
from marketplace.demo.catalog import DEPARTMENTS

SHOPPER_LOGIN = (f"shopper@{DEMO_DOMAIN}", "demo-shopper-pass")
SELLER_LOGIN = (f"seller@{DEMO_DOMAIN}", "demo-seller-pass")
OPERATOR_LOGIN = (f"operator@{DEMO_DOMAIN}", "demo-operator-pass")
DEMO_LOGINS = (("shopper", *SHOPPER_LOGIN), ("seller", *SELLER_LOGIN), ("operator", *OPERATOR_LOGIN))

# fmt: off
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

_STREETS = words(
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

# fmt: on


@dataclass(frozen=True, slots=True)
class SellerSpec:
    index: int
    email: str
    shop_name: str
    slug: str
    kind: str
    departments: tuple[str, ...]
    first_name: str
    last_name: str


def seller_spec(seed: int, index: int) -> SellerSpec:
    rng = rng_for(seed, "seller", index)
    first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    if index < len(_SELLERS):
        shop_name, kind, departments = _SELLERS[index]
        slug = slugify(shop_name)
    else:
        shop_name = f"{first_name}'s {rng.choice(_SHOP_ADJECTIVES)} {rng.choice(_SHOP_WORDS)}"
        kind = rng.choice((SellerProfile.Kind.BUSINESS, SellerProfile.Kind.INDIVIDUAL))
        departments = "|".join(rng.sample([dept.name for dept in DEPARTMENTS], rng.randint(1, 2)))
        slug = f"{slugify(shop_name)}-{index + 1}"
    email = SELLER_LOGIN[0] if index == 0 else f"seller{index + 1:03d}@{DEMO_DOMAIN}"
    return SellerSpec(index, email, shop_name, slug, kind, words(departments), first_name, last_name)


def shopper_email(index: int) -> str:
    return SHOPPER_LOGIN[0] if index == 0 else f"shopper{index + 1:04d}@{DEMO_DOMAIN}"


def _addresses_for(rng: random.Random, full_name: str) -> list[Address]:
    def address(label: str, *, is_default: bool) -> Address:
        city, region, postal_prefix, country = rng.choice(_CITIES)
        if country == "CA":
            postal_code = (
                f"{postal_prefix} {rng.randint(1, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randint(1, 9)}"
            )
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


@dataclass
class AccountsSeeder:
    """Tops the demo people up; remembers which users this run created, so the documented logins get
    their passwords set whatever happened to them in between."""

    run: DemoRun
    _password_hashes: dict[str, str] = field(default_factory=dict)
    _created_emails: set[str] = field(default_factory=set)

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

    def sellers_seed(self, *, count: int) -> list[tuple[int, SellerSpec]]:
        """The first ``count`` demo sellers, created where missing; returns (profile id, spec) of each."""
        specs = [seller_spec(self.run.seed, index) for index in range(count)]
        profiles = dict(
            SellerProfile.objects.filter(user__email__in=[spec.email for spec in specs]).values_list(
                "user__email", "pk"
            )
        )
        missing = [spec for spec in specs if spec.email not in profiles]
        if missing:
            with transaction.atomic(), self.run.progress("Sellers", len(missing)) as bar:
                user_ids = self._seller_users_create(missing)
                created = self._seller_profiles_create(missing, user_ids)
                bar.update(created)
            self.run.result.sellers = len(missing)
            profiles.update(
                SellerProfile.objects.filter(user__email__in=[spec.email for spec in missing]).values_list(
                    "user__email", "pk"
                )
            )
        return [(profiles[spec.email], spec) for spec in specs]

    def _seller_users_create(self, specs: list[SellerSpec]) -> dict[str, int]:
        password = self._password_hash(SELLER_LOGIN[1])
        users = []
        for spec in specs:
            rng = rng_for(self.run.seed, "seller-user", spec.index)
            users.append(
                User(
                    email=spec.email,
                    first_name=spec.first_name,
                    last_name=spec.last_name,
                    display_name=spec.shop_name,
                    password=password,
                    date_joined=self.run.now
                    - timedelta(days=700 if spec.index == 0 else rng.uniform(380, 900)),
                )
            )
        return self._users_create(users)

    def _seller_profiles_create(self, specs: list[SellerSpec], user_ids: dict[str, int]) -> int:
        joined = dict(User.objects.filter(email__in=user_ids).values_list("email", "date_joined"))
        taken = set(
            SellerProfile.objects.filter(slug__in=[s.slug for s in specs]).values_list("slug", flat=True)
        )
        new_profiles = []
        for spec in specs:
            rng = rng_for(self.run.seed, "seller-profile", spec.index)
            kind_label = "family business" if spec.kind == SellerProfile.Kind.BUSINESS else "collector"
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
                    # rating_avg / rating_count come from the seller ratings (marketplace.demo.reviews).
                )
            )
        created = SellerProfile.objects.bulk_create(new_profiles, batch_size=BATCH_SIZE)
        # "Seller since" should predate the products; auto_now_add stamped today.
        SellerProfile.objects.filter(pk__in=[p.pk for p in created]).update(
            created_at=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("date_joined")[:1])
        )
        return len(created)

    def shoppers_seed(self, *, count: int) -> None:
        emails = [shopper_email(index) for index in range(count)]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        missing = [index for index, email in enumerate(emails) if email not in existing]
        if not missing:
            return
        with transaction.atomic(), self.run.progress("Shoppers", len(missing)) as bar:
            password = self._password_hash(SHOPPER_LOGIN[1])
            users, addresses = [], {}
            for index in missing:
                rng = rng_for(self.run.seed, "shopper", index)
                first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                # More recent sign-ups than old ones: the marketplace grows.
                days = 420.0 if index == 0 else CATALOG_DAYS * (1 - math.sqrt(rng.random()))
                joined = self.run.now - timedelta(days=days)
                last_login = (
                    self.run.now - timedelta(days=rng.uniform(0, min(days, 60)))
                    if rng.random() < 0.7
                    else None
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
                    addresses[emails[index]] = _addresses_for(rng, f"{first_name} {last_name}")
            user_ids = self._users_create(users)
            rows = []
            for email, user_addresses in addresses.items():
                for address in user_addresses:
                    address.user_id = user_ids[email]
                    rows.append(address)
            Address.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            bar.update(len(users))
        self.run.result.shoppers = len(missing)
        self.run.result.addresses = len(rows)

    def logins_seed(self) -> None:
        """The three documented logins work after every run, whatever happened to them in between."""
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
