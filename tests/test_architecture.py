"""The import contracts of pyproject.toml ([tool.importlinter], run by `make lint`): the tree
keeps them, and a module importing the wrong way breaks the contract that forbids it."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract["name"] for contract in CONFIG["contracts"]}


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},  # one line per import in the report
        timeout=60,
        check=False,
    )


def test_the_tree_keeps_its_import_contracts():
    result = lint_imports(BASE_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """The apps' packages and pyproject.toml, copied once: each test adds a module and takes it
    out again."""
    copy = tmp_path_factory.mktemp("tree")
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            BASE_DIR / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(BASE_DIR / "pyproject.toml", copy)
    assert lint_imports(copy).returncode == 0  # the copy keeps them, as the tree does
    return copy


@pytest.mark.parametrize(
    ("module", "source", "contract", "reported"),
    [
        (
            "forums/upward.py",
            "from reports.figures import build_dashboard\n",
            "layers",
            "forums is not allowed to import reports",
        ),
        (
            "governance/upward.py",
            "from forums.models import Forum\n",
            "layers",
            "governance is not allowed to import forums",
        ),
        (
            "doorstep/upward.py",
            "from forums.search import normalise\n",
            "layers",
            "doorstep is not allowed to import forums",
        ),
        (
            "governance/upward.py",
            "from wishes.models import Wish\n",
            "layers",
            "governance is not allowed to import wishes",
        ),
        (
            "wishes/upward.py",
            "from forums.models import Forum\n",
            "layers",
            "wishes is not allowed to import forums",
        ),
        (
            "wishes/sideways.py",
            "from doorstep.models import Station\n",
            "layers",
            "wishes is not allowed to import doorstep",
        ),
        (
            "brands/sideways.py",
            "from wishes.models import Wish\n",
            "layers",
            "brands is not allowed to import wishes",
        ),
        (
            "inbox/upward.py",
            "from governance.models import Case\n",
            "leaves",
            "inbox is not allowed to import governance",
        ),
        (
            "accounts/upward.py",
            "from forums.models import Event\n",
            "leaves",
            "accounts is not allowed to import forums",
        ),
        (
            "accounts/upward.py",
            "from reports.periods import last_twelve_months\n",
            "leaves",
            "accounts is not allowed to import reports",
        ),
        (
            "inbox/upward.py",
            "from residents.models import Street\n",
            "inbox-users",
            "inbox is not allowed to import residents",
        ),
        (
            "lujiazui/upward.py",
            "from forums import views\n",
            "config",
            "lujiazui is not allowed to import forums",
        ),
        (
            "lujiazui/upward.py",
            "from reports import views\n",
            "config",
            "lujiazui is not allowed to import reports",
        ),
    ],
)
def test_a_module_importing_the_wrong_way_breaks_its_contract(
    tree_copy, module, source, contract, reported
):
    path = tree_copy / module
    path.write_text(source)
    try:
        result = lint_imports(tree_copy)
    finally:
        path.unlink()

    assert result.returncode == 1
    assert f"{CONTRACTS[contract]} BROKEN" in result.stdout
    assert reported in result.stdout
    assert module.removesuffix(".py").replace("/", ".") + " -> " in result.stdout
