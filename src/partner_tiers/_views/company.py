"""A client's company information and its links ("open in CRM", "go to account"), filled
in from the partner's link templates (`Partner.links`)."""

from __future__ import annotations

import string
from html import escape
from urllib.parse import quote

from partner_tiers._model.book import Book
from partner_tiers._model.records import Client

__all__ = ["client_links", "company_info", "links_html"]


def company_info(client: Client) -> dict[str, str | None]:
    """The client's company information: domain, industry, size and CRM id (None where
    the book does not say)."""
    return {
        "domain": client.domain,
        "industry": client.industry,
        "size": client.size,
        "crm_id": client.crm_id,
    }


def client_links(book: Book, client: Client) -> dict[str, str]:
    """The partner's link templates filled in for the client, by name.

    Each value is percent-encoded into the template; a template that names a field the
    client lacks (``{crm_id}`` of a client without a CRM id) gives no link.
    """
    values = {"id": client.id, "crm_id": client.crm_id, "domain": client.domain}
    links: dict[str, str] = {}
    for name, template in book.partner.links.items():
        needed = _fields(template)
        if any(values[field] is None for field in needed):
            continue
        links[name] = template.format_map(
            {field: quote(str(values[field]), safe="") for field in needed}
        )
    return links


def _fields(template: str) -> list[str]:
    return [part[1] for part in string.Formatter().parse(template) if part[1] is not None]


def links_html(links: dict[str, str]) -> str:
    """The links as escaped anchors, separated by spaces."""
    return " ".join(
        f"<a class='link' href='{escape(url, quote=True)}'>{escape(name)}</a>"
        for name, url in links.items()
    )
