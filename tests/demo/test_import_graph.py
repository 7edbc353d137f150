"""``marketplace.demo`` is the top of the import graph: it may import any app, and no app imports it."""

import ast
from pathlib import Path

from django.conf import settings

DEMO = "marketplace.demo"


def _imports(path: Path) -> set[str]:
    """The modules a file imports (absolute names; relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative_to = path.relative_to(settings.BASE_DIR).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(relative_to[: len(relative_to) - node.level + 1]) if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _project_files() -> list[Path]:
    root = Path(settings.BASE_DIR)
    demo = root / "marketplace" / "demo"
    return [
        path
        for path in root.rglob("*.py")
        if not path.is_relative_to(demo)
        and path.relative_to(root).parts[0]
        not in {".venv", ".git", "var", "tests", "benchmarks", "node_modules"}
    ]


def test_no_app_imports_the_demo_package():
    # given every Python module of the project outside marketplace/demo (tests excluded)
    files = _project_files()
    assert any(path.name == "models.py" for path in files)  # the walk found the apps

    # when their imports are read
    importers = sorted(
        str(path.relative_to(settings.BASE_DIR))
        for path in files
        if any(name == DEMO or name.startswith(f"{DEMO}.") for name in _imports(path))
    )

    # then none of them names the demo package
    assert importers == []


def test_the_old_demo_modules_are_gone():
    root = Path(settings.BASE_DIR)
    old = ["catalog/demo.py", "catalog/demo_images.py", "orders/demo.py", "payments/demo.py"]
    old.append("catalog/management/commands/seed_demo.py")

    assert [name for name in old if (root / name).exists()] == []
