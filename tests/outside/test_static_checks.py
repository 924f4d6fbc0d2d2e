"""Static checks from outside, run by ``make test``: the production deploy check, ruff, bandit and
the migrations check, each as its own command in a clean process, the way CI runs them.

Mutations that make them fail (each tried once):

- ``SESSION_COOKIE_SECURE = False`` in ``douyin_cart/settings/prod.py`` → the deploy check warns
  (security.W012) and ``test_production_settings_pass_the_deploy_check`` fails.
- ``hashlib.md5(...)`` without ``# nosec B324`` in ``affiliates/sources/jd.py`` → bandit reports a HIGH
  finding and ``test_bandit_finds_nothing_high`` fails.
- ``import os`` unused in any module → ``test_ruff_is_clean`` fails.
- a new ``max_length`` on a model field without its migration → ``test_models_and_migrations_agree`` fails.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(args, **env):
    """A command in the project folder with a clean environment plus ``env``; (code, output)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    done = subprocess.run(args, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def serve_env() -> dict:
    """The environment ``make serve`` gives the production settings."""
    return {"DJANGO_SETTINGS_MODULE": "douyin_cart.settings.prod", "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOW_PLAIN_HTTP_ON_LOOPBACK": "1", "SERVE_MEDIA": "1", "SANDBOX_ENABLED": "1"}


def test_production_settings_pass_the_deploy_check():
    code, out = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], **serve_env())
    assert code == 0, out


def test_ruff_is_clean():
    ruff = BIN / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed (requirements-dev.txt)")
    code, out = run([str(ruff), "check", "."])
    assert code == 0, out


def test_bandit_finds_nothing_high():
    """Over the project's own code (not .venv, not the tests): no finding of HIGH severity."""
    bandit = BIN / "bandit"
    if not bandit.exists():
        pytest.skip("bandit is not installed (requirements-dev.txt)")
    code, out = run([str(bandit), "-r", ".", "-x", "./.venv,./tests,./staticfiles,./node_modules", "-lll", "-q",
                     "-f", "custom", "--msg-template", "{relpath}:{line} {test_id} {severity} {msg}"])
    findings = [line for line in out.splitlines() if " HIGH " in line]
    assert code == 0 and not findings, "\n".join(findings) or out


def test_models_and_migrations_agree():
    code, out = run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
                    DJANGO_SETTINGS_MODULE="douyin_cart.settings.test")
    assert code == 0, out
