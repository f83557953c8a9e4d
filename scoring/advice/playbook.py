"""The source's playbook, "How to move", as code, and the improvements within a type.

Each action names the statements (1..20) it works on, so a round's results can say which
actions matter most for this company. The statement links are the product's suggestion,
not the source's.

Each action cites, in a comment, the passage of the Vietnamese source
(seeds/000_8b059730abf76132.txt) it renders, by its section heading and a short quote.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scoring.core.rounding import compared
from scoring.core.scores import MAX_RATING, RelationshipType, RoundScore


@dataclass(frozen=True, kw_only=True)
class Step:
    """One named part of an action: a rule, a funnel stage, a group of measures."""

    title: Promise
    text: Promise


@dataclass(frozen=True, kw_only=True)
class PlaybookAction:
    key: str
    start: RelationshipType  # the move from this type to the next one
    title: Promise
    explanation: Promise
    statements: tuple[int, ...]
    steps_title: Promise | None = None
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Improvement:
    """An action that improves the relationship without changing its type."""

    key: str
    within: RelationshipType
    title: Promise
    explanation: Promise
    statements: tuple[int, ...]


# "Chuyển từ gắn kết sang hợp nhất": "Xác định các bước trong phễu Marketing và bán hàng".
# Marketing owns the first steps ("xây dựng ý tưởng thương hiệu và lựa chọn thương hiệu của
# khách hàng, tạo ra một kế hoạch marketing và tạo ra sự dẫn đầu về bán hàng"), then, in the
# companies that embed marketing in the sales funnel, a deliverable at each sales stage.
FUNNEL_STAGES: tuple[Step, ...] = (
    Step(
        title=_("Awareness and preference"),
        text=_("Make the brand known to the customers the company wants, and preferred by them."),
    ),
    Step(
        title=_("Marketing plan and leads"),
        text=_("A marketing plan and the sales leads it brings in, for sales to follow up."),
    ),
    # "trong Thời gian khảo sát và sát hạch, bộ phận Marketing giúp đỡ bộ phận bán hàng tạo ra
    # các tiêu chuẩn chung đối với các đầu mối và cơ hội"
    Step(
        title=_("Prospecting and qualifying"),
        text=_("Criteria, agreed with sales, for what counts as a lead and what counts as an "
               "opportunity."),
    ),
    # "Trong giai đoạn xác định nhu cầu, ... triển khai các đề xuất có giá trị"
    Step(
        title=_("Needs assessment"),
        text=_("A value proposition for the customer's needs, worked out with sales."),
    ),
    # "Trong giai đoạn phát triển – giải pháp, bộ phận Marketing cung cấp giải pháp phụ được
    # chuẩn bị các mẫu và hướng dẫn tùy theo nhu cầu khách hàng ... mà không cần liên tục đổi mới"
    Step(
        title=_("Solution development"),
        text=_("Solution kits: templates and guides for common customer needs, so salespeople "
               "can put a solution together without starting from scratch each time."),
    ),
    # "Khi khách hàng đang tiến gần đến một quyết định bộ phận Marketing [cung cấp] tài liệu
    # nghiên cứu tình huống, những câu chuyện thành công và vào trang web"
    Step(
        title=_("Decision"),
        text=_("Case studies, success stories and web pages that answer the customer's "
               "concerns as the decision comes near."),
    ),
    # "Trong khi đàm phán hợp đồng, bộ phận Marketing tư vấn cho bộ phận bán hàng về kế hoạch
    # và giá cả"
    Step(
        title=_("Negotiation"),
        text=_("Advice to sales on planning and pricing while the contract is negotiated."),
    ),
)  # fmt: skip

# "Hợp nhất các số liệu của hoạt động bán hàng và hoạt động Marketing".
METRICS_BY_ROLE: tuple[Step, ...] = (
    # "phần trăm hạn ngạch đạt được, số lượng khách hàng mới, số lượng kết thúc đơn hàng, lợi
    # nhuận gộp trung bình mỗi khách hàng và chi tiêu bán hàng trên tổng doanh thu"
    Step(
        title=_("Sales"),
        text=_("Share of quota attained, new customers, deals closed, average gross profit per "
               "customer, and sales expense as a share of revenue."),
    ),
    # "Khi các nhân viên Marketing trong nhóm hạ lưu được gắn kết trong quá trình bán hàng. Ví
    # dụ như các thành viên của đội [khách hàng] quan trọng – [thật] hợp lý [khi] đánh giá và
    # thưởng ... sử dụng các số liệu bán hàng"
    Step(
        title=_("Downstream marketing"),
        text=_("Marketers who work inside the sales process, for example on key-account teams, "
               "can be judged and rewarded on the same sales measures."),
    ),
    # "tính chính xác về dự báo sản phẩm của họ hay các phân khúc thị trường mới mà họ đã tìm
    # ra"; "các số liệu ... nhất thiết phải mềm hơn và có tính phán xét hơn"; "cần phải được
    # đánh giá theo những gì họ cung cấp trong một thời gian dài"
    Step(
        title=_("Upstream marketing"),
        text=_("Softer measures that call for judgement and look further ahead, such as how "
               "accurate their product forecasts proved or which new market segments they "
               "found. Brand managers, market researchers, advertising and promotion managers, "
               "segment and product managers each need measures of their own."),
    ),
    # "các công ty như General Electric có chỉ số – mục tiêu bán hàng mà cả bộ phận bán hàng
    # và bộ phận Marketing đều cam kết"
    Step(
        title=_("Shared"),
        text=_("A sales target that both departments commit to, as General Electric sets."),
    ),
)  # fmt: skip

# "Marketing sẽ được đưa vào Top 10 những đánh giá quan trọng" and the two rules before it,
# under "Khuyến khích các thông tin liên lạc có kỷ luật".
MEETING_RULES: tuple[Step, ...] = (
    # "tham gia vào quản lý thương hiệu bất cứ khi nào có cơ hội bán hàng trên 2 triệu đô-la"
    Step(
        title=_("Big opportunities"),
        text=_("Brand management joins any sales opportunity above a set size (the source's "
               "example: two million dollars)."),
    ),
    # "Chúng tôi sẽ không [ký duyệt] bất kỳ tài [liệu] Marketing nào cho đến khi nhân viên bán
    # hàng đã xem xét nó"
    Step(
        title=_("Marketing material"),
        text=_("No marketing material is signed off until salespeople have reviewed it."),
    ),
    # "Marketing sẽ được đưa vào Top 10 những đánh giá quan trọng" (top-ten account reviews)
    Step(
        title=_("Top accounts"),
        text=_("Marketing takes part in the reviews of the ten most important accounts."),
    ),
)  # fmt: skip

# "Chuyển từ gắn kết sang hợp nhất": "hợp nhất các hoạt động đơn giản như lập kế hoạch, thiết
# lập mục tiêu, đánh giá khách hàng và phát triển đề xuất có giá trị. Tuy nhiên, sẽ khó khăn
# hơn để hợp nhất các quy trình và hệ thống ... Khó khăn nhất trong tất cả là thay đổi văn hóa".
INTEGRATION_ORDER: tuple[Step, ...] = (
    Step(
        title=_("First, simple joint activities"),
        text=_("Plan, set targets, assess customers and develop value propositions together."),
    ),
    # "quy trình, số liệu và hệ thống khen thưởng phản hồi chung ... các cơ sở dữ liệu chung,
    # cũng như các cơ chế để cải tiến liên tục"
    Step(
        title=_("Then, processes and systems"),
        text=_("Harder: replace each side's own processes, measures and reward systems with "
               "common ones, share one customer database, and set up ways to keep improving."),
    ),
    # "các công ty luôn nhấn mạnh trách nhiệm chung và lập kế hoạch có kỷ luật ... các số liệu
    # ... gắn phản hồi kết quả và được quản lý thông qua các hệ thống và quy trình"
    Step(
        title=_("Last, culture"),
        text=_("Hardest of all: change the culture to support integration. The best examples "
               "the authors found stress shared responsibility and disciplined planning, steer "
               "by measures tied to results, and run through systems and processes."),
    ),
)  # fmt: skip

ACTIONS: tuple[PlaybookAction, ...] = (
    # "Chuyển từ chưa xác định sang xác định": "các nhà quản lý cấp cao cần can thiệp nếu xung
    # đột phát sinh thường xuyên ... cạnh tranh do các nguồn lực đầu tư khan hiếm và do vai trò
    # của mỗi bộ phận đã không được xác định rõ ràng"
    PlaybookAction(
        key="step_in_on_conflict",
        start=RelationshipType.UNDEFINED,
        title=_("Senior managers step in when conflict recurs"),
        explanation=_("When the same quarrels keep coming back, the people above both heads "
                      "step in rather than leaving the two sides to fight it out. They look for "
                      "the cause, which is often scarce resources or roles nobody has defined, "
                      "and settle it."),
        statements=(2, 10, 8),
    ),
    # same section: "tạo ra các quy tắc rõ ràng về sự tham gia bao gồm cả giai đoạn bàn giao
    # đối với những nhiệm vụ quan trọng như theo dõi các điểm bán hàng [đầu mối]"
    PlaybookAction(
        key="rules_of_engagement",
        start=RelationshipType.UNDEFINED,
        title=_("Set clear rules of engagement and hand-offs"),
        explanation=_("Write down who does what, and how key tasks pass from one side to the "
                      "other, such as following up the leads marketing generates. Clear "
                      "hand-offs stop work from being done twice or dropped between the two "
                      "departments."),
        statements=(1, 6, 7),
    ),
    # "Khuyến khích các thông tin liên lạc có kỷ luật": "Nhiều thông tin liên lạc rất tốn kém
    # ... Tổ chức các cuộc họp định kỳ ... ít nhất là hằng quý, hai tháng một lần hoặc hằng
    # tháng ... những cơ hội lớn cũng như bất kỳ vấn đề nào cũng đều nằm trong kế hoạch"; the
    # three example rules are MEETING_RULES.
    PlaybookAction(
        key="disciplined_communication",
        start=RelationshipType.DEFINED,
        title=_("Hold regular joint meetings with rules for who talks to whom"),
        explanation=_("More communication is not the goal: it costs time and slows decisions. "
                      "Meet monthly, every two months or at least quarterly, with the big "
                      "opportunities and problems on the agenda and the talk aimed at settling "
                      "them, and agree rules for when each side must involve the other."),
        statements=(5, 7, 8, 10, 13),
        steps_title=_("Three rules of the kind the source gives:"),
        steps=MEETING_RULES,
    ),
    # "Chỉ định một người liên lạc từ bộ phận Marketing ... một người mà cả hai nhóm đều tin
    # tưởng ... giúp giải quyết những xung đột và chia sẻ ... những kiến thức ngầm ... Điều
    # quan trọng là không phải quản lý vi mô các hoạt động liên lạc" (do not micromanage the
    # liaison's work); "Đây là một người sống cùng với bộ phận bán hàng"
    PlaybookAction(
        key="marketing_liaison",
        start=RelationshipType.DEFINED,
        title=_("Appoint a marketing liaison who works with the sales team"),
        explanation=_("Choose one marketer whom both sides trust to live with the sales team: "
                      "to sit in on sales meetings, customer visits and account strategy, bring "
                      "back what the market needs, help settle conflicts and pass on what each "
                      "side knows but rarely writes down. Give the liaison room: do not "
                      "micromanage their work."),
        statements=(3, 6, 13),
    ),
    # "Tạo ra sự đánh giá chung xoay quanh công việc" (the original's "create joint
    # assignments; rotate jobs"): marketers on sales calls, developing alternatives for
    # customers, key-account planning; salespeople in marketing plans, product-planning
    # reviews, previews of campaigns; "một cuốn sách [playbook] ... với Top 10 ... ở mỗi phân
    # khúc thị trường"; "cùng nhau lập kế hoạch về các sự kiện và hội nghị"
    PlaybookAction(
        key="joint_assignments",
        start=RelationshipType.DEFINED,
        title=_("Give people joint assignments"),
        explanation=_("Send marketers, brand managers and researchers above all, on sales "
                      "calls; let them help develop options for customers during the sale and "
                      "sit in on key-account planning. Bring salespeople into marketing plans "
                      "and product-planning reviews, let them preview advertising and promotion "
                      "campaigns, and ask what they know of how customers buy. Together, build a "
                      "playbook for growing the top ten accounts of each segment, and plan "
                      "events and conferences side by side."),
        statements=(3, 4, 9, 13, 19),
    ),
    # The second half of the heading "Tạo ra sự đánh giá chung xoay quanh công việc" ("rotate
    # jobs" in the original); the Vietnamese body keeps only joint assignments. Statement 18
    # ("Có sự trao đổi đáng kể giữa nhân viên") is the survey's measure of it.
    PlaybookAction(
        key="rotate_jobs",
        start=RelationshipType.DEFINED,
        title=_("Rotate people between sales and marketing"),
        explanation=_("Let some marketers spend a spell in sales, and some salespeople a spell "
                      "in marketing, so that each side learns first-hand how the other works. "
                      "The original article gives this advice together with joint "
                      "assignments."),
        statements=(18, 7, 16),
    ),
    # "Các nhân viên Marketing và nhân viên bán hàng được sắp xếp cùng một chỗ": "khi con người
    # ở gần nhau, họ sẽ tương tác với nhau thường xuyên hơn ... các nhóm của bộ phận bán hàng
    # vẫn còn bị phân tán theo địa lý. Các nhóm này cần phải làm việc chăm chỉ hơn"
    PlaybookAction(
        key="co_location",
        start=RelationshipType.DEFINED,
        title=_("Seat marketers and salespeople together"),
        explanation=_("People who sit near each other talk more and work better together. "
                      "Where the sales force is spread out, plan deliberate ways for the two "
                      "sides to meet and share work."),
        statements=(7, 16, 18),
    ),
    # "Cải thiện phản hồi về lực lượng bán hàng": summaries from the sales managers each month
    # or quarter, "các biểu mẫu thông tin ngắn gọn hơn", reviews of call reports and CRM data,
    # interviews with salespeople
    PlaybookAction(
        key="sales_feedback",
        start=RelationshipType.DEFINED,
        title=_("Make it easy for sales to give feedback"),
        explanation=_("Salespeople have little time to share what they learn from customers. "
                      "Ask the sales managers for a short monthly or quarterly summary, use "
                      "brief forms, review call reports and CRM data, or interview a few "
                      "salespeople instead."),
        statements=(6, 9, 15),
    ),
    # "Bổ nhiệm giám đốc khách hàng (CRO)": "CRO cần kiểm soát các lực lượng tác động đến doanh
    # thu – cụ thể là Marketing, bán hàng, dịch vụ và giá cả"
    PlaybookAction(
        key="revenue_officer",
        start=RelationshipType.ALIGNED,
        title=_("Put one executive in charge of revenue"),
        explanation=_("Both departments exist to bring in revenue, so a chief revenue or "
                      "customer officer can lead marketing, sales, service and pricing together "
                      "and answer for the revenue plan as a whole."),
        statements=(17, 11, 20),
    ),
    # "Xác định các bước trong phễu Marketing và bán hàng": the hand-off is simple but "bộ phận
    # bán hàng có thể nói rằng kế hoạch quá yếu, bộ phận Marketing có thể nói rằng nhân viên
    # bán hàng làm việc chưa đủ chăm chỉ" and marketers "mất liên lạc với các khách hàng";
    # "Nhân viên bán hàng nên làm việc cùng với nhân viên marketing và R&D vì họ quyết định
    # cách phân khúc thị trường"; the stages are FUNNEL_STAGES.
    PlaybookAction(
        key="shared_funnel",
        start=RelationshipType.ALIGNED,
        title=_("Define one funnel shared by marketing and sales"),
        explanation=_("A clean hand-off from marketing to sales is simple, but when results "
                      "disappoint each side blames the other, and marketers lose touch with "
                      "active customers. Agree the steps from first interest to signed "
                      "contract and what marketing delivers at each. Sales, in turn, works with "
                      "marketing and R&D on which segments to serve, which products to offer "
                      "each, and how to position them."),
        statements=(14, 15, 13, 9),
        steps_title=_("What marketing delivers at each stage:"),
        steps=FUNNEL_STAGES,
    ),
    # "Chia nhỏ bộ phận Marketing thành hai nhóm": "các nhóm thượng lưu chiến lược và hạ lưu
    # chiến thuật. Nhân viên Marketing ở nhóm hạ lưu triển khai chiến dịch quảng cáo và khuyến
    # mại, tài liệu phụ, hồ sơ [tình huống] và các công cụ bán hàng ... sử dụng nghiên cứu thị
    # trường và phản hồi từ các đại diện bán hàng để giúp bán sản phẩm hiện có trong phân khúc
    # thị trường mới, tạo ra các thông điệp mới và thiết kế các công cụ bán hàng tốt hơn"
    PlaybookAction(
        key="split_marketing",
        start=RelationshipType.ALIGNED,
        title=_("Split marketing into upstream and downstream teams"),
        explanation=_("A strategic, upstream team looks ahead at markets and products. A "
                      "tactical, downstream team runs advertising and promotion campaigns, "
                      "collateral, case histories and sales tools, helps salespeople find and "
                      "qualify leads, and uses market research and sales feedback to sell "
                      "existing products in new segments, craft new messages and design better "
                      "sales tools. Each can then be judged on the work it actually does."),
        statements=(8, 11, 5),
    ),
    # "Thiết lập hệ thống khen thưởng và tiêu chí doanh thu chung": "không thể thành công nếu
    # bộ phận bán hàng và bộ phận Marketing không chia sẻ trách nhiệm về mục tiêu doanh thu ...
    # nhân viên bán hàng phấn đấu vì tiền hoa hồng còn nhân viên Marketing thì không ... xem xét
    # lại các chính sách thưởng phạt tổng thể"
    PlaybookAction(
        key="shared_targets",
        start=RelationshipType.ALIGNED,
        title=_("Share revenue targets and rewards"),
        explanation=_("Integration fails unless sales and marketing answer for the same revenue "
                      "targets. Shared rewards are the hard part: salespeople have worked for "
                      "commission and marketers have not, so review how both sides are paid and "
                      "rewarded so that neither wins while the other loses."),
        statements=(16, 12, 2),
    ),
    # "Hợp nhất các số liệu của hoạt động bán hàng và hoạt động Marketing"; the roles are
    # METRICS_BY_ROLE.
    PlaybookAction(
        key="integrated_metrics",
        start=RelationshipType.ALIGNED,
        title=_("Use integrated measures for both departments"),
        explanation=_("Integration needs measures both sides share, yet each role must also be "
                      "judged on the work it does: sales turns today's demand into sales, while "
                      "upstream marketing plants seeds for the future, so its results show "
                      "later."),
        statements=(12, 1, 15),
        steps_title=_("Measures by role:"),
        steps=METRICS_BY_ROLE,
    ),
)  # fmt: skip

ACTIONS_BY_KEY: dict[str, PlaybookAction] = {a.key: a for a in ACTIONS}

# The closing passage: "Không phải mỗi công ty đều sẽ muốn hoặc phải nâng cấp ... Nhưng mỗi
# công ty đều có thể và nên cải tiến mối quan hệ giữa bộ phận bán hàng và bộ phận Marketing."
# These improve the relationship within a type, for a company that stays where it is.
IMPROVEMENTS: tuple[Improvement, ...] = (
    # "Chưa xác định": "Bộ phận này không biết bộ phận kia sẽ làm gì – cho đến khi xung đột xảy
    # ra"; IBM: "những thông cáo về sản phẩm mới ... được đưa ra đúng thời điểm bộ phận bán hàng
    # chưa sẵn sàng"
    Improvement(
        key="share_what_each_does",
        within=RelationshipType.UNDEFINED,
        title=_("Tell each other what you are working on"),
        explanation=_("In this type neither side knows what the other is doing until a "
                      "conflict breaks out. A short, regular word between the two heads about "
                      "plans, launches and campaigns heads off surprises, such as a launch "
                      "sales is not ready for, without adding rules or structure."),
        statements=(7, 10, 4),
    ),
    # "Những vai trò khác nhau của bộ phận Marketing": in small firms marketers size the market,
    # choose channels, learn what moves customers, "phát triển ... những [tài liệu] giúp đội
    # ngũ bán hàng tiếp cận với khách hàng và chốt hợp đồng" and find leads; "Bộ phận bán hàng
    # và bộ phận marketing đều nhìn nhận nhau như một điều kiện không thể thiếu"
    Improvement(
        key="support_that_sells",
        within=RelationshipType.UNDEFINED,
        title=_("Make marketing's support what salespeople need"),
        explanation=_("Where marketing mainly supports sales, its value lies in sizing the "
                      "market, choosing channels, learning what moves customers, finding leads "
                      "and producing material that helps salespeople reach customers and close. "
                      "Ask the salespeople which of it they use, and drop what they do not."),
        statements=(5, 6),
    ),
    # "các nhà quản lý cấp cao cần can thiệp nếu xung đột phát sinh thường xuyên"; "sự rối loạn
    # chức năng ở một vài cấp độ sẽ tồn tại, kể cả khi lãnh đạo ... thân thiết với nhau"
    Improvement(
        key="settle_friction_early",
        within=RelationshipType.UNDEFINED,
        title=_("Settle friction early, person to person"),
        explanation=_("Some friction exists even where the two heads get on well. Settle it "
                      "the day it appears, before it becomes a quarrel between departments. If "
                      "the same quarrel keeps coming back, that is a reason to move."),
        statements=(2, 10),
    ),
    # "Chuyển từ chưa xác định sang xác định": rules of engagement and hand-offs "như theo dõi
    # các điểm bán hàng [đầu mối]"; table, Defined, move if: "Ngay cả khi cẩn trọng trong việc
    # phân tách về vai trò thì cũng có sự nỗ lực trùng lặp"
    Improvement(
        key="check_hand_offs",
        within=RelationshipType.DEFINED,
        title=_("Check that the hand-offs work"),
        explanation=_("Follow a few recent leads from marketing to sales and see where they "
                      "were followed up, handled twice or dropped. Mend the rules of engagement "
                      "where they leak. If work still falls through the cracks despite clear "
                      "roles, that is a reason to move."),
        statements=(1, 6, 14),
    ),
    # "Tại sao họ không thể hòa thuận với nhau": "phân chia tổng ngân sách"; price: Marketing
    # "lên danh sách giá", "bộ phận bán hàng thiết lập giá giao dịch cuối cùng"; promotion:
    # "lực lượng bán hàng luôn xem những khoản tiền lớn chi cho việc quảng cáo ... là một sự
    # phung phí"
    Improvement(
        key="talk_money_through",
        within=RelationshipType.DEFINED,
        title=_("Talk price and promotion through before they turn into quarrels"),
        explanation=_("Much of the friction is about money: how the budget is split, list "
                      "prices against the discounts sales wants, and promotion spending that "
                      "salespeople see as waste. Put these on the agenda of the regular "
                      "meetings, with figures, before each decision rather than after it."),
        statements=(2, 10, 5),
    ),
    # "Nếu công ty không sắp xếp ưu đãi cẩn thận, hai bộ phận này sẽ bất đồng từ những điều đơn
    # giản nhất ... Nhân viên bán hàng sẽ tập trung vào những sản phẩm có lợi nhuận thấp hơn
    # nhưng đáp ứng được những mục tiêu hạn ngạch"; closing: "bảo đảm những hệ thống khen
    # thưởng có được áp dụng công bằng"
    Improvement(
        key="rewards_pull_together",
        within=RelationshipType.DEFINED,
        title=_("Check that rewards do not pull the two sides apart"),
        explanation=_("If salespeople are paid to reach quota with whatever sells most easily "
                      "while marketing wants the products with better margins and prospects, "
                      "the two sides will disagree over the simplest things. Look at what each "
                      "side is rewarded for and remove the conflicts."),
        statements=(12, 16),
    ),
    # "Khuyến khích các thông tin liên lạc có kỷ luật": "Nhiều thông tin liên lạc rất tốn kém.
    # Nó tốn thời gian và kéo dài việc ra quyết định"
    Improvement(
        key="keep_meetings_disciplined",
        within=RelationshipType.ALIGNED,
        title=_("Keep joint meetings disciplined"),
        explanation=_("As the two sides work together more, communication grows, and it costs "
                      "time and slows decisions. Keep joint meetings regular and short, with "
                      "the big opportunities and problems on the agenda and each one ending in "
                      "a decision."),
        statements=(10, 8),
    ),
    # "Hợp nhất các số liệu ...": "các công ty như General Electric có chỉ số – mục tiêu bán
    # hàng mà cả bộ phận bán hàng và bộ phận Marketing đều cam kết"
    Improvement(
        key="commit_to_one_target",
        within=RelationshipType.ALIGNED,
        title=_("Agree a sales target both sides commit to"),
        explanation=_("Even while the two departments report separately, they can agree one "
                      "sales target both commit to and judge each side's part in reaching it."),
        statements=(12, 1),
    ),
    # Closing: "biến những hiểu biết sâu sắc của nhân viên bán hàng về các khách hàng của mình
    # thành nòng cốt", "phối hợp nhuần nhuyễn ... kỹ năng xây dựng mối quan hệ cùng kỹ năng
    # phân tích"; marketers "khả năng phân tích cao, định hướng dữ liệu"
    Improvement(
        key="blend_skills",
        within=RelationshipType.ALIGNED,
        title=_("Blend relationship skills with analysis"),
        explanation=_("Marketers bring analysis and data, salespeople their relationships and "
                      "what customers tell them. Pair them on customer insight, so that what "
                      "salespeople know about customers becomes part of how the company "
                      "decides."),
        statements=(9, 15, 16),
    ),
    # "Các nhà quản lý cấp cao cần thiết lập các đánh giá khác nhau đối với các quản lý thương
    # hiệu, nhà nghiên cứu thị trường, ... quản lý sản phẩm"
    Improvement(
        key="measures_by_role",
        within=RelationshipType.INTEGRATED,
        title=_("Fit the measures to each marketing role"),
        explanation=_("Shared targets are not enough on their own. Brand managers, market "
                      "researchers, advertising and promotion managers, segment and product "
                      "managers each need measures that fit their work, softer and longer-term "
                      "for the upstream roles."),
        statements=(12, 15),
    ),
    # Closing: "xem xét chặt chẽ cách khen thưởng cho các bộ phận và bảo đảm những hệ thống
    # khen thưởng có được áp dụng công bằng qua các nhiệm vụ"
    Improvement(
        key="fair_rewards",
        within=RelationshipType.INTEGRATED,
        title=_("Keep rewards fair across tasks"),
        explanation=_("Look closely at how each department is rewarded, and make sure the "
                      "reward systems treat the different tasks fairly."),
        statements=(16, 12),
    ),
    # "Các nhóm cần triển khai các cơ sở dữ liệu chung, cũng như các cơ chế để cải tiến liên
    # tục"; "các nhóm hợp nhất sẽ tiếp tục vật lộn với những khó khăn, nhưng chắc chắn không
    # phải là những vấn đề không thể vượt qua"
    Improvement(
        key="keep_improving",
        within=RelationshipType.INTEGRATED,
        title=_("Keep improving the shared processes and data"),
        explanation=_("Integrated teams keep meeting hard problems, such as weighing today's "
                      "results against tomorrow's. Keep the shared customer data current and "
                      "the ways of improving the common processes in use."),
        statements=(14, 15),
    ),
)  # fmt: skip


def actions_from(start: RelationshipType) -> tuple[PlaybookAction, ...]:
    """The actions of the move from `start` to the next type, in the source's order."""
    return tuple(a for a in ACTIONS if a.start == start)


def integration_order(start: RelationshipType) -> tuple[Step, ...]:
    """The order the source gives for integrating; only the move to Integrated has one."""
    return INTEGRATION_ORDER if start == RelationshipType.ALIGNED else ()


def improvements_within(kind: RelationshipType) -> tuple[Improvement, ...]:
    """What improves the relationship without changing its type, in the order above."""
    return tuple(i for i in IMPROVEMENTS if i.within == kind)


def statement_needs(result: RoundScore) -> dict[int, float]:
    """How much each statement needs work, in rating points, when the round shows its gaps.

    need = |sales mean - marketing mean| + (5 - mean of the two department means): a wide
    perception gap and a low shared rating both raise it. Empty when the gaps are withheld.
    """
    return {
        g.statement: abs(g.gap) + MAX_RATING - (g.sales_mean + g.marketing_mean) / 2
        for g in result.statement_gaps
    }


def ranked(
    actions: tuple[PlaybookAction, ...], needs: dict[int, float]
) -> tuple[PlaybookAction, ...]:
    """Actions whose neediest statement needs most come first; otherwise the source's order."""
    if not needs:
        return actions

    def priority(action: PlaybookAction) -> float:
        return -compared(max(needs.get(s, 0.0) for s in action.statements))

    return tuple(sorted(actions, key=priority))  # sorted is stable: ties keep source order
