"""Block Kit renderings of the neutral messages: the same content as the Teams cards,
within Slack's limits, checked with slack-sdk's Block Kit models."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk.models.blocks import Block, BlockElement

from dialogs import texts
from dialogs.messages import DATA_DIALOG, DATA_ENTRY, DATA_FORM, DATA_TEXT, Action, Form, FormField, Message
from dialogs.render_slack import MAX_BLOCKS, escape, to_blocks, to_slack_message


def assert_valid_blocks(blocks: list[dict[str, Any]]) -> None:
    """Every block parses as a slack-sdk model, passes its validation and loses nothing."""
    assert 0 < len(blocks) <= MAX_BLOCKS
    action_ids: list[str] = []
    for block in blocks:
        model = Block.parse(block)
        assert model is not None, block
        model.validate_json()
        assert model.to_dict() == block
        for element in block.get("elements", []) if block["type"] == "actions" else [block.get("element")] if block["type"] == "input" else []:
            parsed = BlockElement.parse(element)
            assert parsed is not None
            parsed.validate_json()
            action_ids.append(element["action_id"])
            if element["type"] == "button":
                assert len(element["text"]["text"]) <= 75
                assert len(element["value"]) <= 2000
    assert len(action_ids) == len(set(action_ids)), "action ids are unique within a message"


def sample_messages() -> list[Message]:
    form = Form(
        id="idea",
        dialog="idea",
        submit_title="Send idéen",
        fields=(
            FormField(id="title", label="Overskrift", required=True, max_length=120),
            FormField(id="description", label="Beskriv idéen", kind="multiline", required=True),
            FormField(id="area", label="Område", kind="choice", choices=(("Skole", "school"), ("Ældre", "elder")), value="school"),
            FormField(id="anonymous", label="Send anonymt", kind="toggle", value="true"),
        ),
    )
    return [
        Message(text=texts.HELP),
        Message(text=texts.WELCOME),
        Message(
            title="Hvad er en AMR?",
            text="AMR er en arbejdsmiljørepræsentant.\n\nAnden <b>del</b> & mere.",
            source="Albertslund: MED-grunduddannelsen",
            note="Gælder for Albertslund.",
            facts=(("Kvitteringsnummer", "2027-0042"), ("Status", "Modtaget")),
            actions_heading=texts.RELATED_HEADING,
            actions=(Action(title="Hvad er en trio?", text="Hvad er en trio?", entry="trio"),),
        ),
        Message(text="Vil du sende idéen?", actions=(Action(title=texts.YES, text="ja", dialog="idea"), Action(title=texts.NO, text="nej", dialog="idea"))),
        Message(text="Udfyld formularen.", form=form),
    ]


@pytest.mark.parametrize("message", sample_messages(), ids=lambda m: m.text[:20])
def test_every_sample_renders_valid_block_kit(message: Message) -> None:
    assert_valid_blocks(to_blocks(message))
    assert to_slack_message(message)["text"]


def test_the_answer_card_content_is_all_there() -> None:
    message = sample_messages()[2]
    blocks = to_blocks(message)
    kinds = [b["type"] for b in blocks]
    assert kinds[0] == "header" and blocks[0]["text"]["text"] == "Hvad er en AMR?"
    assert "context" in kinds and "actions" in kinds
    flat = json.dumps(blocks, ensure_ascii=False)
    assert "Kilde: Albertslund" in flat
    assert "&lt;b&gt;del&lt;/b&gt; &amp; mere" in flat  # escaped for mrkdwn
    fields = next(b for b in blocks if b.get("fields"))["fields"]
    assert fields[0]["text"] == "*Kvitteringsnummer*\n2027-0042"


def test_button_values_carry_the_action_data_as_json() -> None:
    blocks = to_blocks(sample_messages()[3])
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [json.loads(b["value"]) for b in buttons] == [
        {DATA_TEXT: "ja", DATA_DIALOG: "idea"},
        {DATA_TEXT: "nej", DATA_DIALOG: "idea"},
    ]
    answer = to_blocks(sample_messages()[2])
    entry_button = next(e for b in answer if b["type"] == "actions" for e in b["elements"])
    assert json.loads(entry_button["value"]) == {DATA_TEXT: "Hvad er en trio?", DATA_ENTRY: "trio"}


def test_a_form_renders_inputs_and_a_submit_button() -> None:
    blocks = to_blocks(sample_messages()[4])
    inputs = [b for b in blocks if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == ["title", "description", "area", "anonymous"]
    assert inputs[0]["optional"] is False and inputs[2]["optional"] is True
    assert inputs[1]["element"]["multiline"] is True
    assert inputs[2]["element"]["initial_option"]["value"] == "school"
    assert inputs[3]["element"]["initial_options"][0]["value"] == "true"
    submit = blocks[-1]["elements"][0]
    assert json.loads(submit["value"]) == {DATA_FORM: "idea", DATA_DIALOG: "idea"}


def test_long_text_many_facts_and_many_buttons_stay_within_limits() -> None:
    long_text = "\n\n".join(f"Afsnit {i}: " + "ord " * 300 for i in range(12))
    message = Message(
        title="T" * 400,
        text=long_text + "\n\n" + "x" * 7000,
        facts=tuple((f"Felt {i}", "v" * 2500) for i in range(23)),
        actions=tuple(Action(title="Knap " + "k" * 100 + str(i), text=f"valg {i}") for i in range(30)),
    )
    blocks = to_blocks(message)
    assert_valid_blocks(blocks)
    assert blocks[0]["text"]["text"].endswith("…")
    assert sum(len(e["elements"]) for e in blocks if e["type"] == "actions") == 30


def test_escape() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
