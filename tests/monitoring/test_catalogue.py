"""The indicator catalogue is data: complete in both languages, and checked when loaded."""

import pytest
import yaml

from learncity.monitoring import catalogue
from learncity.monitoring.catalogue import DEFAULT_FILE, CatalogueError, parse

REQUIRED = ("PART_ANY", "PART_FORMAL", "PART_NONFORMAL", "PART_INFORMAL", "PART_OLDER",
            "PART_ONLINE", "HOURS_MEAN", "ACCOUNTS_PER_1000", "REC_OUTCOMES", "REC_CREDITS",
            "SITES_PER_10000", "COURSES_PER_10000", "EQ_GINI", "EQ_THEIL", "EQ_GAP",
            "TARGET_PROGRESS", "SV_UNMET_NEED", "SV_BARRIERS", "SV_DIGITAL_SKILLS",
            "SV_USED_LEARNING", "SV_CERTIFICATE", "TRANSFER_CREDITS", "TRANSFER_LEARNERS")


def test_the_catalogue_has_every_indicator_the_policy_asks_for():
    cat = catalogue.load()
    assert set(REQUIRED) <= {i.code for i in cat.indicators}
    assert cat.indicator("PART_ANY").target["value"] == 50


def test_every_label_is_a_chinese_and_english_string():
    raw = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    labelled = [*raw["units"].values(), *raw["zones"].values(), *raw["categories"].values(),
                *raw["dimensions"].values(), *raw["groups"].values()]
    for ind in raw["indicators"]:
        labelled += [ind["name"], ind["definition"]]
    for label in labelled:
        assert set(label) == {"zh", "en"}, label
        assert all(isinstance(v, str) and v for v in label.values()), label


def test_an_unknown_measure_is_refused():
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace(
        "numerator: {measure: formal,", "numerator: {measure: nonsense,")
    with pytest.raises(CatalogueError, match="PART_FORMAL"):
        parse(text)


def test_duplicate_codes_are_refused():
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace("code: PART_FORMAL", "code: PART_ANY")
    with pytest.raises(CatalogueError):
        parse(text)
