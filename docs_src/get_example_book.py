"""Save the example book shipped with partner_tiers as book.json in this folder."""

from importlib import resources
from pathlib import Path

example = resources.files("partner_tiers") / "data" / "northwind.json"
Path("book.json").write_bytes(example.read_bytes())
print("wrote book.json")
