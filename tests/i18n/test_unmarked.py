"""Every string shown to people is marked for translation: templates, Python
(flash, input errors, form labels and validator messages, nav labels) and
scripts (text set from JS goes through t()). Each failure names file:line.

Run one area with -k, e.g. `pytest tests/i18n/test_unmarked.py -k "accounts"`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
PYTHON = sorted((ROOT / "network").rglob("*.py"))
SCRIPTS = sorted((ROOT / "static" / "js").rglob("*.js"))

# Text that is the same in every language: symbols and punctuation only are
# always allowed (no letter); these words are names or codes.
ALLOWED = {"Peer Network", "English", "Français", "Esc", "MB", "px", "UTC"}
# An error code on the wire ("too_long", "slow_mode"): the page words it (t()).
CODE = re.compile(r"[a-z][a-z0-9_]*")
# Jinja: comments, trans blocks, expressions and statements count as marked.
JINJA = re.compile(
    r"\{#.*?#\}|\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}",
    re.S,
)
RAW = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
ATTRIBUTE = re.compile(r"\b(aria-label|title|placeholder|alt)\s*=\s*\"([^\"]*)\"", re.I)
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&#?\w+;")
LETTER = re.compile(r"[^\W\d_]")


def _blank(match: re.Match) -> str:
    # Keep line numbers: a removed span leaves its newlines.
    return " " + "\n" * match.group(0).count("\n")


def _shown(text: str) -> bool:
    text = ENTITY.sub(" ", text).strip()
    return bool(LETTER.search(text)) and text not in ALLOWED


# Inside Jinja: a macro's text argument given as a plain string.
JINJA_ARGUMENT = re.compile(
    r"\b(hint|label|title|placeholder|aria_label|confirm)\s*=\s*(\"[^\"]*\"|'[^']*')"
)


def unmarked_in_template(source: str) -> list[tuple[int, str]]:
    """(line, text) for each literal text or attribute a person would read."""
    found = []
    for match in JINJA.finditer(source):
        if match.group(0).startswith(("{#", "{% trans", "{%- trans")):
            continue
        for argument in JINJA_ARGUMENT.finditer(match.group(0)):
            if _shown(argument.group(2)[1:-1]):
                line = source.count("\n", 0, match.start() + argument.start()) + 1
                found.append((line, argument.group(0)[:80]))
    source = RAW.sub(_blank, JINJA.sub(_blank, source))
    for match in ATTRIBUTE.finditer(source):
        if _shown(match.group(2)):
            found.append((source.count("\n", 0, match.start()) + 1, match.group(0)))
    text_only = TAG.sub(lambda m: "\0" + "\n" * m.group(0).count("\n"), source)
    offset = 0
    for chunk in text_only.split("\0"):
        if _shown(chunk):
            lead = len(chunk) - len(chunk.lstrip())
            line = text_only.count("\n", 0, offset + lead) + 1
            found.append((line, " ".join(chunk.split())[:80]))
        offset += len(chunk) + 1
    return sorted(found)


@pytest.mark.parametrize(
    "path", TEMPLATES, ids=[str(p.relative_to(ROOT)) for p in TEMPLATES]
)
def test_template_text_is_marked(path):
    found = unmarked_in_template(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT)
    assert not found, "not marked for translation:\n" + "\n".join(
        f"{rel}:{line}: {text}" for line, text in found
    )


def _literal(node: ast.AST | None) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTER.search(node.value)) and not CODE.fullmatch(node.value)
    return isinstance(node, ast.JoinedStr)


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def unmarked_in_python(source: str) -> list[tuple[int, str]]:
    """(line, call) for each person-facing call given a plain string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        args = list(node.args)
        keywords = {k.arg: k.value for k in node.keywords}
        suspects: list[ast.AST | None] = []
        if name == "flash":
            suspects = args[:1] + [keywords.get("message")]
        elif name == "ValidationError":
            suspects = args[:1]
        elif name.endswith("InputError"):
            suspects = args[1:2] + [keywords.get("message")]
        elif name.endswith("Field") and name[:1].isupper():
            suspects = args[:1] + [keywords.get("label"), keywords.get("description")]
        elif name == "add_item":
            suspects = args[2:3] + [keywords.get("label")]
        if "message" in keywords and name[:1].isupper() and not name.endswith("Error"):
            suspects.append(keywords["message"])  # validators: Length(message=...)
        for suspect in suspects:
            if _literal(suspect):
                found.append(
                    (suspect.lineno, f"{name}(...{ast.unparse(suspect)[:60]})")
                )
    return found


@pytest.mark.parametrize("path", PYTHON, ids=[str(p.relative_to(ROOT)) for p in PYTHON])
def test_python_text_is_marked(path):
    found = unmarked_in_python(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT)
    assert not found, "not marked for translation:\n" + "\n".join(
        f"{rel}:{line}: {text}" for line, text in found
    )


JS_SHOWN = re.compile(
    r"""\.(?:textContent|innerText|placeholder|title|alt)\s*=\s*(["'])(?P<a>.*?)\1"""
    r"""|setAttribute\(\s*["'](?:aria-label|title|placeholder|alt)["']\s*,\s*"""
    r"""(["'])(?P<b>.*?)\3"""
    r"""|(?:alert|confirm)\(\s*(["'])(?P<c>.*?)\5"""
)


def unmarked_in_script(source: str) -> list[tuple[int, str]]:
    """(line, code) for each text set from JS as a plain string, not through t()."""
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        for match in JS_SHOWN.finditer(line):
            text = match.group("a") or match.group("b") or match.group("c") or ""
            if _shown(text):
                found.append((number, line.strip()[:80]))
    return found


@pytest.mark.parametrize(
    "path", SCRIPTS, ids=[str(p.relative_to(ROOT)) for p in SCRIPTS]
)
def test_script_text_is_marked(path):
    found = unmarked_in_script(path.read_text(encoding="utf-8"))
    rel = path.relative_to(ROOT)
    assert not found, "not marked for translation:\n" + "\n".join(
        f"{rel}:{line}: {text}" for line, text in found
    )


def test_the_checks_find_what_they_should():
    html = '<p>Hello</p>\n<a title="Go">{{ _("x") }}</a>{% trans %}Fine{% endtrans %}'
    assert [line for line, _t in unmarked_in_template(html)] == [1, 2]
    assert unmarked_in_template("<p>{{ _('Hi') }} · —</p>{# note #}") == []
    assert len(unmarked_in_template('{{ field(f.x, hint="Say hi") }}')) == 1
    assert unmarked_in_template('{{ field(f.x, hint=_("Say hi")) }}') == []
    py = 'flash("Saved.")\nflash(_("Saved."))\nraise InputError("f", "Bad.")\n'
    py += 'x = StringField("Name", validators=[Length(max=3, message="Too long")])\n'
    py += 'nav.add_item(app, "a.b", "Rooms")\nnav.add_item(app, "a.b", _l("Rooms"))\n'
    assert sorted(line for line, _t in unmarked_in_python(py)) == [1, 3, 4, 4, 5]
    js = 'el.textContent = "Sent";\nel.textContent = t("Sent");\nel.textContent = "";'
    assert [line for line, _t in unmarked_in_script(js)] == [1]
