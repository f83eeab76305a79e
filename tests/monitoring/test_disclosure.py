"""Small-cell protection: primary and secondary suppression."""

from learncity.monitoring.compute import Cell
from learncity.monitoring.disclosure import protect


def cell(group, numerator, denominator, dimension="district", indicator="PART_ANY"):
    return Cell(indicator, 2024, dimension, group, numerator / denominator * 100, numerator,
                denominator, int(numerator))


def test_a_cell_from_fewer_people_than_the_threshold_is_withheld():
    cells = protect([cell("a", 4, 100), cell("b", 50, 100), cell("c", 60, 100)], 5,
                    {"PART_ANY"})
    assert cells[0].flag == "suppressed"
    assert cells[0].value is None and cells[0].numerator is None and cells[0].denominator is None


def test_one_withheld_cell_in_a_set_takes_the_next_smallest_with_it():
    cells = protect([cell("a", 4, 100), cell("b", 50, 100), cell("c", 60, 100)], 5,
                    {"PART_ANY"})
    assert [c.flag for c in cells] == ["suppressed", "suppressed", ""]


def test_all_but_a_few_is_as_revealing_as_a_few():
    cells = protect([cell("a", 98, 100), cell("b", 50, 100), cell("c", 40, 100)], 5,
                    {"PART_ANY"})
    assert cells[0].flag == "suppressed"


def test_survey_cells_follow_their_respondents():
    survey = Cell("SV_UNMET_NEED", 2024, "sex", "F", 30.0, n=4, se=2.0)
    other = Cell("SV_UNMET_NEED", 2024, "sex", "M", 28.0, n=40, se=2.0)
    protect([survey, other], 5, set())
    assert survey.flag == other.flag == "suppressed" and survey.se is None


def test_a_threshold_of_one_publishes_everything():
    cells = protect([cell("a", 1, 100)], 1, {"PART_ANY"})
    assert cells[0].flag == "" and cells[0].value == 1.0


def test_equity_components_are_never_suppressed():
    theil = Cell("EQ_THEIL", 2024, "component", "between_zone", 0.004)
    assert protect([theil], 10, set())[0].value == 0.004
