"""Issue 29: the codebase keeps one way of writing. Views reach personal data only through an
app's selectors (which scope and audit reads) and services (which validate, write and audit in
one transaction), never through the ORM themselves. The layers between apps are an
import-linter contract in ``pyproject.toml``, checked here so ``make test`` runs it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.core.management import call_command

from equal_outcomes.accounts.register import FIELDS
from equal_outcomes.accounts.roles import DataClass

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "equal_outcomes"
PERSONAL = {
    DataClass.IDENTITY, DataClass.SPECIAL_CATEGORY, DataClass.VULNERABILITY,
    DataClass.ADJUSTMENT, DataClass.RESTRICTED, DataClass.STAFF_EQUALITY, DataClass.EMPLOYMENT,
}  # fmt: skip


def personal_models() -> dict[str, str]:
    """Each model class name that holds a person's data, with its label."""
    labels = {label for label, classes in FIELDS.items() if PERSONAL & set(classes)}
    return {
        model.__name__: model._meta.label
        for model in apps.get_models()
        if model._meta.label in labels
    }


def orm_calls(source: str) -> list[tuple[int, str]]:
    """``Name.objects`` (and ``Name._default_manager``), and ``get_object_or_404(Name, ...)``,
    in a module, with their lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager"}
            and isinstance(node.value, ast.Name)
        ):
            found.append((node.lineno, node.value.id))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            found.append((node.lineno, node.args[0].id))
    return found


def view_modules() -> list[Path]:
    return sorted(PACKAGE.glob("*/views*.py")) + sorted(PACKAGE.glob("*/views/*.py"))


def orm_calls_in_views(models: dict[str, str]) -> list[str]:
    """Each ORM call in a views module on one of ``models`` ({class name: label})."""
    return [
        f"{path.relative_to(PACKAGE)}:{line} {name} ({models[name]})"
        for path in view_modules()
        for line, name in orm_calls(path.read_text())
        if name in models
    ]


def test_the_check_finds_an_orm_call_on_personal_data() -> None:
    assert "Customer" in personal_models()
    assert "StaffMember" in personal_models()
    assert "Area" not in personal_models()
    assert orm_calls("def v(r):\n    return Customer.objects.all()\n") == [(2, "Customer")]
    assert orm_calls("x = get_object_or_404(Policy, pk=1)") == [(1, "Policy")]


def test_no_view_reads_or_writes_personal_data_through_the_orm() -> None:
    offending = orm_calls_in_views(personal_models())
    assert offending == [], "use the app's selectors and services:\n" + "\n".join(offending)


def test_no_view_uses_the_orm_for_any_model() -> None:
    """Stricter than the issue asks: the views of every app, not only those holding personal
    data, read through selectors and write through services."""
    offending = orm_calls_in_views(
        {model.__name__: model._meta.label for model in apps.get_models()}
    )
    assert offending == [], "use the app's selectors and services:\n" + "\n".join(offending)


def test_the_apps_keep_their_layers() -> None:
    checked = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        capture_output=True, text=True, cwd=PACKAGE.parents[1],
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout[-4000:]


def test_django_finds_nothing_wrong_in_the_code_or_settings() -> None:
    """The system checks (models, URLs, templates, settings): the project's own commands start
    without them, so they are run here, as ``migrate`` and ``serve`` run them."""

    call_command("check", fail_level="WARNING")
