"""Demo data of the notices app: the official accounts exist from the start."""
from .services import OFFICIAL_ACCOUNTS, official_account


def seed(out) -> None:
    for kind in OFFICIAL_ACCOUNTS:
        official_account(kind)
    out.write("Official accounts ready: " + ", ".join(f"@{s['handle']}" for s in OFFICIAL_ACCOUNTS.values()))
