import pytest

from knowledge.chatter import asks_for_english, is_ack, is_english, is_personal_matter, is_trivial, looks_like_question


@pytest.mark.parametrize("text", ["?", "!!", "...", "👍", "🙂🙂", "asdfg", "qwerty", "sdfsdf", "jjjjj", "lkjh", "hmm", "ok", "fint"])
def test_trivial(text: str) -> None:
    assert is_trivial(text)


@pytest.mark.parametrize(
    "text",
    ["TR", "AMR", "MED", "apv", "1", "ja", "nej", "færdig", "spring over", "ingen", "Fælles indkøb", "hej", "bff", "STABplus", "kl 25", "", "   ", "T" * 121, "property"],
)
def test_not_trivial(text: str) -> None:
    assert not is_trivial(text)


def test_fillers_are_trivial_only_when_asked() -> None:
    assert is_trivial("hmm") and not is_trivial("hmm", fillers=False)
    assert is_trivial("?", fillers=False)


def test_ack() -> None:
    assert is_ack("👍") and is_ack("ok") and is_ack("Fint") and not is_ack("?")


@pytest.mark.parametrize(
    ("text", "question"),
    [("hvad er en amr", True), ("hvem er min TR?", True), ("kan jeg faa en paamindelse", True), ("what is an AMR", True),
     ("noget helt andet?", True), ("nye modetider i bornehaven", False), ("hvad", False), ("Faelles indkob", False)],
)
def test_looks_like_question(text: str, question: bool) -> None:
    assert looks_like_question(text) is question


@pytest.mark.parametrize(
    ("text", "english"),
    [("what is an AMR?", True), ("Who decides about new working hours?", True), ("can you speak english", True),
     ("hvad er en AMR", False), ("help", False), ("i morgen kl 9", False), ("hej med dig", False), ("AMR meeting", False)],
)
def test_is_english(text: str, english: bool) -> None:
    assert is_english(text) is english


@pytest.mark.parametrize(
    ("text", "asks"),
    [("can you speak english", True), ("Do you speak English?", True), ("english please", True), ("taler du engelsk?", True),
     ("what is an AMR?", False), ("hvad hedder AMR paa engelsk og dansk i MED-aftalen", False)],
)
def test_asks_for_english(text: str, asks: bool) -> None:
    assert asks_for_english(text) is asks


@pytest.mark.parametrize(
    ("text", "personal"),
    [("en kollega chikanerer mig", True), ("jeg bliver mobbet", True), ("min leder raaber af mig", True),
     ("my colleague harasses me", True), ("min kollega bliver mobbet", True),
     ("jeg er blevet uvenner med en kollega og vi kan ikke snakke sammen mere", True),
     ("hvem laver retningslinjer om mobning?", False), ("skal vi have en retningslinje mod mobning", False),
     ("Chikane på arbejdspladsen – hvad siger MED?", False), ("mobning", False), ("nye modetider", False)],
)
def test_personal_matter(text: str, personal: bool) -> None:
    assert is_personal_matter(text) is personal
