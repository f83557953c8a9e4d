"""The 20 statements of the assessment, numbered 1..20 for good.

They live in code, not in the database: exports, charts and translations key on the
number, and nobody should be able to reword a statement between two rounds.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

STATEMENTS: dict[int, Promise] = {
    1: _("Our sales results usually come close to the sales forecast."),
    2: _("When things go wrong or results disappoint, neither side blames the other."),
    3: _("Marketing people often meet customers during the sales process."),
    4: _("Marketing asks sales to take part in drafting the marketing plan."),
    5: _(
        "Our salespeople find the material and support that marketing supplies "
        "a valuable tool for selling more."
    ),
    6: _("The sales force willingly gives marketing the feedback it asks for."),
    7: _("Sales and marketing share a common language."),
    8: _(
        "The heads of sales and marketing regularly talk through upstream matters: "
        "new ideas, sensing the market, product strategy."
    ),
    9: _("Sales and marketing work closely together to define how customer segments buy."),
    10: _(
        "When sales and marketing meet, little time goes to settling disputes or handling crises."
    ),
    11: _(
        "The heads of sales and marketing plan the business together for products "
        "and services that are still years from launch."
    ),
    12: _("We discuss and use common measures to judge the success of sales and of marketing."),
    13: _(
        "Marketing takes an active part in defining and carrying out the sales strategy "
        "for individual key accounts."
    ),
    14: _(
        "Sales and marketing run their work on jointly built funnels, processes or pipelines "
        "that span the whole chain, from sensing the market to serving the customer."
    ),
    15: _(
        "Marketing contributes substantially to analysing sales-funnel data and uses it "
        "to make the funnel more predictable and effective."
    ),
    16: _('Sales and marketing share a strong "we rise or fall together" culture.'),
    17: _(
        "Sales and marketing report to one chief revenue or customer officer, "
        "or an equivalent executive."
    ),
    18: _("People move between sales and marketing a good deal."),
    19: _(
        "Sales and marketing jointly build and run training, events and learning for their staff."
    ),
    20: _(
        "Sales and marketing take an active part in preparing and presenting "
        "each other's plans to top management."
    ),
}

# The rating scale, 1..5. Each label names the number so a screen reader says both.
SCALE: tuple[tuple[int, Promise], ...] = (
    (1, pgettext_lazy("rating", "Strongly disagree")),
    (2, pgettext_lazy("rating", "Disagree")),
    (3, pgettext_lazy("rating", "Neutral")),
    (4, pgettext_lazy("rating", "Agree")),
    (5, pgettext_lazy("rating", "Strongly agree")),
)
