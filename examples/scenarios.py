# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Scenarios for one partner
#
# What would a new deal do to the tier? What does the next tier cost? On which day would
# the tier be lost if nothing new is sold? This notebook asks `partner_tiers` about the
# example book, Northwind Digital, under the shipped `hubspot-2025` program.
#
# It is a [jupytext](https://jupytext.readthedocs.io) percent script: open it as a
# notebook in Jupyter (with jupytext installed), or run it as a plain script with
# `python examples/scenarios.py`. It needs nothing but `partner_tiers`: the chart at the
# end is SVG inside a self-contained HTML report.
#
# The points thresholds of the shipped programs are EXAMPLE VALUES: HubSpot never
# published them. The tiers below are what these example values give.

# %%
# --8<-- [start:setup]
import datetime as dt
from importlib import resources
from pathlib import Path

import partner_tiers as pt

# The example book shipped with the package; for your own: pt.load_book("book.json").
example = resources.files("partner_tiers") / "data" / "northwind.json"
book = pt.loads_book(example.read_bytes(), source="northwind.json")
program = pt.load_program("hubspot-2025")
as_of = dt.date(2025, 9, 30)

status = pt.evaluate(book, program, as_of=as_of)
print(status.tier, "-", status.values["total"], "points; next:", status.next_tier)
status  # noqa: B018 - a notebook shows the last value of a cell: tracks and gates
# --8<-- [end:setup]

# %% [markdown]
# ## What if a new deal closes today?
#
# `pt.what_if` evaluates a changed copy of the book next to the book as it is. The new
# deal needs its client, unless it is for a client already in the book.

# %%
# --8<-- [start:whatif-deal]
contoso = pt.Client(pt.ClientId("c-contoso"), "Contoso Ltd", "US", pt.Relationship.SOLD)
new_deal = pt.Deal(
    id=pt.DealId("d-6"),
    client=contoso.id,
    product_line="content-hub",
    kind=pt.DealKind.NEW,
    motion=pt.SalesMotion.SOURCED,
    closed_on=as_of,
    mrr_change=pt.Money("2000.00", "USD"),
)
scenario = pt.what_if(book, program, as_of=as_of, clients=[contoso], deals=[new_deal])
print(scenario)
# --8<-- [end:whatif-deal]

# %% [markdown]
# Ending the services of a client, or letting the certification lapse, are scenarios too.

# %%
# --8<-- [start:whatif-other]
print(pt.what_if(book, program, as_of=as_of, end_services=["c-adatum"]))
lapse = pt.what_if(book, program, as_of=as_of, certifications_lapse_on=dt.date(2025, 9, 1))
print("tier if the certification lapses:", lapse.after.tier)
print(lapse.after.gates[0].reason)
# --8<-- [end:whatif-other]

# %% [markdown]
# ## What does the next tier cost?
#
# `pt.needed_to_reach` finds the least extra MRR, per sales motion and market, that makes
# the partner qualify for the next tier. Every answer is checked by evaluating the book
# with that MRR added (and one cent less).

# %%
# --8<-- [start:needed]
for needed in pt.needed_to_reach(book, program, as_of=as_of):
    if needed.amount is None:
        print(f"{needed.motion:>8} {needed.market:<8}  -  {needed.reason}")
    else:
        print(
            f"{needed.motion:>8} {needed.market:<8} {needed.amount} {needed.currency}"
            f" -> {needed.points} points for {needed.target}"
        )
# --8<-- [end:needed]

# %% [markdown]
# The answer is a deal you can feed back into `what_if`:

# %%
# --8<-- [start:needed-check]
cheapest = pt.needed_to_reach(book, program, as_of=as_of, motions=["sourced"])
prospect = pt.Client(pt.ClientId("c-prospect"), "Prospect", "US", pt.Relationship.SOLD)
deal = cheapest[0].deal(client=prospect.id)
check = pt.what_if(book, program, as_of=as_of, clients=[prospect], deals=[deal])
print(deal.mrr_change, "sourced ->", check.after.tier)
# --8<-- [end:needed-check]

# %% [markdown]
# ## Keeping the tier
#
# `pt.needed_to_keep` asks the same at the next review, for the tier held now;
# `pt.cliff_date` finds the first day the tier would be lower if nothing new is sold.

# %%
# --8<-- [start:keep]
keep = pt.needed_to_keep(book, program, as_of=as_of, motions=["sourced"])
print("next review:", status.next_review, "-", keep[0].reason)
print("tier lost on:", pt.cliff_date(book, program, as_of=as_of))
# --8<-- [end:keep]

# %% [markdown]
# ## Progress over the months
#
# `pt.progress` is the dashboard's progress chart as data: one row per month with every
# track's value and the next tier's reach line. In a notebook the view shows as a table.

# %%
# --8<-- [start:progress]
chart = pt.progress(book, program, dt.date(2024, 10, 1), as_of, months=3)
for row in chart.rows:
    print(row["as_of"], row["tier"], row["value.total"], "/", row["reach.total"])
chart  # noqa: B018 - shown as a table in a notebook
# --8<-- [end:progress]

# %% [markdown]
# For a chart without matplotlib, write the HTML report: one self-contained page with the
# progress chart as inline SVG, the tier, the gates, alerts, clients and points.

# %%
# --8<-- [start:report]
page = pt.report_html(book, program, as_of=as_of, months=12)
Path("northwind-report.html").write_text(page, encoding="utf-8")
chart_kind = "an SVG chart" if "<svg" in page else "no chart"
print("wrote northwind-report.html, with", chart_kind)
# --8<-- [end:report]
