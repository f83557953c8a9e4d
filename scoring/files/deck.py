"""The board deck: a closed round's overview and the workshop's statements as a PowerPoint
file (python-pptx), in the reader's language.

It reads what the workshop shows (scoring.pages.workshop: the published figures, with the
pages' hiding and rounding, and the comments as published), so nothing hidden on a page can
reach a slide. Charts are native shapes (bars drawn as rectangles): they stay sharp and
editable. Every slide names the company and the round and says when the results were
published. Text boxes are sized for Vietnamese, which runs about a third longer than
English, and shrink their text when it still overflows.
"""

import io
from collections.abc import Mapping, Sequence
from typing import cast

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as Deck
from pptx.shapes.base import BaseShape
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from scoring.core.scores import MAX_SCORE, RoundScore
from scoring.models import WorkshopAgreement
from scoring.pages.workshop import DepartmentRatings, Opening, StatementSlide, workshop_context
from scoring.results.published import Published
from survey.models import Round

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
INK = RGBColor(0x21, 0x25, 0x29)  # type: ignore[no-untyped-call]
MUTED = RGBColor(0x5C, 0x63, 0x6A)  # type: ignore[no-untyped-call]
COLOURS = {
    "sales": RGBColor(0x0B, 0x5E, 0xD7),  # type: ignore[no-untyped-call]
    "marketing": RGBColor(0xB0, 0x3A, 0x2E),  # type: ignore[no-untyped-call]
}
TRACK = RGBColor(0xE9, 0xEC, 0xEF)  # type: ignore[no-untyped-call]
COMMENTS_SHOWN = 4  # per statement slide: the deck is a summary, the page has them all
COMMENT_LENGTH = 160
PROMPTS_SHOWN = 2  # the workshop's questions for the room, the first ones


def text_box(
    slide: Slide,
    left: int,
    top: int,
    width: int,
    height: int,
    lines: Sequence[str],
    size: int = 18,
    bold: bool = False,
    colour: RGBColor = INK,
    align: PP_ALIGN = PP_ALIGN.LEFT,
) -> None:
    """A wrapping text box, one paragraph per line, that shrinks its text on overflow."""
    frame = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height)).text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for index, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(size // 3)
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = colour


def footer(slide: Slide, about: str) -> None:
    text_box(
        slide,
        MARGIN,
        HEIGHT - Inches(0.55),
        WIDTH - 2 * MARGIN,
        Inches(0.4),
        [about],
        11,
        colour=MUTED,
    )


def new_slide(deck: Deck, title: str, about: str) -> Slide:
    slide: Slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    text_box(slide, MARGIN, Inches(0.35), WIDTH - 2 * MARGIN, Inches(1.1), [title], 26, bold=True)
    footer(slide, about)
    return slide


def plain(shape: BaseShape) -> None:
    """No theme style (LibreOffice draws its shadow even when the effects are cleared)."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def bar(
    slide: Slide, left: int, top: int, width: int, height: int, share: float, colour: RGBColor
) -> None:
    """A horizontal bar: a grey track, filled to `share` (0..1)."""
    track = slide.shapes.add_shape(
        MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height)
    )
    track.fill.solid()
    track.fill.fore_color.rgb = TRACK
    track.line.fill.background()
    plain(track)
    if share > 0:
        filled = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(max(1, int(width * share))), Emu(height)
        )
        filled.fill.solid()
        filled.fill.fore_color.rgb = colour
        filled.line.fill.background()
        plain(filled)


def title_slide(deck: Deck, survey_round: Round, published_on: str, about: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    text_box(
        slide,
        MARGIN,
        Inches(2.0),
        WIDTH - 2 * MARGIN,
        Inches(1.4),
        [_("Sales and marketing alignment")],
        40,
        bold=True,
    )
    text_box(
        slide,
        MARGIN,
        Inches(3.5),
        WIDTH - 2 * MARGIN,
        Inches(1.6),
        [
            survey_round.company.name,
            survey_round.title,
            _("Results published on %(date)s") % {"date": published_on},
        ],
        22,
        colour=MUTED,
    )
    footer(slide, about)


def overview_slide(deck: Deck, opening: Opening, score: RoundScore, about: str) -> None:
    """The combined level, each department's level as a bar (or why it is hidden), the gap."""
    slide = new_slide(deck, _("Overview"), about)
    top: int = Inches(1.6)
    if opening.combined is not None:
        text_box(
            slide,
            MARGIN,
            top,
            WIDTH - 2 * MARGIN,
            Inches(0.9),
            [
                _("Combined level: %(score)s of %(max)s · %(type)s")
                % {"score": opening.combined, "max": MAX_SCORE, "type": opening.combined_type}
            ],
            24,
            bold=True,
        )
    top += Inches(1.1)
    label_width, bar_width = Inches(3.6), Inches(6.2)
    for level in opening.departments:
        value = score.department(level.key).total.score
        if level.score is None or value is None:
            words = _("%(department)s: hidden (fewer than %(k)s staff answered)") % {
                "department": level.name,
                "k": score.threshold,
            }
            text_box(slide, MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.7), [words], 18, colour=MUTED)
        else:
            text_box(
                slide,
                MARGIN,
                top,
                label_width,
                Inches(0.8),
                [level.name, level.type_name or ""],
                18,
                bold=True,
            )
            bar(
                slide,
                MARGIN + label_width,
                top + Inches(0.1),
                bar_width,
                Inches(0.45),
                value / MAX_SCORE,
                COLOURS[level.key],
            )
            text_box(
                slide,
                MARGIN + label_width + bar_width + Inches(0.2),
                top,
                Inches(2.4),
                Inches(0.7),
                [level.score],
                22,
                bold=True,
            )
        top += Inches(1.05)
    text_box(slide, MARGIN, top + Inches(0.2), WIDTH - 2 * MARGIN, Inches(1.5), [opening.gap], 18)


def ratings_chart(
    slide: Slide, left: int, top: int, width: int, ratings: DepartmentRatings, k: object
) -> None:
    """The department's name and mean, then one bar per rating 1..5 with its count."""
    if not ratings.counts:
        text_box(
            slide,
            left,
            top,
            width,
            Inches(0.9),
            [ratings.name, _("Hidden: fewer than %(k)s staff answered.") % {"k": k}],
            14,
            colour=MUTED,
        )
        return
    text_box(
        slide,
        left,
        top,
        width,
        Inches(0.45),
        [_("%(department)s · mean %(mean)s") % {"department": ratings.name, "mean": ratings.mean}],
        15,
        bold=True,
    )
    row = Inches(0.3)
    for index, count in enumerate(ratings.counts):
        y = top + Inches(0.5) + index * row
        text_box(
            slide, left, y - Inches(0.05), Inches(0.4), row, [str(count.rating)], 11, colour=MUTED
        )
        bar(
            slide,
            left + Inches(0.4),
            y,
            width - Inches(1.2),
            Inches(0.2),
            count.percent / 100,
            COLOURS[ratings.key],
        )
        text_box(
            slide,
            left + width - Inches(0.75),
            y - Inches(0.05),
            Inches(0.75),
            row,
            [str(count.count)],
            11,
            colour=MUTED,
        )


def statement_slide(deck: Deck, statement: StatementSlide, k: object, about: str) -> None:
    slide = new_slide(deck, _("Statement %(number)s") % {"number": statement.number}, about)
    text_box(slide, MARGIN, Inches(1.25), WIDTH - 2 * MARGIN, Inches(0.9), [statement.text], 18)
    column = Inches(3.9)
    for index, ratings in enumerate(statement.departments):
        ratings_chart(
            slide, MARGIN + index * (column + Inches(0.2)), Inches(2.3), column, ratings, k
        )
    right = MARGIN + 2 * (column + Inches(0.2)) + Inches(0.1)
    side = WIDTH - MARGIN - right
    notes: list[str] = []
    if statement.gap:
        notes.append(statement.gap)
    notes += [f"{cause}: {prompt}" for cause, prompt in statement.prompts[:PROMPTS_SHOWN]]
    if statement.agreement:
        notes.append(_("Agreed: %(text)s") % {"text": statement.agreement[:300]})
    # The right column runs down to the footer; the comments sit under the two charts.
    text_box(slide, right, Inches(2.3), side, Inches(4.5), notes, 13)
    comments = [
        f"{group['label']}: “{shorten(text)}”"
        for group in statement.comments
        for text in group["comments"]
    ][:COMMENTS_SHOWN]
    if comments:
        text_box(
            slide,
            MARGIN,
            Inches(4.45),
            right - MARGIN - Inches(0.2),
            Inches(2.4),
            [_("What people wrote"), *comments],
            12,
        )


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= COMMENT_LENGTH else text[: COMMENT_LENGTH - 1] + "…"


def closing_slide(deck: Deck, agreed: Sequence[WorkshopAgreement], about: str) -> None:
    slide = new_slide(deck, _("What the workshop agreed"), about)
    lines = [f"{a.statement}. {shorten(a.text)}" for a in agreed] or [_("Nothing agreed yet.")]
    text_box(slide, MARGIN, Inches(1.5), WIDTH - 2 * MARGIN, Inches(5.2), lines, 18)


def board_deck(
    survey_round: Round,
    result: Published,
    score: RoundScore,
    agreements: Mapping[int, WorkshopAgreement],
) -> bytes:
    """The deck as .pptx bytes: a title slide, the overview, a slide per statement in order
    of gap (as the workshop), and what was agreed."""
    context = workshop_context(result, score, agreements)
    published_on = date_format(result.published_at, "DATE_FORMAT")
    about = _("%(company)s · %(round)s · published %(date)s") % {
        "company": survey_round.company.name,
        "round": survey_round.title,
        "date": published_on,
    }
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    deck.core_properties.title = f"{survey_round.company.name} · {survey_round.title}"
    title_slide(deck, survey_round, published_on, about)
    overview_slide(deck, cast(Opening, context["opening"]), score, about)
    statements = cast(list[tuple[StatementSlide, object]], context["statements"])
    for statement, _nav in statements:
        statement_slide(deck, statement, score.threshold, about)
    closing_slide(deck, cast(list[WorkshopAgreement], context["agreed"]), about)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
