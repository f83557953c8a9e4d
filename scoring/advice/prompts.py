"""Discussion prompts for a workshop of both departments, one to three per statement.

Each prompt ties a statement to what the source says drives the two departments apart:
the symptoms of the "war" (blame, each side undervaluing the other), its economic causes
(how the budget is split, prices and discounts, promotion spending, product features) and
its cultural causes (analytical, office-based marketers; relationship-driven salespeople
in the field, living for the close). The prompts are ours; `source` names, for a
reviewer, the passage of the Vietnamese source (seeds/000_8b059730abf76132.txt) each one
comes from: its section, and a short quote. Pure data and one lookup; no database.
"""

import enum
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Cause(enum.Enum):
    SYMPTOM = "symptom"  # the conflict itself, as the opening of the article describes it
    BUDGET = "budget"  # economic: how the total budget is split, and what it says
    PRICE = "price"  # economic: list prices against the discounts sales wants
    PROMOTION = "promotion"  # economic: advertising and promotion spending
    PRODUCT = "product"  # economic: which features the products have
    CULTURE = "culture"  # cultural: two kinds of people, two ways of working and judging


CAUSE_NAMES: dict[Cause, Promise] = {
    Cause.SYMPTOM: pgettext_lazy("cause of conflict", "A symptom of the conflict"),
    Cause.BUDGET: pgettext_lazy("cause of conflict", "Economic: the budget"),
    Cause.PRICE: pgettext_lazy("cause of conflict", "Economic: prices and discounts"),
    Cause.PROMOTION: pgettext_lazy("cause of conflict", "Economic: promotion spending"),
    Cause.PRODUCT: pgettext_lazy("cause of conflict", "Economic: product features"),
    Cause.CULTURE: pgettext_lazy("cause of conflict", "Cultural: two ways of working"),
}

# The passages cited below, by the source's own section headings.
OPENING = "Mở bài"  # the opening, before the first heading
WHY = "Tại sao họ không thể hòa thuận với nhau"
ROLES = "Những vai trò khác nhau của bộ phận Marketing"
FUNNEL = "Xác định các bước trong phễu Marketing và bán hàng"


@dataclass(frozen=True, kw_only=True)
class Prompt:
    statement: int
    cause: Cause
    text: Promise
    source: str  # for reviewers, never shown: section and a short quote


def _p(statement: int, cause: Cause, text: Promise, source: str) -> Prompt:
    return Prompt(statement=statement, cause=cause, text=text, source=source)


PROMPTS: tuple[Prompt, ...] = (
    _p(1, Cause.SYMPTOM,
       _("The last time sales came in below forecast, what did each department say caused "
         "it? Would the other side agree?"),
       f'{OPENING}: "khi doanh số không được như kỳ vọng, bộ phận Marketing đổ lỗi cho bộ '
       f'phận bán hàng ... bộ phận bán hàng trách đội Marketing đã để giá sản phẩm quá cao"'),
    _p(1, Cause.CULTURE,
       _("A salesperson's results show almost at once; a marketing programme takes longer to "
         "pay off. Which of this quarter's orders can marketing trace to its own work, and "
         "which of its programmes will only show later?"),
       f'{WHY}: "Thật dễ để thấy ai đó có thành công hay không – gần như ngay lập tức. Nhưng '
       f'ngân sách cho bộ phận Marketing được sử dụng cho các chương trình"'),
    _p(2, Cause.SYMPTOM,
       _("Think of the last disappointing result. What did marketing say about sales, and "
         "sales about marketing? Which part of each was fair?"),
       f'{OPENING}: "bộ phận Marketing đổ lỗi cho bộ phận bán hàng đã triển khai không tốt '
       f'một kế hoạch xuất sắc"'),
    _p(2, Cause.SYMPTOM,
       _("Each side tends to undervalue what the other contributes. Name one thing the other "
         "department did this year that made your work easier."),
       f'{OPENING}: "bộ phận này thường đánh giá thấp sự đóng góp của bộ phận kia"'),
    _p(3, Cause.SYMPTOM,
       _("Salespeople often feel marketing does not know what really goes on with customers. "
         "When did a marketer last join a customer meeting, and what did they learn there "
         "that no report shows?"),
       f'{OPENING}: "bộ phận bán hàng thường cho rằng bộ phận marketing không hiểu được những '
       f'gì đang thực sự diễn ra với khách hàng"'),
    _p(3, Cause.CULTURE,
       _("Marketers mostly work at a desk, salespeople out with customers. What would it take "
         "for each marketer to spend a day a month in the field?"),
       f'{WHY}: "nó luôn xảy ra sau bàn giấy chứ không phải ở ngoài thị trường. Đối với nhân '
       f'viên bán hàng họ sử dụng thời gian để tiếp xúc với những khách hàng"'),
    _p(4, Cause.SYMPTOM,
       _("When a plan misses, marketing tends to blame how sales carried it out, and sales "
         "blames the plan. If salespeople had helped write the last plan, would that argument "
         "still happen?"),
       f'{FUNNEL}: "bộ phận bán hàng có thể nói rằng kế hoạch quá yếu, bộ phận Marketing có thể '
       f'nói rằng nhân viên bán hàng làm việc chưa đủ chăm chỉ"'),
    _p(4, Cause.CULTURE,
       _("Salespeople know which product features customers would change, add or drop. At "
         "which point in drafting the plan would that knowledge help most?"),
       f'{WHY}: "biết phải điều hòa tính năng nào của sản phẩm, tính năng nào nên phát triển và '
       f'tính năng nào nên loại bỏ"'),
    _p(5, Cause.PROMOTION,
       _("Salespeople often see big advertising budgets as money that could have paid for "
         "more salespeople. Which of marketing's spending do they value, and which not?"),
       f'{WHY}: "lực lượng bán hàng luôn xem những khoản tiền lớn chi cho việc quảng cáo – đặc '
       f'biệt là quảng cáo trên tivi là một sự phung phí tiền bạc"'),
    _p(5, Cause.SYMPTOM,
       _("Which piece of marketing material did salespeople use with a customer last month, "
         "and which did they never open?"),
       f'{OPENING} (IBM): "bộ phận bán hàng rõ ràng không thể nhận thấy được giá trị những cố '
       f'gắng của bộ phận Marketing"'),
    _p(6, Cause.CULTURE,
       _("Salespeople have quotas and little time, and they live to close deals. What does "
         "answering marketing's questions cost them, and how could it take minutes instead "
         "of hours?"),
       'Cải thiện phản hồi về lực lượng bán hàng: "rất ít nhân viên bán hàng có ý định dành '
       'thời gian quý báu ... họ có những hạn ngạch"'),
    _p(6, Cause.SYMPTOM,
       _("Marketers often complain that salespeople are too busy to share what they learn. "
         "The last time sales did share something, what did marketing do with it?"),
       'Cải thiện phản hồi về lực lượng bán hàng: "Nhân viên Marketing thường phàn nàn rằng '
       'nhân viên bán hàng quá bận rộn đến nỗi không thể chia sẻ kinh nghiệm"'),
    _p(7, Cause.CULTURE,
       _("Marketers are trained to be analytical and data-driven; salespeople build "
         "relationships. Take three words both sides use, such as lead, opportunity and key "
         "account: does each side mean the same by them?"),
       f'{WHY}: "Họ có khả năng phân tích cao, định hướng dữ liệu"; {FUNNEL}: "tạo ra các tiêu '
       f'chuẩn chung đối với các đầu mối và cơ hội"'),
    _p(8, Cause.SYMPTOM,
       _("Salespeople often want marketing to look after the future and leave today's "
         "customers to them. Do the two heads agree where that line runs?"),
       f'{ROLES}: "nhân viên bán hàng mong muốn rằng nhân viên Marketing lo về những cơ hội '
       f'trong tương lai ... và để những cơ hội hiện tại ... cho họ"'),
    _p(8, Cause.CULTURE,
       _("Marketing may find sales too close to single customers to see the wider market. "
         "When did the two heads last talk about next year's market rather than this month's "
         "deals?"),
       f'{OPENING}: "lực lượng bán hàng quá thiển cận – quá tập trung vào những cảm nhận của '
       f'từng khách hàng riêng lẻ, không nhận thức được thị trường lớn"'),
    _p(9, Cause.CULTURE,
       _("Sales sees how individual customers buy; marketing sees the segment as a whole. "
         "Where do the two pictures disagree, and what would settle it?"),
       f'{OPENING}: "quá tập trung vào những cảm nhận của từng khách hàng riêng lẻ"; "Họ nên '
       f'chia sẻ những hiểu biết sâu sắc của mình về thói quen mua hàng của khách hàng"'),
    _p(10, Cause.SYMPTOM,
       _("In your last joint meeting, how much time went to a dispute and how much to a "
         "decision? Which dispute keeps coming back?"),
       'Chưa xác định: "Cuộc họp giữa hai bên chỉ mang tính tình thế ... dành để giải quyết '
       'xung đột chứ không phải để hợp tác tích cực"'),
    _p(10, Cause.PRICE,
       _("When a customer needs a specially low price, who decides? Does marketing hear of it "
         "before or after the head of sales has gone to finance?"),
       f'{WHY}: "Khi cần tới mức giá thấp đặc biệt, bộ phận Marketing luôn nói rằng họ không có '
       f'đầu vào. Phó tổng giám đốc phụ trách kinh doanh đến gặp trực tiếp giám đốc tài chính"'),
    _p(11, Cause.PRODUCT,
       _("Salespeople hear individual customers ask for features, style and quality; marketing "
         "weighs what will appeal to the wider market. When future products are planned, how "
         "are the two lists weighed, and who decides?"),
       f'{WHY}: "bộ phận bán hàng thường phàn nàn rằng nó thiếu chức năng, phong cách hay chất '
       f'lượng mà khách hàng mong muốn"'),
    _p(11, Cause.CULTURE,
       _("Marketers want to build tomorrow's advantage; salespeople live for this quarter's "
         "close. What would each head need from the other to plan products years ahead?"),
       f'{WHY}: "Họ luôn muốn xây dựng sự cạnh tranh trong tương lai"; "Họ sống để ký kết hợp '
       f'đồng"'),
    _p(12, Cause.CULTURE,
       _("Which products does each side's pay push it to sell? Salespeople may favour "
         "lower-margin products that meet quota, while marketing wants the higher-margin ones "
         "with a future."),
       f'{WHY}: "Nhân viên bán hàng sẽ tập trung vào những sản phẩm có lợi nhuận thấp hơn nhưng '
       f'đáp ứng được những mục tiêu hạn ngạch"'),
    _p(12, Cause.BUDGET,
       _("Sales' part in revenue is easy to measure and marketing's is not, so budgets tend to "
         "favour sales. How would you measure marketing's part in this year's revenue?"),
       f'{WHY}: "Sự đóng góp của bộ phận bán hàng đối với doanh thu dễ dàng đánh giá hơn nhiều '
       f'so với cống hiến của bộ phận Marketing"'),
    _p(13, Cause.SYMPTOM,
       _("Salespeople often feel marketing does not know their customers. Which of your ten "
         "most important accounts has marketing helped plan for this year, and what could it "
         "add?"),
       f'{OPENING}: "không hiểu được những gì đang thực sự diễn ra với khách hàng"; "Marketing '
       f'sẽ được đưa vào Top 10 những đánh giá quan trọng"'),
    _p(13, Cause.PRICE,
       _("Marketing sets list prices; sales settles the final price of each deal. For your "
         "key accounts, who should decide the discount, and on what evidence?"),
       f'{WHY}: "bộ phận Marketing chịu trách nhiệm ... lên danh sách giá ... bộ phận bán hàng '
       f'thiết lập giá giao dịch cuối cùng"'),
    _p(14, Cause.SYMPTOM,
       _("Where does a lead pass from marketing to sales, and what happens to it if nobody "
         "picks it up?"),
       f'{FUNNEL}: "Nhưng sự chuyển giao này đem lại sự bất lợi nghiêm trọng"; bảng: "nhiệm vụ '
       f'đang rơi qua các khe hở"'),
    _p(14, Cause.SYMPTOM,
       _("When marketing last announced something new, was sales ready to use it on the day "
         "it went out?"),
       f'{OPENING} (IBM): "những thông cáo về sản phẩm mới của bộ phận Marketing thường được '
       f'đưa ra đúng thời điểm bộ phận bán hàng chưa sẵn sàng"'),
    _p(14, Cause.SYMPTOM,
       _("A poor relationship lengthens sales cycles and raises the cost of selling. Where in "
         "your funnel do deals wait longest for the other department?"),
       f'{OPENING}: "Sự phối hợp kém giữa hai bộ phận chỉ làm tăng thêm chi phí gia nhập thị '
       f'trường, kéo dài vòng đời bán sản phẩm và tăng chi phí bán hàng"'),
    _p(15, Cause.CULTURE,
       _("Marketers are trained to analyse data; salespeople keep the pipeline. What would "
         "sales like marketing to find in the pipeline data, and what would marketing need "
         "from sales to find it?"),
       f'{WHY}: "Họ có khả năng phân tích cao, định hướng dữ liệu"; {FUNNEL}: "Thật không may, '
       f'bộ phận Marketing thường không đóng vai trò gì trong các quy trình này"'),
    _p(15, Cause.PROMOTION,
       _("Can marketing show which of its spending led to orders? What data from the sales "
         "funnel would it need to do so?"),
       f'{OPENING} (IBM): "thất bại trong việc tạo mối liên kết giữa chi phí quảng cáo đã bỏ ra '
       f'với những đơn hàng thực tế"'),
    _p(16, Cause.SYMPTOM,
       _("The article likens sales and marketing in many companies to two feuding families. "
         "What would have to change for both sides to feel they win or lose together?"),
       f'{OPENING}: "bộ phận bán hàng và marketing có “mối thâm thù” như Capulets và '
       f'Montagues"'),
    _p(16, Cause.CULTURE,
       _("Salespeople earn commission and marketers usually do not. If revenue falls short "
         "next quarter, who loses pay, and who takes the blame?"),
       'Thiết lập hệ thống khen thưởng và tiêu chí doanh thu chung: "nhân viên bán hàng phấn '
       'đấu vì tiền hoa hồng còn nhân viên Marketing thì không"'),
    _p(17, Cause.PRICE,
       _("When the two sides disagree on a price or a budget, who settles it, and does each "
         "side find the way it is settled fair?"),
       f'{WHY}: "Phó tổng giám đốc phụ trách kinh doanh đến gặp trực tiếp giám đốc tài chính – '
       f'điều này khiến bộ phận Marketing không hài lòng"'),
    _p(17, Cause.BUDGET,
       _("The budget split shows which department carries more weight, and chief executives "
         "tend to favour sales. What does your split say, and does each side accept it?"),
       f'{WHY}: "Ngân sách cho cả hai bộ phận này cũng phản ánh bộ phận nào có sức ảnh hưởng lớn '
       f'hơn trong công ty ... CEO có xu hướng ưu tiên bộ phận bán hàng"'),
    _p(18, Cause.CULTURE,
       _("The two departments attract different people: analytical, project-minded marketers "
         "and relationship-building salespeople who shrug off rejection. Who here has worked "
         "on the other side, and what surprised them?"),
       f'{WHY}: "tập trung vào dự án"; "Dù thường xuyên bị từ chối nhưng họ chẳng bao giờ chán '
       f'nản"'),
    _p(18, Cause.CULTURE,
       _("Which strength of the other side, a marketer's analysis or a salesperson's "
         "persistence, would your own team most like to borrow?"),
       'Kết luận: "phối hợp nhuần nhuyễn và chắc chắn kỹ năng xây dựng mối quan hệ cùng kỹ '
       'năng phân tích"'),
    _p(19, Cause.CULTURE,
       _("Marketers have usually had more formal training than salespeople. What could each "
         "side teach the other in a single session?"),
       f'{WHY}: "nhân viên Marketing vẫn luôn nhận được nhiều sự đào tạo chính thức hơn nhân '
       f'viên bán hàng"'),
    _p(20, Cause.BUDGET,
       _("A chief executive once asked the authors why he should put more into marketing when "
         "hiring salespeople brought more revenue. If yours asked, could the head of sales "
         "answer for marketing?"),
       f'{WHY}: "Tại sao tôi phải đầu tư nhiều hơn vào bộ phận Marketing khi tôi có được doanh '
       f'thu tốt hơn từ việc thuê thêm nhiều nhân viên bán hàng?"'),
    _p(20, Cause.PROMOTION,
       _("Heads of sales often think promotion money would do more on the sales force. When "
         "each side presents its plan to top management, does the other help make its case, "
         "or argue against it?"),
       f'{WHY}: "tốt hơn hết khoản tiền này nên sử dụng vào việc tăng số lượng và chất lượng '
       f'đội ngũ bán hàng"'),
)  # fmt: skip

PROMPTS_BY_STATEMENT: dict[int, tuple[Prompt, ...]] = {
    n: tuple(p for p in PROMPTS if p.statement == n) for n in sorted({p.statement for p in PROMPTS})
}


def prompts_for(statement: int) -> tuple[Prompt, ...]:
    """The prompts for statement `statement` (1..20), in order; KeyError for any other number."""
    return PROMPTS_BY_STATEMENT[statement]
