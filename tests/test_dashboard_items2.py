"""Items 1, 2, 9, 12, 13 and 19 of the seed dashboard review (issue 18): the team tab,
client company details, the 2025 deal-type names, the median tool usage gate of the points
programs, grandfathering by the line's first sale, and line numbers in every program
format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import partner_tiers as pt

PARTNER = pt.Partner(pt.PartnerId("p-1"), "Partner", "US", dt.date(2021, 1, 1))
CERT = pt.Certification(
    pt.CertificationId("cert"), "Cert", dt.date(2021, 1, 1), dt.date(2027, 1, 1)
)


# --- item 12: the median tool usage gate --------------------------------------------------


def _book_199_points_median_2() -> pt.Book:
    """169 sourced points (3,380 USD at 5 per 100) and 30 managed points (3,000 USD at 1
    per 100): 199 points under hubspot-2024, every client using 2 tools."""
    sold, managed = pt.ClientId("c-sold"), pt.ClientId("c-managed")
    tools = ("crm", "email")
    return pt.Book(
        PARTNER,
        clients=[
            pt.Client(sold, "Sold", "US", pt.Relationship.SOLD, tools),
            pt.Client(managed, "Managed", "US", pt.Relationship.MANAGED, tools),
        ],
        subscriptions=[
            pt.Subscription(
                pt.SubscriptionId("s-1"),
                managed,
                "service-hub",
                "professional",
                pt.Money("3000", "USD"),
                dt.date(2024, 1, 1),
                dt.date(2026, 1, 1),
            )
        ],
        deals=[
            pt.Deal(
                pt.DealId("d-1"),
                sold,
                "sales-hub",
                pt.DealKind.NEW,
                pt.SalesMotion.SOURCED,
                dt.date(2024, 6, 3),
                pt.Money("3380", "USD"),
            )
        ],
        certifications=[CERT],
        managed_services=[pt.ManagedService(managed, dt.date(2024, 1, 1))],
    )


@pytest.mark.parametrize("name", ["hubspot-2022", "hubspot-2024", "hubspot-2025"])
def test_the_points_programs_carry_no_median_tool_usage_gate(name: str) -> None:
    # domain.md: the median app usage gate is published for the 2016/2018 MRR model only.
    program = pt.load_program(name)
    assert [g.kind for g in program.gates if g.kind == "median_tool_usage"] == []


@pytest.mark.parametrize("name", ["hubspot-2016", "hubspot-2018"])
def test_the_mrr_programs_keep_their_published_median_gate(name: str) -> None:
    program = pt.load_program(name)
    assert [g.kind for g in program.gates].count("median_tool_usage") == 1


def test_199_points_and_a_median_of_2_tools_is_platinum_under_hubspot_2024() -> None:
    book = _book_199_points_median_2()
    status = pt.evaluate(book, pt.load_program("hubspot-2024"), as_of=dt.date(2024, 7, 1))
    assert status.values["total"] == Decimal("199.00")
    assert pt.account_performance(
        book, pt.load_program("hubspot-2024"), as_of=dt.date(2024, 7, 1)
    ).median_tool_usage == Decimal(2)
    assert status.qualified_tier == "platinum"


# --- item 13: grandfathering by the line's first sale -------------------------------------


def _grandfathering_book(*extra: pt.Deal) -> pt.Book:
    """domain.md's worked example of grandfathering (2024-02-27): Oct 2021 Marketing Hub
    Pro 1,000 USD; Mar 2024 sourced cross-sell of Sales Hub Pro 1,000 USD; Apr 2024
    upsell of the Marketing Hub line."""
    client = pt.ClientId("c-1")

    def deal(deal_id: str, line: str, kind: str, day: dt.date) -> pt.Deal:
        return pt.Deal(
            pt.DealId(deal_id),
            client,
            line,
            pt.DealKind(kind),
            pt.SalesMotion.SOURCED,
            day,
            pt.Money("1000", "USD"),
        )

    deals = [
        deal("d-2021", "marketing-hub", "new", dt.date(2021, 10, 1)),
        deal("d-cross", "sales-hub", "cross_sell", dt.date(2024, 3, 1)),
        deal("d-upsell", "marketing-hub", "upsell", dt.date(2024, 4, 1)),
        *extra,
    ]
    return pt.Book(
        PARTNER,
        clients=[pt.Client(client, "Client", "US", pt.Relationship.SOLD)],
        deals=deals,
    )


MISLABELLED = pt.Deal(
    pt.DealId("d-labelled-new"),
    pt.ClientId("c-1"),
    "marketing-hub",
    pt.DealKind.NEW,
    pt.SalesMotion.SOURCED,
    dt.date(2024, 5, 2),
    pt.Money("1000", "USD"),
)


def test_the_worked_example_of_grandfathering() -> None:
    # Source: hubspot.com/partners/how-tiers-work (2024-02-27), domain.md section 2.
    ledger = pt.build_ledger(_grandfathering_book(), pt.load_program("hubspot-2024"))
    points = {batch.origin: batch.points for batch in ledger.batches}
    assert points == {
        "d-2021": Decimal("30.00"),
        "d-cross": Decimal("50.00"),
        "d-upsell": Decimal("30.00"),
    }


def test_a_deal_labelled_new_on_a_line_first_sold_in_2021_earns_3_per_100_usd() -> None:
    book = _grandfathering_book(MISLABELLED)
    ledger = pt.build_ledger(book, pt.load_program("hubspot-2024"))
    (batch,) = [b for b in ledger.batches if b.origin == "d-labelled-new"]
    assert batch.points == Decimal("30.00")
    assert "first sold on 2021-10-01 (labelled new)" in batch.rule


def test_the_points_view_warns_of_the_mislabelled_deal() -> None:
    book = _grandfathering_book(MISLABELLED)
    program = pt.load_program("hubspot-2024")
    view = pt.points_breakdown(book, program, as_of=dt.date(2024, 6, 1))
    assert view.warnings == (
        "deal d-labelled-new: labelled new, but c-1 bought marketing-hub first on "
        "2021-10-01: priced as a sale on that line (an upsell)",
    )
    assert view.to_dict()["warnings"] == list(view.warnings)
    # Before the deal closed, nothing to warn of; a book labelled right has no warning.
    assert pt.points_breakdown(book, program, as_of=dt.date(2024, 5, 1)).warnings == ()
    assert (
        pt.points_breakdown(_grandfathering_book(), program, as_of=dt.date(2024, 6, 1)).warnings
        == ()
    )


def test_an_upsell_that_is_the_first_sale_of_its_line_is_flagged() -> None:
    upsell = pt.Deal(
        pt.DealId("d-first-upsell"),
        pt.ClientId("c-1"),
        "service-hub",
        pt.DealKind.UPSELL,
        pt.SalesMotion.SOURCED,
        dt.date(2024, 5, 2),
        pt.Money("1000", "USD"),
    )
    book = _grandfathering_book(upsell)
    program = pt.load_program("hubspot-2024")
    view = pt.points_breakdown(book, program, as_of=dt.date(2024, 6, 1))
    assert view.warnings == (
        "deal d-first-upsell: labelled upsell, but it is the first sale of service-hub to "
        "c-1: priced as a first sale",
    )
    (batch,) = [b for b in pt.build_ledger(book, program).batches if b.origin == "d-first-upsell"]
    assert batch.points == Decimal("50.00")


# --- item 9: the 2025 deal-type names ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "motion"),
    [
        ("partner collab", pt.SalesMotion.SOURCED),
        ("Partner Collab", pt.SalesMotion.SOURCED),
        ("partner_collab", pt.SalesMotion.SOURCED),
        ("DIFM", pt.SalesMotion.ASSISTED),
        ("difm", pt.SalesMotion.ASSISTED),
    ],
)
def test_a_book_file_may_name_the_motion_by_its_2025_name(
    name: str, motion: pt.SalesMotion
) -> None:
    data = pt.book_to_dict(pt.demo_book())
    data["deals"][0]["motion"] = name
    book = pt.book_from_dict(data)
    assert book.deals[0].motion is motion
    # Written back with the value, which reads back equal.
    assert pt.book_to_dict(book)["deals"][0]["motion"] == motion.value


def test_an_unknown_motion_is_still_refused() -> None:
    data = pt.book_to_dict(pt.demo_book())
    data["deals"][0]["motion"] = "partner"
    with pytest.raises(pt.FileFormatError, match=r"deals\[0\]\.motion"):
        pt.book_from_dict(data)


def test_the_points_breakdown_filters_by_the_2025_names() -> None:
    book, program = pt.demo_book(), pt.load_program("hubspot-2025")
    day = dt.date(2025, 9, 30)
    by_new = pt.points_breakdown(book, program, as_of=day, deal_types=["partner collab", "DIFM"])
    by_old = pt.points_breakdown(book, program, as_of=day, deal_types=["sourced", "assisted"])
    assert by_new.deal_types == ("sourced", "assisted")
    assert by_new.rows == by_old.rows
    assert by_new.total > 0
    assert pt.rolling_mrr(book, program, as_of=day, motion="DIFM") == pt.rolling_mrr(
        book, program, as_of=day, motion="assisted"
    )
    with pytest.raises(pt.InvalidRecordError, match="partner collab or DIFM"):
        pt.points_breakdown(book, program, as_of=day, deal_types=["collab"])


def test_the_points_views_show_the_name_in_force_on_the_date() -> None:
    book, program = pt.demo_book(), pt.load_program("hubspot-2025")
    after = pt.points_breakdown(book, program, as_of=dt.date(2025, 7, 15))
    before = pt.points_breakdown(book, program, as_of=dt.date(2025, 7, 14))
    assert after.deal_type_names == ("partner collab", "DIFM", "managed", "none")
    assert before.deal_type_names == ("sourced", "assisted", "managed", "none")
    sourced = next(b for b in after.batches if b.motion is pt.SalesMotion.SOURCED)
    assert after.name_of(sourced) == "partner collab"
    assert before.name_of(sourced) == "sourced"
    assert pt.deal_type_name("DIFM", dt.date(2024, 1, 1)) == "assisted"
    assert pt.SalesMotion.ASSISTED.name_on(pt.DEAL_TYPES_RENAMED_ON) == "DIFM"


# --- item 1: the HubSpot team tab ----------------------------------------------------------


def test_the_demo_book_has_a_team_and_the_team_view_shows_it() -> None:
    view = pt.team(pt.demo_book())
    assert [(c.role, c.title) for c in view.rows] == [
        ("channel_account_manager", "Channel Account Manager"),
        ("channel_consultant", "Channel Consultant"),
    ]
    assert view.rows[0].mailto == f"mailto:{view.rows[0].email}"
    assert view.rows[0].description
    assert view.to_dict()["rows"][1]["name"] == "Jonas Berg"


def test_the_team_round_trips_through_the_book_format() -> None:
    book = pt.demo_book()
    data = pt.book_to_dict(book)
    assert data["partner"]["team"][0]["role"] == "channel_account_manager"
    assert pt.book_from_dict(data) == book
    # Optional: a partner without a team writes no key.
    del data["partner"]["team"]
    assert "team" not in pt.book_to_dict(pt.book_from_dict(data))["partner"]


@pytest.mark.parametrize(
    ("member", "path"),
    [
        ({"role": "channel_account_manager", "name": "A", "email": "a@b"}, "email"),
        ({"role": "account_manager", "name": "A", "email": "a@b.example"}, "role"),
        ({"role": "channel_consultant", "name": "", "email": "a@b.example"}, "name"),
        ({"role": "channel_consultant", "name": "A"}, "email"),
    ],
)
def test_a_bad_team_member_is_refused_with_its_path(member: dict[str, str], path: str) -> None:
    data = pt.book_to_dict(pt.demo_book())
    data["partner"]["team"] = [member]
    with pytest.raises(pt.FileFormatError, match=rf"partner\.team\[0\]\.{path}"):
        pt.book_from_dict(data)


def _hostile_team_book() -> pt.Book:
    member = pt.TeamMember(
        pt.TeamRole.CHANNEL_CONSULTANT,
        "<script>alert(1)</script>",
        "o'brien+x@vendor.example.com",
        "Says <b>hi</b> & more",
    )
    book = pt.demo_book()
    import attrs

    return attrs.evolve(book, partner=attrs.evolve(book.partner, team=(member,)))


def test_the_report_shows_the_team_with_escaped_mailto_links() -> None:
    page = pt.report_html(
        pt.demo_book(), pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30)
    )
    assert "<section id='team'>" in page
    assert "href='mailto:priya.raman@vendor.example.com'" in page
    assert "Channel Consultant" in page
    hostile = pt.report_html(
        _hostile_team_book(), pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30)
    )
    assert "<script>alert(1)" not in hostile
    assert "<b>hi</b>" not in hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
    assert "href='mailto:o%27brien+x@vendor.example.com'" in hostile


def test_the_cli_dashboard_shows_the_team() -> None:
    from click.testing import CliRunner

    from partner_tiers._cli import cli

    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0
    assert (
        "  Channel Account Manager: Priya Raman  mailto:priya.raman@vendor.example.com"
        in result.output.splitlines()
    )


# --- item 2: client details ----------------------------------------------------------------


def test_client_details_show_company_information_and_links() -> None:
    details = pt.client_details(pt.demo_book(), "c-fabrikam")
    assert details.company == {
        "domain": "fabrikam.example",
        "industry": "Manufacturing",
        "size": "201-500 employees",
        "crm_id": "1001",
    }
    assert details.links == {
        "crm": "https://crm.example.com/companies/1001",
        "account": "https://app.example.com/portal/c-fabrikam",
    }
    # Adatum has no CRM id: no "open in CRM" link, but the account link.
    assert pt.client_details(pt.demo_book(), "c-adatum").links == {
        "account": "https://app.example.com/portal/c-adatum"
    }
    assert "href='https://crm.example.com/companies/1001'" in details._repr_html_()


def test_company_fields_and_links_round_trip_and_are_optional() -> None:
    book = pt.demo_book()
    data = pt.book_to_dict(book)
    assert data["clients"][0]["crm_id"] == "1001"
    assert "crm_id" not in data["clients"][2]
    assert data["partner"]["links"]["crm"] == "https://crm.example.com/companies/{crm_id}"
    assert pt.book_from_dict(data) == book
    assert pt.loads_book(pt.dumps_book(book)) == book


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: d["clients"][0].update(domain="https://fabrikam.example/"), "clients[0].domain"),
        (lambda d: d["clients"][0].update(crm_id=""), "clients[0].crm_id"),
        (lambda d: d["partner"]["links"].update(crm="https://x.example/{secret}"), "partner.links"),
        (lambda d: d["partner"]["links"].update(crm="javascript:alert(1)"), "partner.links"),
    ],
)
def test_bad_company_fields_and_link_templates_are_refused(edit: object, path: str) -> None:
    data = pt.book_to_dict(pt.demo_book())
    edit(data)  # type: ignore[operator]
    with pytest.raises(pt.FileFormatError) as caught:
        pt.book_from_dict(data)
    assert any(problem.path.startswith(path) for problem in caught.value.problems)


def test_link_values_are_percent_encoded_and_the_report_lists_the_links() -> None:
    import attrs

    book = pt.demo_book()
    odd = attrs.evolve(book.clients[0], crm_id="10/01?x=<y>")
    book = attrs.evolve(book, clients=(odd, *book.clients[1:]))
    details = pt.client_details(book, "c-fabrikam")
    assert details.links["crm"] == "https://crm.example.com/companies/10%2F01%3Fx%3D%3Cy%3E"
    page = pt.report_html(book, pt.load_program("hubspot-2025"), as_of=dt.date(2025, 9, 30))
    assert "<section id='links'>" in page
    assert "https://crm.example.com/companies/10%2F01%3Fx%3D%3Cy%3E" in page
    assert "fabrikam.example" in page


# --- item 19: line numbers in every program format, and one pass -----------------------


def _broken_program_text(format: str) -> str:
    """hubspot-2025 in the format, with a value of the wrong type (policy.notice_days)
    and a semantic problem (Platinum's reach total below Gold's)."""
    text = pt.dumps_program(pt.load_program("hubspot-2025"), format)  # type: ignore[arg-type]
    if format == "toml":
        text = text.replace("notice_days = 30", 'notice_days = "thirty"')
        return text.replace("total = 157.5", "total = 10", 1)
    if format == "json":
        text = text.replace('"notice_days": 30', '"notice_days": "thirty"')
        return text.replace('"total": "157.5"', '"total": "10"', 1)
    text = text.replace("notice_days: 30", "notice_days: thirty")
    return text.replace("total: '157.5'", "total: '10'", 1)


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize("format", ["toml", "json", "yaml"])
def test_every_format_reports_structural_and_semantic_problems_with_lines(format: str) -> None:
    text = _broken_program_text(format)
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.loads_program(text, format)  # type: ignore[arg-type]
    by_path = {problem.path: problem for problem in caught.value.problems}
    notice = by_path["policy.notice_days"]
    assert notice.message == "expected an integer"
    assert notice.line == _line_of(text, "notice_days")
    reach = by_path["tiers[1].reach.total"]
    assert "must be greater than tiers[0].reach.total" in reach.message
    needle = {"toml": "total = 10", "json": '"total": "10"', "yaml": "total: '10'"}[format]
    assert reach.line == _line_of(text, needle)


@pytest.mark.parametrize("format", ["json", "yaml"])
def test_an_unknown_key_in_json_or_yaml_has_its_line(format: str) -> None:
    text = pt.dumps_program(pt.load_program("hubspot-2025"), format)  # type: ignore[arg-type]
    if format == "json":
        text = text.replace('"notice_days": 30', '"notice_dayz": 30')
    else:
        text = text.replace("notice_days: 30", "notice_dayz: 30")
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.loads_program(text, format)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert problem.path == "policy.notice_dayz"
    assert problem.line == _line_of(text, "notice_dayz")


def test_json_lines_follow_list_items_and_escaped_strings() -> None:
    from partner_tiers._io.lines import json_lines

    text = '{\n  "a": "x\\"]{,",\n  "list": [\n    1,\n    {"k": [true,\n null]}\n  ]\n}\n'
    assert json_lines(text) == {
        "a": 2,
        "list": 3,
        "list[0]": 4,
        "list[1]": 5,
        "list[1].k": 5,
        "list[1].k[0]": 5,
        "list[1].k[1]": 6,
    }


def test_a_broken_structure_still_reports_only_what_it_can() -> None:
    # A required key missing: the semantic checks cannot run, the problem is reported.
    text = pt.dumps_program(pt.load_program("hubspot-2025"), "json")
    text = text.replace('"name": "hubspot-2025",', "", 1)
    with pytest.raises(pt.ProgramValidationError) as caught:
        pt.loads_program(text, "json")
    assert [p.path for p in caught.value.problems] == ["name"]
