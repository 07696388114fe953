"""The hall the reliability tests attack: contract T-1 (the base contract of tests/factories.py) and six staff."""

ROSTER_CSV = ("staff_id,name,contract,department,window,hired_on\n"
              + "".join(f"A{n},员工{n},T-1,受理科,A0{n},2023-01-01\n" for n in range(1, 7)))
