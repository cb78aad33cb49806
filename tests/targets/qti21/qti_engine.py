"""A small, independent QTI 2.1 response- and outcome-processing interpreter, for tests.

Written from the IMS QTI 2.1 specification (Assessment Test, Section and Item Information Model,
sections "Response Processing", "Outcome Processing" and "Expressions"), NOT from qtiexport: it
imports nothing from the library, so the tests compare the library against an independent reading
of the standard.

Only the subset the packages use is implemented; anything else raises NotImplementedError, so an
unexpected construct fails loudly instead of being silently mis-scored.

Values:
- NULL is None;
- single cardinality: float, int, bool or str (identifier);
- multiple / ordered cardinality: a Container (an empty container is NULL, spec "isNull").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lxml import etree

QTI_NAMESPACES = (
    "http://www.imsglobal.org/xsd/imsqti_v2p1",
    "http://www.imsglobal.org/xsd/imsqti_v2p0",
)

# The standard response processing templates (QTI 2.1 rptemplates), written out as the rules they
# stand for, so that `<responseProcessing template="..."/>` is evaluated like inline rules.
_RP = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"
_TEMPLATES = {
    "match_correct": """
      <responseProcessing xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1">
        <responseCondition>
          <responseIf>
            <match><variable identifier="RESPONSE"/><correct identifier="RESPONSE"/></match>
            <setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue>
          </responseIf>
          <responseElse>
            <setOutcomeValue identifier="SCORE"><baseValue baseType="float">0</baseValue></setOutcomeValue>
          </responseElse>
        </responseCondition>
      </responseProcessing>""",
    "map_response": """
      <responseProcessing xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1">
        <responseCondition>
          <responseIf>
            <isNull><variable identifier="RESPONSE"/></isNull>
            <setOutcomeValue identifier="SCORE"><baseValue baseType="float">0</baseValue></setOutcomeValue>
          </responseIf>
          <responseElse>
            <setOutcomeValue identifier="SCORE"><mapResponse identifier="RESPONSE"/></setOutcomeValue>
          </responseElse>
        </responseCondition>
      </responseProcessing>""",
}


@dataclass
class Container:
    cardinality: str  # "multiple" or "ordered"
    values: list = field(default_factory=list)


@dataclass
class Declaration:
    identifier: str
    cardinality: str
    base_type: str | None
    default: object = None
    correct: object = None
    mapping: dict | None = None  # {"entries": {key: float}, "lower": float|None, "upper": float|None, "default": float}


class QtiError(Exception):
    pass


def _local(element) -> str:
    return etree.QName(element).localname


def _children(element) -> list:
    return [child for child in element if isinstance(child.tag, str)]


def _convert(text: str, base_type: str | None):
    """Return the value of `text` for `base_type` (spec: baseValue / value content)."""
    text = text.strip()
    if base_type == "float":
        return float(text)
    if base_type == "integer":
        return int(text)
    if base_type == "boolean":
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise QtiError(f"bad boolean {text!r}")
    if base_type in ("identifier", "string", None):
        return text
    raise NotImplementedError(f"baseType {base_type}")


def _is_null(value) -> bool:
    # Spec (isNull): NULL, an empty container and an empty string are all NULL.
    if value is None:
        return True
    if isinstance(value, Container):
        return not value.values
    if isinstance(value, str):
        return value == ""
    return False


def _values_of(element, base_type: str | None, cardinality: str):
    values = [_convert(v.text or "", base_type) for v in _children(element) if _local(v) == "value"]
    if cardinality == "single":
        if not values:
            return None
        if len(values) != 1:
            raise QtiError("single cardinality with several values")
        return values[0]
    return Container(cardinality, values) if values else None


def _declarations(root) -> dict[str, Declaration]:
    out: dict[str, Declaration] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = _local(element)
        if name not in ("responseDeclaration", "outcomeDeclaration"):
            continue
        decl = Declaration(
            identifier=element.get("identifier"),
            cardinality=element.get("cardinality"),
            base_type=element.get("baseType"),
        )
        for child in _children(element):
            kind = _local(child)
            if kind == "defaultValue":
                decl.default = _values_of(child, decl.base_type, decl.cardinality)
            elif kind == "correctResponse":
                decl.correct = _values_of(child, decl.base_type, decl.cardinality)
            elif kind == "mapping":
                decl.mapping = {
                    "entries": {
                        entry.get("mapKey"): float(entry.get("mappedValue"))
                        for entry in _children(child)
                        if _local(entry) == "mapEntry"
                    },
                    "lower": float(child.get("lowerBound")) if child.get("lowerBound") is not None else None,
                    "upper": float(child.get("upperBound")) if child.get("upperBound") is not None else None,
                    "default": float(child.get("defaultValue", "0")),
                    "case_sensitive": {
                        entry.get("mapKey"): entry.get("caseSensitive", "true") == "true"
                        for entry in _children(child)
                        if _local(entry) == "mapEntry"
                    },
                }
            elif kind == "areaMapping":
                raise NotImplementedError("areaMapping")
        out[decl.identifier] = decl
    return out


def _initial_outcome(decl: Declaration):
    """Spec: an outcome starts from its default value; with none, a numeric single outcome is 0, others NULL."""
    if decl.default is not None:
        return decl.default
    if decl.cardinality == "single" and decl.base_type == "integer":
        return 0
    if decl.cardinality == "single" and decl.base_type == "float":
        return 0.0
    return None


def _numbers(values) -> list:
    out = []
    for value in values:
        if isinstance(value, Container):
            out.extend(value.values)
        else:
            out.append(value)
    for value in out:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise QtiError(f"not a number: {value!r}")
    return out


class _Context:
    """Variables of one item session (or of the test, with item outcomes reachable through testVariables)."""

    def __init__(self, declarations: dict[str, Declaration], values: dict[str, object]):
        self.declarations = declarations
        self.values = values
        # for outcome processing only
        self.item_refs: list[tuple[str, dict[str, float]]] = []  # (item identifier, weights)
        self.item_outcomes: dict[str, dict] = {}

    # ---- expressions -------------------------------------------------------------------------
    def evaluate(self, element):
        name = _local(element)
        method = getattr(self, f"_x_{name}", None)
        if method is None:
            raise NotImplementedError(f"expression {name}")
        return method(element)

    def _operands(self, element) -> list:
        return [self.evaluate(child) for child in _children(element)]

    def _x_baseValue(self, element):
        return _convert(element.text or "", element.get("baseType"))

    def _x_variable(self, element):
        identifier = element.get("identifier")
        if identifier in self.values:
            return self.values[identifier]
        if "." in identifier and self.item_outcomes:
            # Spec: in outcome processing, "itemIdentifier.variable" names an item's outcome.
            item, _, variable = identifier.partition(".")
            return self.item_outcomes.get(item, {}).get(variable)
        raise QtiError(f"unknown variable {identifier}")

    def _x_correct(self, element):
        decl = self.declarations[element.get("identifier")]
        return decl.correct

    def _x_isNull(self, element):
        (operand,) = self._operands(element)
        return _is_null(operand)

    def _x_match(self, element):
        a, b = self._operands(element)
        if _is_null(a) or _is_null(b):
            return None  # Spec: NULL if either sub-expression is NULL.
        if isinstance(a, Container) != isinstance(b, Container):
            raise QtiError("match: different cardinalities")
        if isinstance(a, Container):
            if a.cardinality == "ordered":
                return a.values == b.values
            # multiple: order does not matter; compared as sets (choice responses never repeat).
            return set(a.values) == set(b.values)
        return a == b

    def _x_member(self, element):
        value, container = self._operands(element)
        if _is_null(value) or _is_null(container):
            return None
        if isinstance(value, Container):
            raise QtiError("member: first operand must be single")
        values = container.values if isinstance(container, Container) else [container]
        return value in values

    def _x_mapResponse(self, element):
        decl = self.declarations[element.get("identifier")]
        mapping = decl.mapping
        if mapping is None:
            raise QtiError("mapResponse without mapping")
        value = self.values.get(decl.identifier)
        if isinstance(value, Container):
            keys = value.values
        elif _is_null(value):
            keys = []
        else:
            keys = [value]
        if decl.cardinality == "single" and not keys:
            # A NULL single response is not in the map: the mapping's default applies.
            total = mapping["default"]
        else:
            total = 0.0
            seen = set()
            for key in keys:
                if key in seen:  # Spec: each key is counted once, however often it appears.
                    continue
                seen.add(key)
                total += self._mapped(mapping, key)
        if mapping["lower"] is not None:
            total = max(mapping["lower"], total)
        if mapping["upper"] is not None:
            total = min(mapping["upper"], total)
        return float(total)

    @staticmethod
    def _mapped(mapping, key):
        entries = mapping["entries"]
        if key in entries:
            return entries[key]
        for map_key, sensitive in mapping["case_sensitive"].items():
            if not sensitive and isinstance(key, str) and map_key.lower() == key.lower():
                return entries[map_key]
        return mapping["default"]

    def _x_multiple(self, element):
        values: list = []
        for operand in self._operands(element):
            if _is_null(operand):
                continue  # Spec: NULL sub-expressions are ignored.
            if isinstance(operand, Container):
                values.extend(operand.values)
            else:
                values.append(operand)
        return Container("multiple", values) if values else None

    def _x_sum(self, element):
        operands = self._operands(element)
        if any(_is_null(o) for o in operands):
            return None
        numbers = _numbers(operands)
        total = 0
        for number in numbers:
            total += number
        return float(total) if any(isinstance(n, float) for n in numbers) else total

    def _x_product(self, element):
        operands = self._operands(element)
        if any(_is_null(o) for o in operands):
            return None
        numbers = _numbers(operands)
        result = 1
        for number in numbers:
            result *= number
        return float(result) if any(isinstance(n, float) for n in numbers) else result

    def _x_divide(self, element):
        a, b = self._operands(element)
        if _is_null(a) or _is_null(b):
            return None
        a, b = _numbers([a, b])
        if b == 0:
            return None  # Spec: division by zero is NULL.
        return float(a) / float(b)

    def _x_round(self, element):
        (value,) = self._operands(element)
        if _is_null(value):
            return None
        (value,) = _numbers([value])
        if math.isnan(value):
            return None
        if math.isinf(value):
            return value
        # Spec (2.1 "round"): the integer closest to the value; halves go toward positive infinity.
        return math.floor(value + 0.5)

    def _x_gte(self, element):
        a, b = self._operands(element)
        if _is_null(a) or _is_null(b):
            return None
        a, b = _numbers([a, b])
        return a >= b

    def _x_lt(self, element):
        a, b = self._operands(element)
        if _is_null(a) or _is_null(b):
            return None
        a, b = _numbers([a, b])
        return a < b

    def _x_and(self, element):
        operands = self._operands(element)
        if any(o is False for o in operands):
            return False
        if any(_is_null(o) for o in operands):
            return None
        return True

    def _x_or(self, element):
        operands = self._operands(element)
        if any(o is True for o in operands):
            return True
        if any(_is_null(o) for o in operands):
            return None
        return False

    def _x_not(self, element):
        (operand,) = self._operands(element)
        if _is_null(operand):
            return None
        return not operand

    def _x_testVariables(self, element):
        identifier = element.get("variableIdentifier")
        weight_id = element.get("weightIdentifier")
        base_type = element.get("baseType")
        values = []
        for item, weights in self.item_refs:
            outcomes = self.item_outcomes.get(item)
            if outcomes is None or identifier not in outcomes:
                continue  # items not presented contribute nothing
            value = outcomes[identifier]
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                if base_type is None:
                    continue  # without baseType only numeric variables are selected
                values.append(value)
                continue
            if weight_id is not None and weight_id in weights:
                value = value * weights[weight_id]  # Spec: weights apply only when weightIdentifier names one.
            values.append(value)
        if not values:
            return None
        if base_type is None and any(isinstance(v, float) for v in values):
            values = [float(v) for v in values]
        return Container("multiple", values)

    # ---- rules -------------------------------------------------------------------------------
    def run_rules(self, rules):
        for rule in rules:
            name = _local(rule)
            if name == "setOutcomeValue":
                self._set(rule)
            elif name in ("responseCondition", "outcomeCondition"):
                self._condition(rule)
            elif name in ("exitResponse", "exitTest"):
                raise _Exit()
            elif name == "lookupOutcomeValue":
                raise NotImplementedError(name)
            else:
                raise NotImplementedError(f"rule {name}")

    def _set(self, rule):
        identifier = rule.get("identifier")
        decl = self.declarations.get(identifier)
        if decl is None or identifier not in self.values:
            raise QtiError(f"setOutcomeValue of undeclared outcome {identifier}")
        (expression,) = _children(rule)
        value = self.evaluate(expression)
        if _is_null(value):
            value = None
        elif decl.cardinality == "single":
            if isinstance(value, Container):
                raise QtiError(f"container assigned to single outcome {identifier}")
            if decl.base_type == "float":
                value = float(value)
            elif decl.base_type == "integer":
                if isinstance(value, float):
                    raise QtiError("float assigned to integer outcome")
            elif decl.base_type == "boolean" and not isinstance(value, bool):
                raise QtiError("non-boolean assigned to boolean outcome")
        else:
            if not isinstance(value, Container):
                value = Container(decl.cardinality, [value])
        self.values[identifier] = value

    def _condition(self, rule):
        for branch in _children(rule):
            kind = _local(branch)
            children = _children(branch)
            if kind in ("responseIf", "responseElseIf", "outcomeIf", "outcomeElseIf"):
                condition, body = children[0], children[1:]
                if self.evaluate(condition) is True:  # NULL counts as false
                    self.run_rules(body)
                    return
            elif kind in ("responseElse", "outcomeElse"):
                self.run_rules(children)
                return
            else:
                raise NotImplementedError(kind)


class _Exit(Exception):
    pass


def _parse(xml: bytes):
    root = etree.fromstring(xml)
    if etree.QName(root).namespace not in QTI_NAMESPACES:
        raise QtiError(f"not a QTI 2 document: {root.tag}")
    return root


def _public(values: dict[str, object], declarations: dict[str, Declaration], names) -> dict[str, object]:
    out = {}
    for name in names:
        value = values[name]
        decl = declarations[name]
        if decl.cardinality in ("multiple", "ordered"):
            value = set(value.values) if isinstance(value, Container) else set()
        out[name] = value
    return out


def score_item(item_xml: bytes, response: set[str] | frozenset[str] | str | None) -> dict[str, object]:
    """Run the item's response processing for `response` (to its one response variable).

    Returns every outcome: single outcomes as Python values (SCORE as float), multiple ones (FEEDBACK)
    as a set of identifiers (empty when NULL).
    """
    root = _parse(item_xml)
    declarations = _declarations(root)
    responses = [d for d in root if isinstance(d.tag, str) and _local(d) == "responseDeclaration"]
    if len(responses) != 1:
        raise QtiError("expected exactly one responseDeclaration")
    response_decl = declarations[responses[0].get("identifier")]
    outcome_names = [
        d.get("identifier") for d in root if isinstance(d.tag, str) and _local(d) == "outcomeDeclaration"
    ]

    if response is None or (not isinstance(response, str) and not response):
        value = None
    elif response_decl.cardinality == "single":
        if isinstance(response, str):
            value = response
        else:
            if len(response) != 1:
                raise QtiError("several values for a single-cardinality response")
            (value,) = response
    else:
        value = Container(response_decl.cardinality, [response] if isinstance(response, str) else sorted(response))

    values: dict[str, object] = {response_decl.identifier: value}
    for name in outcome_names:
        values[name] = _initial_outcome(declarations[name])
    # built-in response variables (spec): numAttempts and duration
    values.setdefault("numAttempts", 1)
    values.setdefault("duration", 0.0)

    context = _Context(declarations, values)
    processing = [p for p in root if isinstance(p.tag, str) and _local(p) == "responseProcessing"]
    if processing:
        node = processing[0]
        template = node.get("template")
        if not _children(node) and template:
            key = template.rstrip("/").rsplit("/", 1)[-1].removesuffix(".xml")
            if not template.startswith(_RP) or key not in _TEMPLATES:
                raise NotImplementedError(f"template {template}")
            node = etree.fromstring(_TEMPLATES[key])
        try:
            context.run_rules(_children(node))
        except _Exit:
            pass
    return _public(context.values, declarations, outcome_names)


def test_outcomes(test_xml: bytes, item_outcomes: dict[str, dict]) -> dict[str, object]:
    """Run the assessmentTest's outcomeProcessing over `item_outcomes` ({item ref identifier: outcomes})."""
    root = _parse(test_xml)
    if _local(root) != "assessmentTest":
        raise QtiError("not an assessmentTest")
    outcome_elements = [d for d in root if isinstance(d.tag, str) and _local(d) == "outcomeDeclaration"]
    declarations = {}
    for element in outcome_elements:
        declarations.update(_declarations(element))
    names = [d.get("identifier") for d in outcome_elements]
    values = {name: _initial_outcome(declarations[name]) for name in names}
    context = _Context(declarations, values)
    # The item references in test order, with their weights (spec: assessmentItemRef/weight).
    for ref in root.iter("{*}assessmentItemRef"):
        weights = {w.get("identifier"): float(w.get("value")) for w in ref if isinstance(w.tag, str) and _local(w) == "weight"}
        context.item_refs.append((ref.get("identifier"), weights))
    context.item_outcomes = item_outcomes
    processing = [p for p in root if isinstance(p.tag, str) and _local(p) == "outcomeProcessing"]
    if processing:
        try:
            context.run_rules(_children(processing[0]))
        except _Exit:
            pass
    return _public(context.values, declarations, names)


# pytest would otherwise try to collect `test_outcomes` when a test module imports it by name.
test_outcomes.__test__ = False  # type: ignore[attr-defined]
