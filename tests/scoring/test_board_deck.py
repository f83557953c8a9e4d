"""The board deck: a real .pptx read back with python-pptx, in English and Vietnamese; every
slide names the company, round and publication date; nothing hidden on the pages is in it.
With LibreOffice installed, it is also rendered to PNG (artifacts/screenshots/deck/) to look at."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from pptx import Presentation

from scoring.files import deck
from scoring.models import WorkshopAgreement
from scoring.results.published import published
from scoring.results.reads import agreements_of
from survey.core.statements import STATEMENTS
from tests.factories import close, make_user
from tests.scoring.test_voices_views import answer

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "deck"


@pytest.fixture
def deck_round(company):
    """k = 3 (comments need 5). Sales: a head and 5 staff, all comment on statement 2, only
    4 on statement 3. Marketing: a head and 2 staff: its staff group (and so its totals and
    the comparison) is hidden, and so are its staff's comments."""
    company.name = "Công ty Ánh Dương"
    company.anonymity_threshold = 3
    company.save()
    round_ = company.rounds.create(title="Spring 2026", anonymity_threshold=3)
    answer(round_, "sales", "leader", 3)
    for i in range(5):
        comments = {2: f"shown-two-{i} forecasts arrive late and nobody reads the brief"}
        if i < 4:
            comments[3] = f"hidden-three-{i}"
        answer(round_, "sales", "staff", 3 + (i % 2), comments=comments)
    answer(round_, "marketing", "leader", 4, comments={5: "head-shown-alone"})  # heads: shown
    for i in range(2):
        answer(round_, "marketing", "staff", 2, comments={2: f"hidden-marketing-{i}"})
    close(round_)
    WorkshopAgreement.objects.create(round=round_, statement=2, text="Agreed-visit-together")
    return round_


def slide_texts(content: bytes) -> list[str]:
    presentation = Presentation(io.BytesIO(content))
    return [
        "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in presentation.slides
    ]


def build(round_, language: str) -> bytes:
    with translation.override(language):
        result = published(round_)
        assert result is not None
        return deck.board_deck(round_, result, result.score, agreements_of(round_))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_deck_reads_right_and_hides_what_the_pages_hide(deck_round, language):
    content = build(deck_round, language)
    slides = slide_texts(content)
    assert len(slides) == 1 + 1 + 20 + 1
    everything = "\n".join(slides)
    for text in slides:
        assert "Công ty Ánh Dương" in text and "Spring 2026" in text
    with translation.override(language):
        assert str(STATEMENTS[2]) in everything
        hidden_word = "Hidden" if language == "en" else "Ẩn"
    assert hidden_word in everything
    assert "shown-two-" in everything and "head-shown-alone" in everything
    assert "Agreed-visit-together" in everything
    for secret in ("hidden-three", "hidden-marketing"):
        assert secret not in everything
    if language == "vi":
        assert "Tổng quan" in everything and "Overview" not in everything
    render(content, language)


def render(content: bytes, language: str) -> None:
    """To PDF with LibreOffice, then PNG pages with pdftoppm, when both are installed."""
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    source = SHOTS / f"deck-{language}.pptx"
    source.write_bytes(content)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(SHOTS), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", str(SHOTS / f"deck-{language}.pdf"), str(SHOTS / language)],
        check=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_the_download_is_a_pptx_for_members(client, deck_round, company):
    client.force_login(make_user("boss@acme.test", company, role="owner"))
    response = client.get(f"/rounds/{deck_round.pk}/board-deck.pptx")
    assert response.status_code == 200
    assert response["Content-Type"] == deck.PPTX
    assert "board-deck.pptx" in response["Content-Disposition"]
    assert "Overview" in "\n".join(slide_texts(response.content))
    downloads = client.get(f"/rounds/{deck_round.pk}/downloads/").content.decode()
    assert f"/rounds/{deck_round.pk}/board-deck.pptx" in downloads


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_round_where_both_departments_show_has_the_combined_level_and_gaps(company, language):
    round_ = company.rounds.create(title="Autumn", anonymity_threshold=3)
    for department, rating in (("sales", 4), ("marketing", 2)):
        answer(round_, department, "leader", rating)
        for i in range(3):
            answer(round_, department, "staff", rating + (i % 2))
    close(round_)
    content = build(round_, language)
    everything = "\n".join(slide_texts(content))
    with translation.override(language):
        combined = "Combined level" if language == "en" else "Mức chung"
        assert combined in everything
        assert "Hidden" not in everything and "Ẩn:" not in everything
    render(content, f"{language}-full")
