#!/usr/bin/env python3
"""Writes an N-clinician NDJSON file in CMS's v6 `data` shape for timing
`mips-elections import eligibility` (default 100,000 clinicians, 10 per practice).
Usage: bench/import.py [N] > file.ndjson"""
import json, sys

def luhn_npi(base9):
    for d in range(10):
        digits = [int(c) for c in "80840" + base9 + str(d)]
        total = 0
        for i, v in enumerate(reversed(digits)):
            if i % 2 == 1:
                v *= 2
                if v > 9:
                    v -= 9
            total += v
        if total % 10 == 0:
            return base9 + str(d)

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
out = sys.stdout
for i in range(n):
    tin = f"3{i // 10:08d}"
    group_opt_in = (i // 10) % 3 == 0
    out.write(json.dumps({
        "npi": luhn_npi(f"19{i:07d}"), "firstName": f"Clinician {i + 1}", "lastName": "Bench",
        "newlyEnrolled": False, "qpStatus": "N",
        "organizations": [{
            "TIN": tin, "prvdrOrgName": f"Bench Practice {i // 10 + 1}", "addressLineOne": "1 Main Street",
            "city": "Duluth", "state": "MN", "zip": "558020000",
            "individualScenario": {"isEligible": {"individual": False}, "isOptInEligible": i % 2 == 0,
                                   "mipsEligibleSwitch": True, "lowVolumeServices": 150 + i % 100,
                                   "lowVolumeBeneficiaries": 100 + i % 200, "lowVolumeAllowedCharges": 50000.0 + i},
            "groupScenario": {"isEligible": {"group": False}, "isOptInEligible": group_opt_in, "smallGroupPractitioner": True},
            "apms": [],
        }],
    }) + "\n")
