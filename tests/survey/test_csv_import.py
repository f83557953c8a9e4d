"""The people parser is pure: these tests run without a database."""

import pytest

from survey.core.csv_import import MAX_LINES, Person, Rejected, decode, parse_people


def parse(text: str):
    return parse_people(text, default_language="en")


def test_it_reads_positional_lines_with_defaults_for_role_and_language():
    parsed = parse("an@example.com, An Nguyen, sales\nbo@example.com,,marketing,leader,vi\n")
    assert parsed.errors == []
    assert parsed.people == [
        Person(
            email="an@example.com",
            name="An Nguyen",
            department="sales",
            role="staff",
            language="en",
        ),
        Person(
            email="bo@example.com", name="", department="marketing", role="leader", language="vi"
        ),
    ]


def test_a_header_may_put_the_columns_in_any_order():
    parsed = parse("Department,Email,Language\nmarketing,Jo@Example.com,Tiếng Việt\n")
    assert parsed.people == [
        Person(email="jo@example.com", name="", department="marketing", role="staff", language="vi")
    ]


def test_cells_copied_from_a_spreadsheet_are_tab_separated():
    parsed = parse("an@example.com\tAn\tKinh doanh\tNhân viên\tvi")
    assert parsed.people == [
        Person(email="an@example.com", name="An", department="sales", role="staff", language="vi")
    ]


def test_every_bad_line_is_reported_with_its_number_and_the_good_lines_are_kept():
    text = "\n".join(
        [
            "email,name,department,role,language",
            "good@example.com,Good,sales",
            "not-an-email,Bad,sales",
            "x@example.com,X,finance",
            "",
            "y@example.com,Y,",
            "good@example.com,Again,marketing",
            "z@example.com,Z,sales,boss",
            "w@example.com,W,sales,staff,fr",
            "v@example.com,V,sales,staff,en,extra",
            "ok@example.com,,marketing",
        ]
    )
    parsed = parse(text)
    assert [p.email for p in parsed.people] == ["good@example.com", "ok@example.com"]
    reasons = {error.line: error.reason for error in parsed.errors}
    assert sorted(reasons) == [3, 4, 6, 7, 8, 9, 10]
    assert "not a valid email" in reasons[3]
    assert "Unknown department “finance”" in reasons[4]
    assert "A department is needed" in reasons[6]
    assert "appears again (first on line 2)" in reasons[7]
    assert "Unknown role “boss”" in reasons[8]
    assert "Unknown language “fr”" in reasons[9]
    assert "Too many fields" in reasons[10]


def test_a_line_without_an_email_is_reported():
    parsed = parse(",Nobody,sales")
    assert parsed.people == [] and "email address is needed" in parsed.errors[0].reason


def test_a_very_long_name_is_reported():
    parsed = parse(f"a@example.com,{'x' * 201},sales")
    assert "longer than 200" in parsed.errors[0].reason


def test_html_in_a_name_is_kept_as_text_for_the_templates_to_escape():
    parsed = parse("a@example.com,<script>alert(1)</script>,sales")
    assert parsed.people[0].name == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "text,problem",
    [
        ('a@example.com,"An, sales\n', "cannot be read as CSV"),
        ("a@example.com,An\x00,sales", "not a text file"),
        ("a@example.com,,sales\n" * (MAX_LINES + 1), "At most 2,000 lines"),
        ("email,phone\na@example.com,123", "Unknown column “phone”"),
    ],
)
def test_unusable_input_is_rejected_as_a_whole(text, problem):
    with pytest.raises(Rejected, match=problem):
        parse(text)


def test_a_file_must_be_utf8_and_at_most_1_mb():
    assert decode("\ufeffemail\n".encode()) == "email\n"
    with pytest.raises(Rejected, match="not UTF-8"):
        decode("Nguyễn".encode("utf-16"))
    with pytest.raises(Rejected, match="larger than 1 MB"):
        decode(b"x" * 1_000_001)
