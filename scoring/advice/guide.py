"""The source's decision guide, "Do we need to move?", as code, and the rules that answer it.

For each relationship type the source gives a table: when a company should stay where it
is, and when it should tighten the relationship into the next type. The conditions are
fixed text with stable keys (stored decisions refer to the keys), never editable rows.

The source gives a table, not a formula, so the rules never count ticks across the two
lists (they are of unequal length): they put the reasons to stay and to move side by side
and say whether they point one way, or contradict each other and need talking through.

Each condition cites the passage of the Vietnamese source (seeds/000_8b059730abf76132.txt)
it renders: "bảng" is the table under "Chúng ta có cần phải gắn kết hơn không?" and
"Thắt chặt mối quan hệ giữa bán hàng và Marketing nếu"; the prose is the section that
moves from the type in question.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from scoring.advice.labels import TYPE_NAMES
from scoring.core.scores import MARKETING, SALES, RelationshipType

STAY = "stay"
MOVE = "move"


@dataclass(frozen=True, kw_only=True)
class Condition:
    key: str
    kind: str  # STAY or MOVE
    text: Promise


def _stay(key: str, text: Promise) -> Condition:
    return Condition(key=key, kind=STAY, text=text)


def _move(key: str, text: Promise) -> Condition:
    return Condition(key=key, kind=MOVE, text=text)


CONDITIONS: dict[RelationshipType, tuple[Condition, ...]] = {
    RelationshipType.UNDEFINED: (
        # bảng, Chưa xác định: "Công ty nhỏ"; prose: "Nếu đơn vị kinh doanh hoặc công ty nhỏ"
        _stay("small_company", _("The company, or this business unit, is small.")),
        # bảng: "Công ty có những mối quan hệ thân thiết"; prose: "các nhân viên bán hàng và
        # nhân viên Marketing có thể có những mối quan hệ thân thiết mà không phải băn khoăn".
        # Friendly, informal ties, not close working (which is what the later types build).
        # The old key "close_relationships" said "already work closely together": a new
        # meaning, so a new key; decisions that ticked the old one drop it on read.
        _stay(
            "friendly_informal_ties",
            _("Salespeople and marketers get on well: things are sorted out informally, "
              "person to person."),
        ),
        # bảng: "Bộ phận Marketing vẫn là một chức năng hỗ trợ bán hàng"
        _stay("marketing_supports_sales", _("Marketing is still mainly a support team for sales.")),
        # bảng, thắt chặt nếu: "Xung đột là điều hiển nhiên giữa hai bộ phận"
        _move("open_conflict", _("Conflict between the two departments is plain to see.")),
        # bảng: "Có sự nỗ lực trùng lặp giữa các hoạt động hoặc nhiệm vụ đang trải qua các khe hở"
        _move(
            "duplicated_effort",
            _("Work is done twice, or tasks fall through the cracks between the two departments."),
        ),
        # bảng: "Các hoạt động cạnh tranh vì các nguồn tài nguyên hoặc tài trợ"
        _move("compete_for_resources", _("The two departments compete for resources or budget.")),
    ),
    RelationshipType.DEFINED: (
        # bảng, Xác định: "Dịch vụ và sản phẩm của công ty chưa đa dạng"
        _stay("simple_offer", _("Our products and services are not very varied or complex.")),
        # bảng: "Vai trò của bộ phận bán hàng và bộ phận Marketing truyền thống hoạt động
        # trong thị trường"
        _stay("traditional_roles_work", _("Traditional sales and marketing roles work in our market.")),
        # bảng: "Không có lý do nào rõ ràng và thuyết phục để thay đổi"
        _stay("no_reason_to_change", _("There is no compelling reason to change.")),
        # bảng, thắt chặt nếu: "Ngay cả khi cẩn trọng trong việc phân tách về vai trò thì cũng
        # có sự nỗ lực trùng lặp ... hoặc nhiệm vụ đang rơi qua các khe hở"
        _move(
            "duplicated_despite_roles",
            _("Despite clear roles, work is still done twice or tasks fall through the cracks."),
        ),
        # bảng: "Thị trường đang được thông dụng hóa và tạo ra một đội ngũ bán hàng truyền
        # thống tốn kém"; prose: "nếu thị trường đang trở nên thông dụng hóa"
        _move(
            "commoditising_market",
            _("Our market is turning into a commodity market and a traditional sales force is "
              "getting expensive."),
        ),
        # bảng: "Các sản phẩm được triển khai, nguyên bản hoặc làm theo yêu cầu của khách hàng
        # trong suốt quá trình bán hàng"
        _move(
            "customised_during_sale",
            _("Products are configured or customised for each customer during the sale."),
        ),
        # bảng: "Chu kỳ tuổi thọ của sản phẩm được rút ngắn và doanh thu [vòng quay] công nghệ
        # đang tăng"
        _move(
            "short_life_cycles",
            _("Product life cycles are getting shorter and technology changes quickly."),
        ),
    ),
    RelationshipType.ALIGNED: (
        # bảng, Gắn kết: "Công ty thiếu một sự trao đổi về trách nhiệm chung"; prose:
        # "công ty không có sự trao đổi mạnh mẽ về trách nhiệm chung"
        _stay("no_shared_accountability", _("The company has no culture of shared accountability.")),
        # bảng: "Báo cáo bán hàng và báo cáo Marketing độc lập"
        _stay("separate_reporting", _("Sales and marketing report to different executives.")),
        # bảng: "Chu trình bán hàng khá ngắn"; prose: "chu kỳ bán hàng thường ngắn, quá trình
        # bán hàng khá đơn giản"
        _stay("short_sales_cycle", _("Our sales cycle is fairly short and simple.")),
        # bảng, thắt chặt nếu: "Một quy trình chung hoặc chuỗi kinh doanh có thể được tạo ra
        # để quản lý và tính toán các hoạt động tạo ra doanh thu"
        _move(
            "common_revenue_process",
            _("We could build one common process, from market to customer, to manage and measure "
              "everything that brings in revenue."),
        ),
        # prose, "Chuyển từ gắn kết sang hợp nhất": "Trong những tình huống thay đổi phức tạp
        # hoặc nhanh chóng, có nhiều lý do chính đáng để chuyển ... thành mối quan hệ hợp nhất"
        _move(
            "complex_or_fast_changing",
            _("Our selling is complex, or our market changes quickly."),
        ),
        # "accountability_possible" is gone: it was the negation of the stay condition
        # "no_shared_accountability" counted a second time, and the source does not list it.
    ),
    RelationshipType.INTEGRATED: (),
}  # fmt: skip

NEXT_TYPE: dict[RelationshipType, RelationshipType | None] = {
    RelationshipType.UNDEFINED: RelationshipType.DEFINED,
    RelationshipType.DEFINED: RelationshipType.ALIGNED,
    RelationshipType.ALIGNED: RelationshipType.INTEGRATED,
    RelationshipType.INTEGRATED: None,
}


class Recommendation(enum.Enum):
    """The guide's answer. The values are what scoring.models.MoveDecision stores."""

    NONE = "none"  # nothing ticked yet
    STAY = "stay"  # reasons to stay hold, none to move
    TIGHTEN = "tighten"  # reasons to move hold, none to stay
    # Reasons both ways hold: talk them through. Stored as "revisit", the value the
    # model's choices already have (and the ten characters its column allows).
    CONTRADICTORY = "revisit"


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """The answer and the reasons behind it: the conditions that hold, each way."""

    recommendation: Recommendation
    stay: tuple[Condition, ...]
    move: tuple[Condition, ...]


def conditions(current: RelationshipType, kind: str) -> tuple[Condition, ...]:
    return tuple(c for c in CONDITIONS[current] if c.kind == kind)


def ticked_conditions(current: RelationshipType, ticked: Iterable[str]) -> list[Condition]:
    """The current type's conditions whose keys are in `ticked`, in the source's order.

    Unknown keys (another type's, or a condition since withdrawn) are dropped.
    """
    keys = set(ticked)
    return [c for c in CONDITIONS[current] if c.key in keys]


def verdict(current: RelationshipType, ticked: Iterable[str]) -> Verdict:
    """The source's table, read side by side, never counted.

    stay = ticked stay conditions of `current`, move = ticked move conditions.
    move and no stay: tighten; stay and no move: stay; both: contradictory, talk it
    through; neither: no recommendation yet. Unknown keys are ignored, so Integrated
    (no conditions, no next type) always gets "none".
    """
    held = ticked_conditions(current, ticked)
    stay = tuple(c for c in held if c.kind == STAY)
    move = tuple(c for c in held if c.kind == MOVE)
    if stay and move:
        answer = Recommendation.CONTRADICTORY
    elif move:
        answer = Recommendation.TIGHTEN
    elif stay:
        answer = Recommendation.STAY
    else:
        answer = Recommendation.NONE
    return Verdict(recommendation=answer, stay=stay, move=move)


def verdict_sentence(answer: Verdict, current: RelationshipType) -> str:
    """The answer in one sentence, in the reader's language."""
    names = {"type": TYPE_NAMES[current]}
    next_type = NEXT_TYPE[current]
    if answer.recommendation is Recommendation.TIGHTEN and next_type is not None:
        return gettext("Tighten the relationship: work towards %(type)s.") % {
            "type": TYPE_NAMES[next_type]
        }
    if answer.recommendation is Recommendation.STAY:
        return (
            gettext(
                "Stay %(type)s: reasons to stay hold and no reason to move does. Work on the "
                "relationship within this type."
            )
            % names
        )
    if answer.recommendation is Recommendation.CONTRADICTORY:
        return gettext(
            "The reasons contradict each other: some reasons to stay and some reasons to move "
            "both hold. Talk them through together before you decide."
        )
    return gettext("No recommendation yet: tick the conditions that hold for your company.")


@dataclass(frozen=True, kw_only=True)
class ConditionRow:
    """One condition as the two heads answered it."""

    condition: Condition
    sales: bool  # the head of sales says it holds
    marketing: bool  # the head of marketing says it holds

    @property
    def agreed(self) -> bool:
        return self.sales == self.marketing


@dataclass(frozen=True, kw_only=True)
class TwoKeyVerdict:
    """Both heads' answers for the same type, condition by condition.

    `combined` is the verdict on the conditions both heads say hold; `disagreements` are
    the conditions only one of them ticked, flagged to talk through, never counted.
    """

    current: RelationshipType
    rows: tuple[ConditionRow, ...]
    sales: Verdict
    marketing: Verdict
    combined: Verdict
    disagreements: tuple[Condition, ...]

    @property
    def settled(self) -> bool:
        """True when the heads agree on every condition."""
        return not self.disagreements


def two_key_verdict(
    current: RelationshipType, *, sales: Iterable[str], marketing: Iterable[str]
) -> TwoKeyVerdict:
    """Compare the head of sales' ticks with the head of marketing's for `current`.

    A condition is agreed when both tick it or neither does; the combined verdict reads
    only the conditions both tick (the `verdict` rule), and a condition one head ticks
    alone is a disagreement. Unknown keys are dropped on both sides.
    """
    sales_keys = {c.key for c in ticked_conditions(current, sales)}
    marketing_keys = {c.key for c in ticked_conditions(current, marketing)}
    rows = tuple(
        ConditionRow(condition=c, sales=c.key in sales_keys, marketing=c.key in marketing_keys)
        for c in CONDITIONS[current]
    )
    return TwoKeyVerdict(
        current=current,
        rows=rows,
        sales=verdict(current, sales_keys),
        marketing=verdict(current, marketing_keys),
        combined=verdict(current, sales_keys & marketing_keys),
        disagreements=tuple(r.condition for r in rows if not r.agreed),
    )


@dataclass(frozen=True, kw_only=True)
class StartingPoint:
    """A type the guide starts from, the departments that sit in it, and its conditions."""

    relationship_type: RelationshipType
    departments: tuple[str, ...]  # SALES, MARKETING, or both
    conditions: tuple[Condition, ...]


def starting_points(
    sales: RelationshipType | None, marketing: RelationshipType | None
) -> tuple[StartingPoint, ...]:
    """Which condition sets apply when each department's type is known.

    The same band: one starting point, both departments. Different bands: the guide starts
    from each department's type, loosest first. A department whose type is not shown (too
    few answers) adds nothing.
    """
    departments: dict[RelationshipType, list[str]] = {}
    for name, kind in ((SALES, sales), (MARKETING, marketing)):
        if kind is not None:
            departments.setdefault(kind, []).append(name)
    order = list(RelationshipType)
    return tuple(
        StartingPoint(relationship_type=kind, departments=tuple(names), conditions=CONDITIONS[kind])
        for kind, names in sorted(departments.items(), key=lambda item: order.index(item[0]))
    )
