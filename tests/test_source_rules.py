"""Rules about the source text itself that ruff and mypy do not check."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "dialogs", "knowledge", "tests", "bench")

# ``# type: ignore[code]  # why``: the error it silences, and a reason after it.
_IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<rest>.*)$")
_WITH_REASON = re.compile(r"^\[[a-z0-9-]+(?:,\s*[a-z0-9-]+)*\]\s+#\s*\S")


def _python_files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    bare = []
    for path in _python_files(*PACKAGES):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = _IGNORE.search(line)
            if match and not _WITH_REASON.match(match.group("rest")):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert bare == [], "a type: ignore needs [error-code] and a reason comment:\n" + "\n".join(bare)


# --- Danish sentences live in dialogs/texts.py --------------------------------------
#
# A string literal in bot/, dialogs/ or knowledge/ is taken for a Danish sentence when
# it has two words or more (a space between them) and either an æ, ø or å or one of
# the Danish function words below (lower case or capitalised: "MED" is a name, "med" a
# word). An f-string is judged whole, each placeholder counting as a word. Not counted:
#
# - documentation: docstrings and the bare strings that document an attribute;
# - input the bot understands rather than says, recognised by where the literal stands:
#   the pattern of a ``re`` call, a word list split by ``.split()`` or
#   :func:`knowledge.normalize.tokens`;
# - the modules in ``_NOT_REPLIES``, each with its reason.
#
# Everything else that the bot says, writes to a card, stores as a reason shown to a
# person or puts in an export belongs in dialogs/texts.py.

_TEXTS = "dialogs/texts.py"
_REPLY_PACKAGES = ("bot", "dialogs", "knowledge")
_DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")
_WORD = re.compile(r"[A-Za-zæøåÆØÅéÉ]+")
_TWO_WORDS = re.compile(r"[^\W\d_]\S*\s+\S*[^\W\d_]")
_FUNCTION_WORDS = frozenset(
    "og er det der en et til på med ikke du jeg vi kan har som af om skal vil hvad hvis eller så "
    "din dit dine dig mig sig jer ingen nogen hvor hvem hvornår hvordan hvorfor fra efter også kun "
    "når mit mine vores jeres".split()
)
_RE_CALLS = frozenset({"compile", "search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer"})

_NOT_REPLIES = {
    # The operator's command line: argparse help and what it prints in a terminal for the
    # MED secretary or the admin, not what the bot says in a chat.
    "bot/cli/": "the command line",
    "bot/ideas/cli.py": "the command line (medbot ideas)",
    "bot/reminders/cli.py": "the command line (medbot reminders)",
    "bot/reminders/calendar_cli.py": "the command line (medbot calendar)",
    # Understanding Danish input: phrase lists, regular expressions and stop words that
    # the bot matches a message against, never says.
    "knowledge/chatter.py": "small-talk and harassment phrases the bot recognises",
    "knowledge/dates_grammar.py": "the grammar of Danish dates and times",
    "knowledge/ideas_rules.py": "idea commands and status phrases, and stop words for similarity",
    "knowledge/intents.py": "the phrasings of each intent",
    "knowledge/levels.py": "phrases that tell a case's level",
    "knowledge/reminder_text.py": "reminder and subscription requests",
    "knowledge/situations.py": "stories staff tell, and the seed passage each situation rests on",
    # The knowledge itself: quotations from and titles of the municipalities' MED documents,
    # cited as they are written.
    "knowledge/level_tasks.py": "quotations from the MED agreements",
    "knowledge/sources.py": "the titles of the source documents",
}


def _is_danish(text: str) -> bool:
    if not _TWO_WORDS.search(text):
        return False
    words = _WORD.findall(text)
    if _DANISH_LETTERS.search(text):
        return True
    return any(word.lower() in _FUNCTION_WORDS and not word.isupper() for word in words)


def _understood_not_said(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """The literal is a pattern or a word list: input the bot matches, not a reply."""
    child, parent = node, parents.get(node)
    while isinstance(parent, ast.JoinedStr | ast.BinOp | ast.FormattedValue):
        child, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Attribute):
        return parent.attr == "split" and isinstance(parents.get(parent), ast.Call)
    if not isinstance(parent, ast.Call):
        return False
    func = parent.func
    if parent.args and parent.args[0] is child:
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return func.value.id == "re" and func.attr in _RE_CALLS
        if isinstance(func, ast.Name):
            return func.id == "tokens"
    return False


def _documentation(tree: ast.AST) -> set[ast.AST]:
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
    }


def danish_sentences(path: Path) -> list[tuple[int, str]]:
    """Danish sentence literals in one module, by the rule above."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    documentation = _documentation(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            # An f-string is judged whole, each placeholder standing for a word ("støt {n}").
            text = "".join(part.value if isinstance(part, ast.Constant) else "x" for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and not isinstance(parents.get(node), ast.JoinedStr):
            text = node.value
        else:
            continue
        if node in documentation or not _is_danish(text) or _understood_not_said(node, parents):
            continue
        found.append((node.lineno, text))
    return sorted(found)


def _reply_modules() -> list[str]:
    return [str(path.relative_to(ROOT)) for path in _python_files(*_REPLY_PACKAGES)]


def test_danish_sentences_live_in_texts() -> None:
    outside = []
    for name in _reply_modules():
        if name == _TEXTS or any(name.startswith(allowed) for allowed in _NOT_REPLIES):
            continue
        outside += [f"{name}:{line}: {text!r}" for line, text in danish_sentences(ROOT / name)]
    assert outside == [], "Danish sentences belong in dialogs/texts.py:\n" + "\n".join(outside)


def test_every_allowlisted_module_exists_and_holds_danish() -> None:
    """An entry of the allowlist that no longer excuses anything is removed."""
    modules = _reply_modules()
    for allowed in _NOT_REPLIES:
        excused = [name for name in modules if name.startswith(allowed) and danish_sentences(ROOT / name)]
        assert excused, f"{allowed} is allowlisted but holds no Danish sentence"


def test_the_rule_tells_a_reply_from_a_pattern() -> None:
    module = ROOT / "tests" / "data" / "danish_literals_example.txt"
    found = [text for _, text in danish_sentences(module)]
    assert found == ["Din påmindelse er gemt.", "Det ved jeg ikke", "støt x"]


# --- the environment is read in one place ----------------------------------------------

_ENV_READER = "bot/env.py"


def _reads_environment(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "os" and node.attr in ("environ", "getenv", "environb"):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            if any(alias.name in ("environ", "getenv", "environb") for alias in node.names):
                lines.append(node.lineno)
    return lines


def test_environment_variables_are_read_through_bot_env() -> None:
    """Settings and the feature configurations read them with bot.env's reader, so a
    value is stripped and a switch understood the same way everywhere."""
    elsewhere = []
    for name in _reply_modules():
        if name == _ENV_READER:
            continue
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        elsewhere += [f"{name}:{line}" for line in _reads_environment(tree)]
    assert elsewhere == [], "read the environment with bot.env.EnvReader:\n" + "\n".join(elsewhere)
    assert _reads_environment(ast.parse((ROOT / _ENV_READER).read_text(encoding="utf-8")))
