#!/usr/bin/env python3
"""Generate the Backorders demo data set (product.md §12) as CSV files.

Usage: python3 generate.py [OUTPUT_DIR]     (default: out/ beside this file)

Deterministic: every random choice comes from random.Random(7792) (the aACE
primary backorder schedule number), so the same script always writes the same
bytes. Python 3.11 standard library only.

The data tell one story: a school/office supply distributor three months into
the back-to-school season. Demand for a handful of staples (pens, paper,
notebooks, calculators, stacking chairs ...) far outruns stock, so those LICs
have long backorder queues; a few LICs are out of stock altogether and wait on
purchase orders, some of which are already late; other LICs have plenty.

TEXTBOOK is kept exactly as in the aACE example (seeds/001_*): 20 on hand at
MAIN, no order line and no PO line touches it, so entering 25 TEXTBOOK in the
demo finds 20 available and asks "split by availability?".
"""

from __future__ import annotations

import csv
import os
import sys
from collections import defaultdict
from datetime import date, timedelta
from random import Random

SEED = 7792
TODAY = date(2026, 11, 21)            # the demo's "today" for ages and late POs
ENTRY_FIRST = date(2026, 8, 15)
ENTRY_LAST = date(2026, 11, 20)
PO_ORDER_FIRST = TODAY - timedelta(days=60)
PO_ORDER_LAST = TODAY - timedelta(days=1)
PO_EXPECTED_FIRST = date(2026, 11, 10)
PO_EXPECTED_LAST = date(2026, 12, 31)
ORDER_COUNT = 200
PO_COUNT = 12
STOCK_COVER_TARGET = 0.60             # stocked units / demanded units, overall
POLICIES = ("partial", "complete", "partial-cancel", "complete-or-cancel")

# --------------------------------------------------------------------------
# Master data
# --------------------------------------------------------------------------

LOCATIONS = [
    ("MAIN", "Main warehouse"),
    ("EAST", "East branch"),
    ("WEST", "West branch"),
]

VENDORS = [
    ("PENWRIGHT", "Penwright Stationers"),
    ("HARBOR", "Harbor Paper Mills"),
    ("SUMMIT", "Summit Educational Press"),
    ("KELLER", "Keller, Boyd & Sons Furniture"),     # comma: exercises quoting
    ("BRIGHTLINE", "Brightline Tech Supply"),
    ("ATLAS", "Atlas Classroom Goods"),
]

# code, description, price_cents, min_stock, reorder_multiple, vendor,
# inventoried, kind, max order qty, audience ("any", "school", "office")
# kind: "popular" (heavily oversubscribed), "zero" (no stock at all),
# "plenty" (more than enough), "normal", "fee" (non-inventoried),
# "example" (TEXTBOOK: never ordered).
LICS = [
    # books
    ("TEXTBOOK", "Algebra I textbook", 4500, 10, 6, "SUMMIT", True, "example", 0, "school"),
    ("TEXT-GEOM", "Geometry textbook", 4800, 10, 6, "SUMMIT", True, "zero", 30, "school"),
    ("TEXT-BIO", "Biology textbook, 3rd edition", 5200, 10, 6, "SUMMIT", True, "normal", 30, "school"),
    ("WORKBOOK-ALG", "Algebra I workbook", 1250, 20, 12, "SUMMIT", True, "normal", 40, "school"),
    ("DICT-ENG", "English dictionary", 2400, 5, 6, "SUMMIT", True, "plenty", 20, "any"),
    # paper
    ("PAPER-A4", "Copy paper A4, 500 sheets", 650, 50, 12, "HARBOR", True, "normal", 40, "any"),
    ("PAPER-LTR", "Copy paper letter, ream", 599, 50, 12, "HARBOR", True, "popular", 40, "any"),
    ("PAPER-CASE", "Copy paper letter, case of 10 reams", 5499, 10, 1, "HARBOR", True, "plenty", 12, "office"),
    ("NOTEBOOK-SP", "Spiral notebook, 100 sheets", 249, 40, 24, "HARBOR", True, "popular", 40, "school"),
    ("NOTEBOOK-CMP", "Composition notebook", 199, 40, 24, "HARBOR", True, "normal", 40, "school"),
    ("PAD-LEGAL", "Legal pads, yellow, 12-pack", 1099, 10, 6, "HARBOR", True, "normal", 20, "office"),
    ("INDEX-CARDS", "Index cards 3x5, 100", 189, 20, 24, "HARBOR", True, "plenty", 40, "any"),
    ("ENVELOPE-10", "#10 envelopes, box of 500", 2299, 5, 6, "HARBOR", True, "normal", 10, "office"),
    ("FOLDER-MAN", "Manila folders, box of 100", 1599, 10, 6, "HARBOR", True, "normal", 15, "office"),
    # writing
    ("PEN-BLK", "Ballpoint pens, black, 12-pack", 599, 50, 24, "PENWRIGHT", True, "popular", 40, "any"),
    ("PEN-BLU", "Ballpoint pens, blue, 12-pack", 599, 30, 24, "PENWRIGHT", True, "normal", 40, "any"),
    ("PEN-RED", "Ballpoint pens, red, 12-pack", 599, 20, 24, "PENWRIGHT", True, "plenty", 30, "any"),
    ("PENCIL-HB", "Pencils HB, 24-pack", 449, 50, 24, "PENWRIGHT", True, "popular", 40, "school"),
    ("MARKER-DRY", "Dry-erase markers, 4 colours", 799, 30, 12, "PENWRIGHT", True, "popular", 40, "any"),
    ("HILITE-YEL", "Highlighters, yellow, 10-pack", 699, 20, 12, "PENWRIGHT", True, "normal", 30, "any"),
    ("ERASER", "Pink erasers, 10-pack", 299, 20, 24, "PENWRIGHT", True, "plenty", 40, "school"),
    ("CRAYONS", "Crayons, 24 colours", 249, 30, 24, "PENWRIGHT", True, "normal", 40, "school"),
    ("BRUSH-SUMI", "Calligraphy brush set 書道", 1899, 5, 6, "PENWRIGHT", True, "zero", 20, "school"),
    ("GIFTWRAP", "Gift wrapping", 500, 0, 1, "PENWRIGHT", False, "fee", 1, "any"),
    # office
    ("STAPLER", "Desktop stapler", 1499, 10, 6, "PENWRIGHT", True, "normal", 15, "any"),
    ("STAPLES", "Staples, box of 5000", 349, 20, 24, "PENWRIGHT", True, "plenty", 40, "any"),
    ("TAPE-CLR", "Clear tape, 6-pack", 899, 20, 12, "PENWRIGHT", True, "normal", 30, "any"),
    ("SCISSORS", "Student scissors, 5 in", 199, 30, 24, "PENWRIGHT", True, "normal", 40, "school"),
    ("GLUE-STICK", "Glue sticks, 12-pack", 599, 20, 12, "PENWRIGHT", True, "normal", 30, "school"),
    ("SHARPENER", "Electric pencil sharpener", 2999, 5, 1, "BRIGHTLINE", True, "normal", 10, "any"),
    ("CALC-SCI", "Scientific calculator", 1899, 30, 12, "BRIGHTLINE", True, "popular", 40, "school"),
    ("CALC-GRAPH", "Graphing calculator", 12999, 10, 6, "BRIGHTLINE", True, "zero", 30, "school"),
    ("TONER-BLK", "Laser toner cartridge, black", 8999, 6, 1, "BRIGHTLINE", True, "normal", 8, "office"),
    ("USB-32", "USB flash drive 32 GB", 899, 20, 12, "BRIGHTLINE", True, "plenty", 40, "any"),
    ("HEADSET", "Student headset with microphone", 2499, 10, 6, "BRIGHTLINE", True, "normal", 30, "school"),
    ("PROJECTOR", "Classroom projector", 54999, 2, 1, "BRIGHTLINE", True, "normal", 4, "any"),
    # furniture
    ("DESK-OAK", "Teacher desk, oak", 42999, 2, 1, "KELLER", True, "normal", 3, "any"),
    ("DESK-STU", "Student desk", 12999, 10, 6, "KELLER", True, "normal", 30, "school"),
    ("CHAIR-ERG", "Ergonomic office chair", 24999, 4, 1, "KELLER", True, "normal", 8, "office"),
    ("CHAIR-STK", "Stacking chair", 4999, 24, 6, "KELLER", True, "popular", 40, "any"),
    ("CAFE-TBL", "Café table — round", 18999, 2, 1, "KELLER", True, "normal", 6, "any"),
    ("FILE-CAB", "File cabinet, 4 drawers", 21999, 2, 1, "KELLER", True, "plenty", 4, "office"),
    ("BOOKCASE", "Bookcase, 5 shelves", 15999, 2, 1, "KELLER", True, "normal", 6, "any"),
    ("WBOARD-4X6", "Whiteboard 4 x 6 ft", 17999, 2, 1, "KELLER", True, "normal", 6, "any"),
    ("FREIGHT", "Freight charge", 2500, 0, 1, "KELLER", False, "fee", 1, "any"),
    ("SETUP-FEE", "Furniture assembly fee", 7500, 0, 1, "KELLER", False, "fee", 1, "any"),
    # classroom
    ("GLOBE", "Desk globe, 12 in", 3999, 4, 1, "ATLAS", True, "normal", 10, "school"),
    ("MAP-WORLD", "World wall map", 2999, 4, 1, "ATLAS", True, "plenty", 10, "school"),
    ("BACKPACK", "Backpack, navy", 2999, 12, 6, "ATLAS", True, "normal", 40, "school"),
    ("LUNCHBOX", "Insulated lunch box", 1299, 12, 6, "ATLAS", True, "normal", 40, "school"),
]
FURNITURE = {"DESK-OAK", "DESK-STU", "CHAIR-ERG", "CHAIR-STK", "CAFE-TBL",
             "FILE-CAB", "BOOKCASE", "WBOARD-4X6"}
ASSEMBLED = {"DESK-OAK", "DESK-STU", "CHAIR-ERG", "FILE-CAB", "BOOKCASE", "CAFE-TBL"}

# code, name, default priority, terms, home location, audience, order weight
CUSTOMERS = [
    ("RIVERSIDE-USD", "Riverside Unified School District", 8, "ar", "MAIN", "school", 5),
    ("CITY-FAIRVIEW", "City of Fairview, Clerk's Office", 7, "ar", "MAIN", "office", 2),
    ("LINCOLN-HS", "Lincoln High School", 0, "ar", "MAIN", "school", 4),
    ("JEFFERSON-MS", "Jefferson Middle School", 0, "ar", "MAIN", "school", 4),
    ("ROOSEVELT-ES", "Roosevelt Elementary", 0, "ar", "MAIN", "school", 3),
    ("MAPLE-ES", "Maple Grove Elementary", 0, "ar", "MAIN", "school", 3),
    ("HILLCREST-HS", "Hillcrest High School", 0, "ar", "MAIN", "school", 4),
    ("ST-MARYS", "St. Mary's Academy", 2, "ar", "MAIN", "school", 3),
    ("OAKWOOD-PREP", "Oakwood Preparatory School", 3, "ar", "MAIN", "school", 2),
    ("VALLEY-CC", "Valley Community College", 5, "ar", "MAIN", "school", 3),
    ("CEDAR-ES", "Cedar Park Elementary", 0, "ar", "EAST", "school", 3),
    ("EASTGATE-MS", "Eastgate Middle School", 0, "ar", "EAST", "school", 3),
    ("WESTSIDE-ES", "Westside Elementary", 0, "ar", "WEST", "school", 3),
    ("HARBOR-LIB", "Harbor Public Library", 4, "ar", "MAIN", "office", 2),
    ("LITTLE-ACORNS", "Little Acorns Montessori", 0, "cod", "MAIN", "school", 1),
    ("BRIGHT-MINDS", "Bright Minds Tutoring", 0, "cod", "WEST", "school", 1),
    ("BLUEBIRD-DAY", "Bluebird Daycare", 0, "cod", "EAST", "school", 1),
    ("ACME-LAW", "Acme & Partners Law Office", 0, "ar", "MAIN", "office", 2),
    ("DUNMORE-ACCT", "Dunmore Accounting LLC", 0, "ar", "MAIN", "office", 2),
    ("NORTHSTAR-INS", "Northstar Insurance", 1, "ar", "MAIN", "office", 2),
    ("PINE-DENTAL", "Pine Street Dental", 0, "cod", "WEST", "office", 1),
    ("TECHNOVA", "TechNova Labs Inc.", 0, "ar", "MAIN", "office", 2),
    ("GREENLEAF-CO", "Greenleaf Coworking", 0, "cod", "EAST", "office", 1),
    ("SUMMIT-ARCH", "Summit Architects", 0, "ar", "WEST", "office", 1),
    ("GRACE-CHURCH", "Grace Community Church", 0, "ar", "MAIN", "office", 1),
]


def dstr(d: date) -> str:
    return d.isoformat()


def skewed_qty(rng: Random, hi: int, popular: bool) -> int:
    """1..hi, mostly small; popular LICs get classroom-sized quantities."""
    if hi <= 1:
        return 1
    r = rng.random()
    q = 1 + int(hi * (r ** (1.1 if popular else 2.2)))
    if popular:
        q = max(q, 4)
    return max(1, min(hi, q, 40))


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def generate():
    rng = Random(SEED)
    lic_by = {row[0]: row for row in LICS}
    cust_by = {row[0]: row for row in CUSTOMERS}

    # ---- orders --------------------------------------------------------
    # Entry dates: spread over the whole window, somewhat denser recently,
    # every age bucket represented (see check_ages).
    span = (ENTRY_LAST - ENTRY_FIRST).days
    offsets = sorted(int(round(span * (rng.random() ** 0.65))) for _ in range(ORDER_COUNT))
    offsets[0], offsets[-1] = 0, span          # pin both ends of the window
    entered = [ENTRY_FIRST + timedelta(days=o) for o in offsets]

    orderable = [row for row in LICS if row[7] not in ("example", "fee")]
    cust_codes = [c[0] for c in CUSTOMERS]
    cust_weights = [c[6] for c in CUSTOMERS]

    orders = []   # dicts with lines
    for i, ent in enumerate(entered):
        ref = str(1001 + i)
        cust = rng.choices(cust_codes, cust_weights)[0]
        _, _, _, _, home, audience, _ = cust_by[cust]
        location = home if rng.random() < 0.9 else "MAIN"
        if home == "MAIN" and rng.random() < 0.05:
            location = rng.choice(["EAST", "WEST"])
        n_lines = rng.choices([1, 2, 3, 4, 5], [28, 30, 22, 12, 8])[0]
        pool = [r for r in orderable if r[9] in ("any", audience)]
        weights = [5 if r[7] == "popular" else 1 if r[7] == "zero" else 1 for r in pool]
        chosen: list[str] = []
        while len(chosen) < n_lines:
            code = rng.choices(pool, weights)[0][0]
            if code not in chosen:
                chosen.append(code)
        # Fees ride along with furniture or, rarely, anything.
        if len(chosen) < 5 and any(c in FURNITURE for c in chosen) and rng.random() < 0.6:
            chosen.append("FREIGHT")
        if len(chosen) < 5 and any(c in ASSEMBLED for c in chosen) and rng.random() < 0.5:
            chosen.append("SETUP-FEE")
        if len(chosen) < 5 and rng.random() < 0.03:
            chosen.append("GIFTWRAP")
        lines = []
        for code in chosen:
            row = lic_by[code]
            price, kind, hi = row[2], row[7], row[8]
            qty = 1 if kind == "fee" else skewed_qty(rng, hi, kind == "popular")
            unit = price
            if kind != "fee" and rng.random() < 0.06:
                unit = (price * rng.choice([90, 85, 95]) + 50) // 100   # discount
            lines.append({"lic": code, "qty": qty, "unit_cents": unit})
        priority = ""
        if rng.random() < 0.10:
            priority = str(rng.randint(1, 9))
        policy = ""
        if rng.random() < 0.22:
            policy = rng.choice(POLICIES)
        schedule = ""
        if rng.random() < 0.12:
            schedule = dstr(ent + timedelta(days=rng.randint(5, 75)))
        orders.append({
            "ref": ref, "customer": cust, "location": location,
            "priority": priority, "policy": policy, "schedule": schedule,
            "entered": ent, "seq": i, "lines": lines,
        })

    # ---- demand per (LIC, location) -----------------------------------
    demand = defaultdict(int)
    for o in orders:
        for ln in o["lines"]:
            if lic_by[ln["lic"]][6]:
                demand[(ln["lic"], o["location"])] += ln["qty"]
    total_demand = sum(demand.values())

    # ---- stock ---------------------------------------------------------
    # Per-LIC cover factor by kind; "normal" LICs share one factor f, solved
    # so that the overall cover is STOCK_COVER_TARGET.
    noise = {row[0]: rng.uniform(0.75, 1.15) for row in LICS}
    popular_f = {row[0]: rng.uniform(0.30, 0.45) for row in LICS}
    plenty_f = {row[0]: rng.uniform(1.2, 1.6) for row in LICS}
    loc_noise = {(row[0], loc[0]): rng.uniform(0.85, 1.15) for row in LICS for loc in LOCATIONS}

    def stock_for(f_normal: float) -> dict:
        st = {}
        for (code, loc), d in demand.items():
            kind = lic_by[code][7]
            if kind == "zero":
                q = 0
            elif kind == "popular":
                q = d * popular_f[code]
            elif kind == "plenty":
                q = d * plenty_f[code] + lic_by[code][3]
            else:
                q = d * f_normal * noise[code]
            st[(code, loc)] = int(round(q * loc_noise[(code, loc)]))
        return st

    lo, hi = 0.3, 1.1
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(stock_for(mid).values()) < STOCK_COVER_TARGET * total_demand:
            lo = mid
        else:
            hi = mid
    f_normal = (lo + hi) / 2
    stock = {k: v for k, v in stock_for(f_normal).items() if v > 0}
    # LICs nobody ordered still sit on the shelf (some below min stock, so
    # the reorder report has something to say), at MAIN.
    ordered_lics = {code for code, _ in demand}
    for row in LICS:
        code, inventoried, kind, min_stock = row[0], row[6], row[7], row[3]
        if inventoried and kind not in ("example", "zero") and code not in ordered_lics:
            stock[(code, "MAIN")] = max(1, int(min_stock * rng.uniform(0.5, 2.0)))
    stock[("TEXTBOOK", "MAIN")] = 20           # the 001 example, exactly

    # ---- purchase orders for the short LICs ----------------------------
    short = []   # (shortage, lic, loc)
    for (code, loc), d in demand.items():
        gap = d - stock.get((code, loc), 0)
        if gap > 0:
            short.append((gap, code, loc))
    short.sort(key=lambda t: (-t[0], t[1], t[2]))
    # Leave the two smallest MAIN shortfalls without a PO so replenishment
    # has suggestions to make; cover the rest, biggest first.
    candidates = [s for s in short if s[2] == "MAIN"][:-2] + [s for s in short if s[2] != "MAIN"][:3]
    by_vendor_loc = defaultdict(list)
    for gap, code, loc in candidates:
        by_vendor_loc[(lic_by[code][5], loc)].append((gap, code))
    groups = []  # lists of (gap, code) sharing vendor + location
    for (vendor, loc), items in sorted(by_vendor_loc.items()):
        items.sort(key=lambda t: (-t[0], t[1]))
        while items:
            n = min(len(items), rng.choices([1, 2, 3, 4], [4, 3, 2, 1])[0])
            groups.append((vendor, loc, items[:n]))
            items = items[n:]
    # Keep the MAIN groups with the largest shortages plus the branch ones,
    # up to PO_COUNT; a big popular LIC gets a second, later PO.
    groups.sort(key=lambda g: (g[1] != "MAIN", -sum(x[0] for x in g[2])))
    main_groups = [g for g in groups if g[1] == "MAIN"]
    branch_groups = [g for g in groups if g[1] != "MAIN"][:2]
    chosen_groups = main_groups[: PO_COUNT - len(branch_groups) - 1] + branch_groups
    top_popular = next(code for gap, code, loc in short if loc == "MAIN" and lic_by[code][7] == "popular")
    chosen_groups.append((lic_by[top_popular][5], "MAIN", [(short[0][0], top_popular)]))

    po_rows = []
    late_slots = {0, 3, 7}                      # which POs are already late
    for n, (vendor, loc, items) in enumerate(chosen_groups):
        ref = f"PO-{5001 + n}"
        if n in late_slots:
            expected = PO_EXPECTED_FIRST + timedelta(days=rng.randint(0, (TODAY - PO_EXPECTED_FIRST).days - 1))
        else:
            expected = TODAY + timedelta(days=rng.randint(2, (PO_EXPECTED_LAST - TODAY).days))
        if n == len(chosen_groups) - 1:          # the second PO comes later
            expected = max(expected, date(2026, 12, 15))
        earliest = max(PO_ORDER_FIRST, expected - timedelta(days=70))
        latest = min(PO_ORDER_LAST, expected - timedelta(days=7))
        order_date = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
        for gap, code in items:
            mult = lic_by[code][4]
            want = max(1, int(gap * rng.uniform(0.5, 1.1)))
            qty = -(-want // mult) * mult
            po_rows.append({"po_ref": ref, "vendor": vendor, "lic": code, "qty": qty,
                            "location": loc, "order_date": dstr(order_date),
                            "expected": dstr(expected)})

    # ---- complete-or-cancel only where the order is whole at entry -----
    # Otherwise loading the demo would ask to cancel it; such orders become
    # plain "complete" (hold until 100 %), which shows the same screens.
    eff_prio = {o["ref"]: int(o["priority"]) if o["priority"] else cust_by[o["customer"]][2]
                for o in orders}
    downgraded = 0
    for o in orders:
        if o["policy"] != "complete-or-cancel":
            continue
        p = eff_prio[o["ref"]]
        for ln in o["lines"]:
            if not lic_by[ln["lic"]][6]:
                continue
            ahead = sum(l2["qty"] for o2 in orders[: o["seq"]] if eff_prio[o2["ref"]] >= p
                        and o2["location"] == o["location"]
                        for l2 in o2["lines"] if l2["lic"] == ln["lic"])
            if ln["qty"] > stock.get((ln["lic"], o["location"]), 0) - ahead:
                o["policy"] = "complete"
                downgraded += 1
                break

    return {
        "orders": orders, "stock": stock, "po_rows": po_rows, "demand": demand,
        "eff_prio": eff_prio, "downgraded": downgraded, "f_normal": f_normal,
    }


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def write_csv(path: str, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")     # QUOTE_MINIMAL by default
        w.writerow(header)
        w.writerows(rows)


def write_all(outdir: str, g: dict) -> None:
    os.makedirs(outdir, exist_ok=True)
    p = lambda name: os.path.join(outdir, name)
    write_csv(p("locations.csv"), ["code", "name"], [list(r) for r in LOCATIONS])
    write_csv(p("vendors.csv"), ["code", "name"], [list(r) for r in VENDORS])
    write_csv(p("lics.csv"),
              ["code", "description", "price_cents", "min_stock", "reorder_multiple", "vendor", "inventoried"],
              [[r[0], r[1], r[2], r[3], r[4], r[5], "true" if r[6] else "false"] for r in LICS])
    write_csv(p("customers.csv"), ["code", "name", "priority", "terms"],
              [[c[0], c[1], c[2], c[3]] for c in CUSTOMERS])
    loc_rank = {code: i for i, (code, _) in enumerate(LOCATIONS)}
    lic_rank = {r[0]: i for i, r in enumerate(LICS)}
    write_csv(p("stock.csv"), ["lic", "qty", "location"],
              [[code, qty, loc] for (code, loc), qty in
               sorted(g["stock"].items(), key=lambda kv: (lic_rank[kv[0][0]], loc_rank[kv[0][1]]))])
    write_csv(p("purchase-orders.csv"),
              ["po_ref", "vendor", "lic", "qty", "location", "order_date", "expected"],
              [[r["po_ref"], r["vendor"], r["lic"], r["qty"], r["location"], r["order_date"], r["expected"]]
               for r in g["po_rows"]])
    rows = []
    for o in g["orders"]:
        for ln in o["lines"]:
            rows.append([o["ref"], o["customer"], ln["lic"], ln["qty"], ln["unit_cents"], o["location"],
                         o["priority"], o["policy"], o["schedule"], dstr(o["entered"])])
    write_csv(p("orders.csv"),
              ["order_ref", "customer", "lic", "qty", "unit_cents", "location", "priority", "policy",
               "schedule_date", "entered_date"], rows)


# --------------------------------------------------------------------------
# Validation (reads the files back, so it checks what was written)
# --------------------------------------------------------------------------

def read_csv(path: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def validate(outdir: str) -> list[str]:
    errs: list[str] = []
    rd = lambda name: read_csv(os.path.join(outdir, name))
    locs = {r["code"] for r in rd("locations.csv")}
    vendors = {r["code"] for r in rd("vendors.csv")}
    lics = {r["code"]: r for r in rd("lics.csv")}
    custs = {r["code"]: r for r in rd("customers.csv")}
    stock = rd("stock.csv")
    pos = rd("purchase-orders.csv")
    orders = rd("orders.csv")

    def date_ok(s, lo, hi, what):
        try:
            d = date.fromisoformat(s)
        except ValueError:
            errs.append(f"{what}: bad date {s!r}")
            return None
        if not lo <= d <= hi:
            errs.append(f"{what}: date {s} outside {lo}..{hi}")
        return d

    for code, r in lics.items():
        if code != code.upper():
            errs.append(f"lic {code}: code not upper-case")
        if r["vendor"] not in vendors:
            errs.append(f"lic {code}: unknown vendor {r['vendor']}")
        if r["inventoried"] not in ("true", "false"):
            errs.append(f"lic {code}: inventoried={r['inventoried']}")
        if not 0 <= int(r["min_stock"]) <= 50:
            errs.append(f"lic {code}: min_stock {r['min_stock']}")
        if int(r["reorder_multiple"]) not in (1, 6, 12, 24):
            errs.append(f"lic {code}: reorder_multiple {r['reorder_multiple']}")
    if lics.get("TEXTBOOK", {}).get("description") != "Algebra I textbook" or lics["TEXTBOOK"]["price_cents"] != "4500":
        errs.append("TEXTBOOK must be 'Algebra I textbook' at 4500 cents")
    if sum(r["inventoried"] == "false" for r in lics.values()) != 3:
        errs.append("expected exactly 3 non-inventoried LICs")
    for code, r in custs.items():
        if not 0 <= int(r["priority"]) <= 9 or r["terms"] not in ("ar", "cod"):
            errs.append(f"customer {code}: priority/terms {r['priority']}/{r['terms']}")

    seen_stock = set()
    for i, r in enumerate(stock, start=2):
        if r["lic"] not in lics or r["location"] not in locs:
            errs.append(f"stock row {i}: unknown code {r}")
        elif lics[r["lic"]]["inventoried"] != "true":
            errs.append(f"stock row {i}: non-inventoried {r['lic']}")
        if int(r["qty"]) <= 0:
            errs.append(f"stock row {i}: qty {r['qty']}")
        seen_stock.add((r["lic"], r["location"]))
    tb = [r for r in stock if r["lic"] == "TEXTBOOK"]
    if [(r["qty"], r["location"]) for r in tb] != [("20", "MAIN")]:
        errs.append(f"TEXTBOOK stock must be exactly 20 at MAIN, got {tb}")

    po_heads = {}
    po_lics = defaultdict(set)
    for i, r in enumerate(pos, start=2):
        if r["vendor"] not in vendors or r["lic"] not in lics or r["location"] not in locs:
            errs.append(f"purchase-orders row {i}: unknown code {r}")
            continue
        if lics[r["lic"]]["vendor"] != r["vendor"]:
            errs.append(f"purchase-orders row {i}: {r['lic']} is not from {r['vendor']}")
        if lics[r["lic"]]["inventoried"] != "true" or r["lic"] == "TEXTBOOK":
            errs.append(f"purchase-orders row {i}: {r['lic']} must not be on a PO")
        if r["lic"] in po_lics[r["po_ref"]]:
            errs.append(f"purchase-orders row {i}: {r['lic']} twice on {r['po_ref']}")
        po_lics[r["po_ref"]].add(r["lic"])
        od = date_ok(r["order_date"], PO_ORDER_FIRST, PO_ORDER_LAST, f"purchase-orders row {i} order_date")
        ex = date_ok(r["expected"], PO_EXPECTED_FIRST, PO_EXPECTED_LAST, f"purchase-orders row {i} expected")
        if od and ex and ex < od:
            errs.append(f"purchase-orders row {i}: expected before order date")
        head = (r["vendor"], r["location"], r["order_date"], r["expected"])
        if po_heads.setdefault(r["po_ref"], head) != head:
            errs.append(f"purchase-orders row {i}: {r['po_ref']} header fields differ between rows")
    for ref, ls in po_lics.items():
        if not 1 <= len(ls) <= 4:
            errs.append(f"{ref}: {len(ls)} lines")

    last_ref, last_entered, done_refs = None, None, set()
    heads, order_lics = {}, defaultdict(set)
    for i, r in enumerate(orders, start=2):
        ref = r["order_ref"]
        if r["customer"] not in custs or r["lic"] not in lics or r["location"] not in locs:
            errs.append(f"orders row {i}: unknown code {r}")
            continue
        if r["lic"] == "TEXTBOOK":
            errs.append(f"orders row {i}: TEXTBOOK must not be ordered")
        if ref != last_ref:
            if ref in done_refs:
                errs.append(f"orders row {i}: rows of {ref} not consecutive")
            done_refs.add(ref)
        last_ref = ref
        if r["lic"] in order_lics[ref]:
            errs.append(f"orders row {i}: {r['lic']} repeated in order {ref}")
        order_lics[ref].add(r["lic"])
        q = int(r["qty"])
        if not 1 <= q <= 40 or (lics[r["lic"]]["inventoried"] == "false" and q != 1):
            errs.append(f"orders row {i}: qty {q}")
        if int(r["unit_cents"]) <= 0 or int(r["unit_cents"]) > int(lics[r["lic"]]["price_cents"]):
            errs.append(f"orders row {i}: unit_cents {r['unit_cents']}")
        if r["priority"] and not 1 <= int(r["priority"]) <= 9:
            errs.append(f"orders row {i}: priority {r['priority']}")
        if r["policy"] and r["policy"] not in POLICIES:
            errs.append(f"orders row {i}: policy {r['policy']}")
        ent = date_ok(r["entered_date"], ENTRY_FIRST, ENTRY_LAST, f"orders row {i} entered_date")
        if r["schedule_date"]:
            sd = date_ok(r["schedule_date"], ENTRY_FIRST, date(2027, 12, 31), f"orders row {i} schedule_date")
            if sd and ent and sd < ent:
                errs.append(f"orders row {i}: schedule date before entry")
        head = (r["customer"], r["location"], r["priority"], r["policy"], r["schedule_date"], r["entered_date"])
        if heads.setdefault(ref, head) != head:
            errs.append(f"orders row {i}: order fields differ between rows of {ref}")
        if ent and last_entered and ent < last_entered:
            errs.append(f"orders row {i}: entered_date goes backwards")
        last_entered = ent or last_entered
    for ref, ls in order_lics.items():
        if not 1 <= len(ls) <= 5:
            errs.append(f"order {ref}: {len(ls)} lines")
    return errs


# --------------------------------------------------------------------------
# Summary: what a fresh demo database will look like
# --------------------------------------------------------------------------

def age_bucket(days: int) -> str:
    for hi, name in ((7, "0-7"), (14, "8-14"), (30, "15-30"), (60, "31-60")):
        if days <= hi:
            return name
    return ">60"


def summarize(g: dict) -> str:
    lic_by = {row[0]: row for row in LICS}
    orders, stock, demand = g["orders"], g["stock"], g["demand"]
    out = []
    n_lines = sum(len(o["lines"]) for o in orders)
    inv_units = sum(demand.values())
    stock_on_demanded = sum(v for k, v in stock.items() if k in demand)
    out.append(f"locations: {len(LOCATIONS)}   vendors: {len(VENDORS)}   LICs: {len(LICS)} "
               f"({sum(1 for r in LICS if not r[6])} non-inventoried)   customers: {len(CUSTOMERS)}   "
               f"stock rows: {len(stock)}")
    out.append(f"orders: {len(orders)}   lines: {n_lines}   "
               f"entered {dstr(orders[0]['entered'])} .. {dstr(orders[-1]['entered'])}")
    out.append(f"inventoried units demanded: {inv_units}   stocked (same LIC+location): "
               f"{stock_on_demanded} ({100 * stock_on_demanded / inv_units:.0f}%)   "
               f"stocked in all: {sum(stock.values())} ("
               + ", ".join(f"{loc} {sum(v for (_, l), v in stock.items() if l == loc)}" for loc, _ in LOCATIONS)
               + ")")
    po_refs = sorted({r['po_ref'] for r in g['po_rows']})
    late = sorted({r['po_ref'] for r in g['po_rows'] if date.fromisoformat(r['expected']) < TODAY})
    out.append(f"purchase orders: {len(po_refs)} ({len(g['po_rows'])} lines, "
               f"{sum(r['qty'] for r in g['po_rows'])} units), late at {TODAY}: {', '.join(late)}")
    pol = defaultdict(int)
    for o in orders:
        pol[o["policy"] or "(default)"] += 1
    out.append("policies: " + ", ".join(f"{k} {v}" for k, v in sorted(pol.items()))
               + f"   (complete-or-cancel short at entry -> complete: {g['downgraded']})")
    out.append(f"explicit priority: {sum(1 for o in orders if o['priority'])}   "
               f"schedule dates: {sum(1 for o in orders if o['schedule'])}   "
               f"locations: " + ", ".join(f"{loc} {sum(1 for o in orders if o['location'] == loc)}"
                                          for loc, _ in LOCATIONS))

    # Canonical allocation (§4.4): per (LIC, location) the queue, by effective
    # priority desc then entry order, greedily filled from opening stock.
    queue = defaultdict(list)
    for o in orders:
        for n, ln in enumerate(o["lines"]):
            if lic_by[ln["lic"]][6]:
                queue[(ln["lic"], o["location"])].append((-g["eff_prio"][o["ref"]], o["seq"], n, o, ln))
    bo_lines, bo_units = defaultdict(int), defaultdict(int)
    by_age_orders = defaultdict(int)
    bo_orders = set()
    for key, q in queue.items():
        left = stock.get(key, 0)
        for *_, o, ln in sorted(q, key=lambda t: t[:3]):
            take = min(left, ln["qty"])
            left -= take
            if take < ln["qty"]:
                bo_lines[ln["lic"]] += 1
                bo_units[ln["lic"]] += ln["qty"] - take
                bo_orders.add(o["ref"])
    for o in orders:
        if o["ref"] in bo_orders:
            by_age_orders[age_bucket((TODAY - o["entered"]).days)] += 1
    all_age = defaultdict(int)
    for o in orders:
        all_age[age_bucket((TODAY - o["entered"]).days)] += 1
    buckets = ["0-7", "8-14", "15-30", "31-60", ">60"]
    out.append("orders by age (days, at " + dstr(TODAY) + "): "
               + ", ".join(f"{b} {all_age[b]}" for b in buckets))
    out.append(f"orders with a backorder after allocation: {len(bo_orders)}, by age: "
               + ", ".join(f"{b} {by_age_orders[b]}" for b in buckets))
    out.append(f"backordered lines: {sum(bo_lines.values())}   units: {sum(bo_units.values())}")

    per_lic_d, per_lic_s, per_lic_po = defaultdict(int), defaultdict(int), defaultdict(int)
    for (code, _), d in demand.items():
        per_lic_d[code] += d
    for (code, _), s in stock.items():
        per_lic_s[code] += s
    for r in g["po_rows"]:
        per_lic_po[r["lic"]] += r["qty"]
    ranked = sorted(per_lic_d, key=lambda c: (-(per_lic_d[c] - per_lic_s[c]), c))
    out.append("")
    out.append("top 10 oversubscribed LICs (all locations):")
    out.append(f"  {'LIC':<13}{'demand':>7}{'stock':>7}{'short':>7}{'cover':>7}{'BO lines':>9}{'on PO':>7}")
    for c in ranked[:10]:
        d, s = per_lic_d[c], per_lic_s[c]
        out.append(f"  {c:<13}{d:>7}{s:>7}{d - s:>7}{100 * s / d:>6.0f}%{bo_lines[c]:>9}{per_lic_po[c]:>7}")
    zero = sorted(c for c in per_lic_d if per_lic_s[c] == 0)
    out.append(f"LICs ordered but with no stock anywhere: {', '.join(zero)}")
    plenty = sorted(c for c in per_lic_d if per_lic_s[c] >= 1.3 * per_lic_d[c])
    out.append(f"LICs with plenty (stock >= 130% of demand): {', '.join(plenty)}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = argv[1] if len(argv) > 1 else os.path.join(here, "out")
    g = generate()
    write_all(outdir, g)
    errs = validate(outdir)
    print(summarize(g))
    if errs:
        print(f"\nVALIDATION FAILED ({len(errs)}):", file=sys.stderr)
        for e in errs:
            print("  " + e, file=sys.stderr)
        return 1
    print(f"\nvalidation: ok ({outdir})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
