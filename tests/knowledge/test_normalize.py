from knowledge.normalize import fold, tokens


def test_danish_letters_and_their_ascii_spellings_meet() -> None:
    assert fold("Arbejdsmiljø") == fold("arbejdsmiljoe") == fold("ARBEJDSMILJO")
    assert fold("Hvornår") == fold("hvornaar") == fold("hvornar")
    assert fold("Næstformand") == fold("naestformand") == fold("nastformand")


def test_hyphens_accents_and_punctuation() -> None:
    assert fold("MED-udvalg") == fold("medudvalg")
    assert fold("Den gode idé!") == "den gode ide"
    assert tokens("  Hvad er  en AMR?? ") == ["hvad", "er", "en", "amr"]


def test_section_sign_is_kept() -> None:
    assert fold("§ 21") == "§ 21"


def test_empty_text() -> None:
    assert fold("") == "" and tokens("   ") == []
