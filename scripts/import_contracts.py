"""A custom import-linter contract (named in ``.importlinter``): inside every app, the modules that hold
rules and data never import the modules that face people.

"Pages" are modules with a dotted segment named like ``views``, ``api``, ``admin``, ``forms``, ``urls``
or ``templatetags`` (``orders.views.shop``, ``orders.cart.views``, ``payments.admin_payouts``…); "rules"
are those named like ``models``, ``services``, ``selectors``, ``transitions``, ``locks``, ``tasks``,
``pricing``, ``ledger``… (``catalog.services_listing``, ``orders.cart.services``). A rule module that
imports a page module breaks the contract: views call services, never the other way round."""

from __future__ import annotations

import re

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _segment_matches(module: str, pattern: re.Pattern[str]) -> bool:
    return any(pattern.fullmatch(segment) for segment in module.split("."))


class RulesBelowPagesContract(Contract):
    type_name = "rules_below_pages"

    containers = fields.ListField(subfield=fields.StringField())
    pages = fields.StringField()  # a regex over one dotted segment
    rules = fields.StringField()

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        pages = re.compile(str(self.pages))
        rules = re.compile(str(self.rules))
        broken = []
        for container in self.containers:  # type: ignore[attr-defined]
            container = str(container)
            for module in sorted(graph.find_descendants(container) | {container}):
                if not _segment_matches(module, rules) or _segment_matches(module, pages):
                    continue
                for imported in sorted(graph.find_modules_directly_imported_by(module)):
                    if _segment_matches(imported, pages):
                        details = graph.get_import_details(importer=module, imported=imported)
                        lines = ", ".join(f"l.{d['line_number']}" for d in details)
                        broken.append(f"{module} -> {imported} ({lines})")
        return ContractCheck(kept=not broken, warnings=None, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error(
            "Rule and data modules must not import page modules (views, API, admin, forms, urls):"
        )
        output.new_line()
        for line in check.metadata["broken"]:
            output.print_error(f"-   {line}", bold=False)
        output.new_line()
