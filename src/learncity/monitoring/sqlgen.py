"""The indicator catalogue compiled to SQL that DuckDB and Spark SQL both run unchanged. Pure.

Only a portable subset is used: CTEs, CASE, COALESCE, YEAR(), DATE literals, the bitwise
operators & and | with the BIT_OR aggregate, COUNT(DISTINCT), ROW_NUMBER() and GROUP BY. Every
query returns small aggregates keyed by year and the residents' group (district, sex, hukou,
birth year) or district; age bands, rates, means, zone and city figures are then derived from
those integers in Python (compute.py), so two engines that return the same integers give identical
indicators.
"""

from __future__ import annotations

from learncity.monitoring.catalogue import Catalogue, Rule

ROW_TABLES = {"persons": "person_key", "outcomes": "outcome_key", "recognitions": "outcome_key",
              "transfers": "transfer_key"}
FULL_TABLES = ("sites", "courses")
GROUP = "district_code, sex, hukou, birth_year"


def _quote(values) -> str:
    for v in values:
        if "'" in str(v):
            raise ValueError(f"refusing a quote in a catalogue value: {v!r}")
    return ", ".join(f"'{v}'" for v in values)


def base_views(updates: bool) -> list[str]:
    """Views over the raw tables (`<name>_raw`): with incremental updates, a row from a later run
    replaces the same key's row from an earlier run; full tables keep only their latest run."""
    views = []
    for name, key in ROW_TABLES.items():
        if updates:
            views.append(
                f"CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT * FROM (SELECT r.*, "
                f"ROW_NUMBER() OVER (PARTITION BY r.{key} ORDER BY r.run DESC) AS rn "
                f"FROM {name}_raw r) t WHERE t.rn = 1"
            )
        else:
            views.append(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT * FROM {name}_raw")
    for name in FULL_TABLES:
        views.append(
            f"CREATE OR REPLACE TEMPORARY VIEW {name} AS SELECT * FROM {name}_raw "
            f"WHERE run = (SELECT MAX(run) FROM {name}_raw)"
        )
    views.append("CREATE OR REPLACE TEMPORARY VIEW population AS SELECT * FROM population_raw")
    return views


def _bits_case(cat: Catalogue, column: str, field: str) -> str:
    """CASE column WHEN value THEN bits: the measures whose rule lists that value."""
    bits: dict[str, int] = {}
    for i, measure in enumerate(cat.all_measures()):
        for value in getattr(cat.rule(measure), field):
            bits[value] = bits.get(value, 0) | (1 << i)
    if not bits:
        return "0"
    whens = " ".join(f"WHEN {_quote([v])} THEN {b}" for v, b in sorted(bits.items()))
    return f"CASE {column} {whens} ELSE 0 END"


def mask_sql(cat: Catalogue) -> str:
    """One integer per outcome whose bit i says it counts for measure i (catalogue order): a
    rule matches by kind OR source OR category; an empty rule matches every outcome."""
    measures = cat.all_measures()
    if len(measures) > 30:
        raise ValueError("at most 30 person-level measures fit the bit mask")
    always = sum(1 << i for i, m in enumerate(measures) if cat.rule(m) == Rule())
    parts = [_bits_case(cat, c, f) for c, f in
             (("kind", "kinds"), ("source", "sources"), ("category", "categories"))]
    return " | ".join(f"({p})" for p in parts) + f" | {always}"


def participation_sql(cat: Catalogue, year: int) -> str:
    """For one year, per resident group: residents with each measure, and their hours.

    A group is district, sex, hukou and birth year, read from the outcome rows (they carry
    their learner's attributes, so there is no join); compute.py turns birth years into the
    catalogue's age bands. Each learner's outcomes of the year are folded into one bit mask
    (BIT_OR), so one aggregate serves every measure. One query per year keeps the per-person
    hash table to one year's learners."""
    sums = ", ".join(f"SUM(CASE WHEN (mask & {1 << i}) <> 0 THEN 1 ELSE 0 END) AS m_{m}"
                     for i, m in enumerate(cat.all_measures()))
    return f"""
WITH f AS (
  SELECT person_key, {GROUP}, BIT_OR({mask_sql(cat)}) AS mask,
    SUM(COALESCE(hours_tenths, 0)) AS hours_tenths
  FROM outcomes
  WHERE is_current AND status IN ({_quote(cat.statuses)})
    AND completed_on >= DATE '{year}-01-01' AND completed_on <= DATE '{year}-12-31'
  GROUP BY person_key, {GROUP}
)
SELECT {int(year)} AS year, {GROUP}, {sums}, SUM(hours_tenths) AS hours_tenths
FROM f GROUP BY {GROUP}
"""


def accounts_sql(last_year: int) -> str:
    """Accounts by group and year of opening (compute.py adds them up to each year's end)."""
    return f"""
SELECT {GROUP}, YEAR(account_opened_on) AS opened, COUNT(*) AS accounts
FROM persons
WHERE account_opened_on IS NOT NULL AND account_opened_on <= DATE '{int(last_year)}-12-31'
GROUP BY {GROUP}, YEAR(account_opened_on)
"""


def recognitions_sql(years: tuple[int, ...]) -> str:
    """Per year of decision and group: outcomes recognised and their credits (tenths)."""
    return f"""
SELECT YEAR(decided_on) AS year, {GROUP}, COUNT(*) AS recognised,
  SUM(COALESCE(credits_tenths, 0)) AS credits_tenths
FROM recognitions
WHERE status = 'recognised'
  AND decided_on >= DATE '{min(years)}-01-01' AND decided_on <= DATE '{max(years)}-12-31'
GROUP BY YEAR(decided_on), {GROUP}
"""


def transfers_sql(years: tuple[int, ...]) -> str:
    """Per year of posting and group: courses granted by credit transfer, their credits
    (tenths), and the learners with a transfer (a learner is in one group only, so the groups'
    counts add up)."""
    return f"""
SELECT YEAR(posted_on) AS year, {GROUP}, COUNT(*) AS transfers,
  SUM(COALESCE(credits_tenths, 0)) AS transfer_credits_tenths,
  COUNT(DISTINCT person_key) AS transfer_learners
FROM transfers
WHERE posted_on >= DATE '{min(years)}-01-01' AND posted_on <= DATE '{max(years)}-12-31'
GROUP BY YEAR(posted_on), {GROUP}
"""


def sites_sql() -> str:
    return ("SELECT district_code, COUNT(*) AS sites FROM sites WHERE active "
            "GROUP BY district_code")


def courses_sql(years: tuple[int, ...]) -> str:
    return (f"SELECT year, district_code, COUNT(*) AS courses FROM courses "
            f"WHERE year BETWEEN {min(years)} AND {max(years)} GROUP BY year, district_code")


def population_sql() -> str:
    return ("SELECT district_code, sex, age_band, hukou, SUM(residents) AS residents "
            "FROM population GROUP BY district_code, sex, age_band, hukou")


def queries(cat: Catalogue, years: tuple[int, ...]) -> dict[str, str]:
    """Every query one indicator run needs, by name."""
    years = tuple(sorted(set(years)))
    return {
        **{f"participation_{y}": participation_sql(cat, y) for y in years},
        "accounts": accounts_sql(max(years)),
        "recognitions": recognitions_sql(years),
        "transfers": transfers_sql(years),
        "sites": sites_sql(),
        "courses": courses_sql(years),
        "population": population_sql(),
    }
