#!/usr/bin/env python3
"""Write a deterministic CSV of IoT device rows for CSV-reading benchmarks.

    python3 scripts/bench/make-devices-csv.py OUT.csv --rows 1000000

Header: iccid,imei,status,rate_plan,communication_plan,notes

* iccid: 19 or 20 digits, starts with 8901, valid Luhn check digit
* imei: 15 digits, valid Luhn check digit
* status: ACTIVATED / DEACTIVATED / ACTIVATION_READY / INVENTORY / RETIRED
* rate_plan, communication_plan: plan names such as "POD19 IoT 1GB Pooled"
* notes: usually plain text (sometimes empty); about 5% of rows hold double
  quotes, commas and an embedded line break (mostly LF, a quarter of them CRLF),
  RFC 4180-quoted by the csv module.

Records end in CRLF. The output depends only on --rows and --seed (Python
stdlib only, random.Random with a fixed seed), so the same command always
writes the same bytes. About 100 bytes per row: ~100 MB at 1M rows.
"""

import argparse
import csv
import os
import random
import sys
import time

STATUSES = ["ACTIVATED", "DEACTIVATED", "ACTIVATION_READY", "INVENTORY", "RETIRED"]
STATUS_WEIGHTS = [60, 12, 10, 13, 5]

RATE_PLANS = [
    "POD19 IoT 1GB Pooled",
    "POD19 IoT 5GB Pooled",
    "POD19 IoT 100MB",
    "Global M2M 10MB",
    "Global M2M 50MB Pooled",
    "LTE-M Fleet 250MB",
    "NB-IoT Meter 1MB",
    "Test Ready 0MB",
]

COMMUNICATION_PLANS = [
    "Data + SMS",
    "Data Only",
    "LTE-M Data + SMS MT",
    "NB-IoT Data",
    "Global Roaming Data",
    "SMS Only",
]

PLAIN_NOTES = [
    "",
    "ok",
    "pilot batch Q3",
    "installed at site 12 bay 4",
    "SIM swap pending",
    "warehouse B shelf 7",
    "smart meter fleet north",
    "renewed for 12 months",
    "spare unit in depot",
    "customer trial ends soon",
    "vehicle tracker van 31",
    "moved to pooled plan",
]

# Notes that need quoting: double quotes, commas, and one embedded line break.
SPECIAL_NOTES = [
    'Customer says "no signal", moved to site {n}{nl}ticket #{t}',
    'Relabelled "{n}", see ticket {t},{nl}do not reuse',
    'Field tech: antenna swapped, "OK" after reboot{nl}ref {t}',
    'Ship to "Dock {n}", gate 4{nl}contact: ops, ext. {t}',
]

# Luhn: digit -> value after doubling.
_DOUBLED = [0, 2, 4, 6, 8, 1, 3, 5, 7, 9]


def luhn_check_digit(payload: str) -> str:
    """Check digit to append to `payload` so the whole number passes Luhn."""
    total = 0
    double = True  # the rightmost payload digit is doubled once the check digit is appended
    for ch in reversed(payload):
        d = ord(ch) - 48
        total += _DOUBLED[d] if double else d
        double = not double
    return chr(48 + (10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return luhn_check_digit(number[:-1]) == number[-1]


def rows(count: int, seed: int):
    rng = random.Random(seed)
    randrange = rng.randrange
    rand = rng.random
    choice = rng.choice
    statuses = rng.choices(STATUSES, weights=STATUS_WEIGHTS, k=count)
    taCs = ["35%06d" % randrange(10**6) for _ in range(40)]
    for i in range(count):
        # ICCID: 8901 + 14 or 15 digits + check digit -> 19 or 20 digits.
        if rand() < 0.8:
            payload = "8901%015d" % randrange(10**15)
        else:
            payload = "8901%014d" % randrange(10**14)
        iccid = payload + luhn_check_digit(payload)
        # IMEI: 8-digit TAC + 6-digit serial + check digit.
        imei_payload = choice(taCs) + "%06d" % randrange(10**6)
        imei = imei_payload + luhn_check_digit(imei_payload)
        if rand() < 0.05:
            nl = "\r\n" if rand() < 0.25 else "\n"
            notes = choice(SPECIAL_NOTES).format(n=randrange(1, 100), t=randrange(10000, 100000), nl=nl)
        else:
            notes = choice(PLAIN_NOTES)
        yield (iccid, imei, statuses[i], choice(RATE_PLANS), choice(COMMUNICATION_PLANS), notes)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="output CSV path")
    ap.add_argument("--rows", type=int, default=1_000_000, help="data rows (default 1000000)")
    ap.add_argument("--seed", type=int, default=20240601, help="random seed (default 20240601)")
    args = ap.parse_args()
    if args.rows < 0:
        ap.error("--rows must be >= 0")

    start = time.perf_counter()
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8", buffering=1 << 20) as f:
        w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(["iccid", "imei", "status", "rate_plan", "communication_plan", "notes"])
        w.writerows(rows(args.rows, args.seed))
    os.replace(tmp, args.out)
    size = os.path.getsize(args.out)
    elapsed = time.perf_counter() - start
    print(
        f"wrote {args.out}: rows={args.rows} bytes={size} ({size / 1e6:.1f} MB) "
        f"seconds={elapsed:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
