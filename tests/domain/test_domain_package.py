"""The domain package: importable on its own, without any heavy or layer-crossing dependency."""

from __future__ import annotations

import subprocess
import sys

from seller_desk import domain
from seller_desk.domain import policies

FORBIDDEN = ("PySide6", "sqlalchemy", "httpx", "pandas", "numpy", "matplotlib", "alembic", "keyring")


def test_importing_the_domain_pulls_in_no_forbidden_package() -> None:
    code = (
        "import sys, seller_desk.domain, seller_desk.domain.policies;"
        "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    assert "holidays" in loaded  # sanity: the probe sees third-party imports
    assert loaded.isdisjoint(FORBIDDEN), sorted(loaded & set(FORBIDDEN))


def test_every_re_exported_name_resolves() -> None:
    for module in (domain, policies):
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert missing == [], (module.__name__, missing)
    assert domain.Money.parse("1.50", "EUR") == domain.Money(150, "EUR")
