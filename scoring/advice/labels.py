"""What each relationship type is called and what it looks like, in the reader's language."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scoring.core.scores import RelationshipType

TYPE_NAMES: dict[RelationshipType, Promise] = {
    RelationshipType.UNDEFINED: pgettext_lazy("relationship type", "Undefined"),
    RelationshipType.DEFINED: pgettext_lazy("relationship type", "Defined"),
    RelationshipType.ALIGNED: pgettext_lazy("relationship type", "Aligned"),
    RelationshipType.INTEGRATED: pgettext_lazy("relationship type", "Integrated"),
}

TYPE_DESCRIPTIONS: dict[RelationshipType, Promise] = {
    RelationshipType.UNDEFINED: _(
        "Sales and marketing grow on their own, each busy with its own tasks. Neither knows "
        "what the other is doing until a conflict breaks out, and meetings go to settling "
        "conflicts rather than working together."
    ),
    RelationshipType.DEFINED: _(
        "Clear processes and rules of engagement keep the peace: each side knows who does "
        "what, such as how leads are handed over. There is some common language and "
        "cooperation on big events, but each side still works to its own plans and measures."
    ),
    RelationshipType.ALIGNED: _(
        "Boundaries are clear but flexible. The two sides plan and train together, sales takes "
        "part in marketing decisions, marketing helps shape key-account strategy, and both "
        "speak a common language."
    ),
    RelationshipType.INTEGRATED: _(
        "Boundaries blur. Structures, systems and rewards are shared; marketing turns to "
        "strategic, forward-looking work and knows key-account management; the two sides use "
        "common metrics, budgets are flexible and less contested, and people rise or fall "
        "together."
    ),
}

# The Vietnamese source describes only the Undefined and Integrated types ("Nếu mối quan
# hệ là chưa xác định ..." and "Khi bộ phận bán hàng và bộ phận Marketing được hợp nhất hoàn
# toàn ..."); the Defined and Aligned descriptions above summarise the original article.
_FROM_ORIGINAL = _(
    "This description summarises the original English article by Kotler, Rackham and "
    "Krishnaswamy; the Vietnamese rendering this product follows does not describe this type."
)

TYPE_DESCRIPTION_NOTES: dict[RelationshipType, Promise] = {
    RelationshipType.DEFINED: _FROM_ORIGINAL,
    RelationshipType.ALIGNED: _FROM_ORIGINAL,
}
