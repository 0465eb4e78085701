"""The terminal report of one article stays readable, and as long as what it reports, however deep the nesting."""
from according.model import Analysis, Attribution
from according.report import MAX_INDENT, WIDTH, render


def test_report_render_deep_nesting_keeps_its_width_and_says_how_deep():
    unit = "she said the talks had failed "
    text = unit * 200
    attributions = [Attribution(id=f"a{n}", source=[(n * len(unit), n * len(unit) + 3)],
                                cue=[(n * len(unit) + 4, n * len(unit) + 8)],
                                content=[(n * len(unit) + 9, len(text) - 1)], parent=f"a{n - 1}" if n else None)
                    for n in range(200)]
    lines = render(Analysis(text=text, attributions=attributions)).splitlines()
    statements = lines[lines.index("WHO SAID WHAT (200 statements, in reading order)") + 1:]
    assert all(len(line) <= WIDTH + 4 * MAX_INDENT for line in statements)
    assert len(statements) <= 5 * 200  # a head and a few lines of text each, not a word a line
    assert any(line.lstrip().startswith(f"└ [{MAX_INDENT + 1} deep] she") for line in statements)
    assert any("[199 deep]" in line for line in statements)
