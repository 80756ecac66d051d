"""Attribution from spaCy's parse (analysis/speech.py), speaker names merged across sources
(analysis/names.py), and quotes and reported statements with their speakers (analysis/quotes.py).
Every sentence is invented for these tests."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsbrief.analysis.attribution import speaker
from newsbrief.analysis.names import canonical_names
from newsbrief.analysis.quotes import attributed_sentences, quotes, statements
from newsbrief.analysis.speech import attributions, clear_cache, content_sentences, quote_openings
from newsbrief.nlp import parser
from newsbrief.sentences import split_sentences
from newsbrief.records import Article

# (sentence, the speakers of its attributions, outermost first, as short names)
ATTRIBUTIONS = [
    ("Harbour master Ana Ruiz said the port would reopen on Monday.", ["Harbour master Ana Ruiz"]),
    ("The port would reopen on Monday, harbour master Ana Ruiz said.", ["harbour master Ana Ruiz"]),
    ('"We will reopen the port on Monday," said Ana Ruiz, the harbour master.', ["Ana Ruiz"]),
    ("The toll rose to 23, according to the Provincial Emergency Agency.", ["the Provincial Emergency Agency"]),
    ("According to two engineers who saw the report, the cracks had widened.", ["two engineers"]),
    ("The head of the harbour authority, Ana Ruiz, told reporters that fees would rise.", ["Ana Ruiz"]),
    ('"We had some problems," Ruiz, Velmor\u2019s harbour master, said on Tuesday.', ["Ruiz"]),
    ("\u201cWe had some issues,\u201d Ruiz, Portavel\u2019s director of harbour and coastal affairs, said Tuesday.", ["Ruiz"]),
    ("Ana Ruiz and Tomas Varga said the port would reopen.", ["Ana Ruiz and Tomas Varga"]),
    ("The dunes are drier than the poles, said study co-author Lena Ostrova, a Castavia Institute fellow.",
     ["co-author Lena Ostrova"]),
    ("Dr. Pell Ostrander of the Castavia Institute warned that the levee could fail.", ["Dr. Pell Ostrander"]),
    ("Officials in the provincial capital said 40 people had been rescued.", ["Officials in the provincial capital"]),
    ("The union, which represents 3,000 dockers, argued that the plan was unsafe.", ["The union"]),
    ("The ministry estimated that repairs would cost $40 million.", ["The ministry"]),
    ("The insurers put the damage at $1.2 billion.", ["The insurers"]),
    ("Lawmakers criticized the delay, saying residents had been left without water.", ["Lawmakers"]),
    ("The council issued a statement saying the bridge was safe.", ["The council"]),
    ("Polls show the mayor trailing her rival by six points.", ["Polls"]),
    ("The levee held overnight, the agency said, though water kept rising.", ["the agency"]),
    ("Back at the depot, the driver said, he found the gate open.", ["the driver"]),
    ("The governor believes the dam can be repaired within a year.", ["The governor"]),
    ("The company plans to close two plants by March.", ["The company"]),
    ("Ruiz denied that the port had been warned.", ["Ruiz"]),
    ("Residents complained that the sirens never sounded.", ["Residents"]),
    ("MAYOR CALDER: We will rebuild every house in this town.", ["MAYOR CALDER"]),
    ('"The water came in minutes." ― Oda Brenner', ["Oda Brenner"]),
    ("Harbour Board Chief on Fee Rise: 'We Had No Choice'", ["Harbour Board Chief"]),
    ("In the latest poll, the mayor leads by four points.", ["the latest poll"]),
    ("The minister's claim that the dam was inspected in March was disputed.", ["The minister"]),
    ("Analysts say the bank will cut rates by 50 basis points.", ["Analysts"]),
    ("Prices will keep rising, analysts say.", ["analysts"]),
    ('"It is too early to say," a spokesperson for the ministry told the Castavia Wire.', ["a spokesperson for the ministry"]),
    ('"I may be," says Ana Ruiz, almost cheerfully, and pointing at the flooded quay.', ["Ana Ruiz"]),
    ("The Castavia Department of Public Works said the coast road would reopen.",
     ["The Castavia Department of Public Works"]),
    ("The bridge reopened on Friday.", []),
    ("Rain fell across the basin for a third day.", []),
    ("The town's football team won the cup on Saturday.", []),
    ("The spillway gates were replaced in 2019.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), ATTRIBUTIONS)
def test_attributions(sentence: str, expected: list[str]) -> None:
    found = attributions(parser()(sentence))
    assert [said.speaker(sentence) for said in found][: len(expected) or None] == expected


def test_a_cue_inside_a_quotation_is_part_of_the_quote() -> None:
    sentence = '"Every engineer I know said the wall was failing," Ruiz said.'
    assert [said.speaker(sentence) for said in attributions(parser()(sentence))] == ["Ruiz"]


def test_the_source_keeps_its_description_and_the_name_drops_it() -> None:
    sentence = "Ana Ruiz, the harbour master since 2019, said fees would rise."
    said = attributions(parser()(sentence))[0]
    assert said.source_text(sentence) == "Ana Ruiz, the harbour master since 2019"
    assert said.speaker(sentence) == "Ana Ruiz"
    assert sentence[said.content[0] : said.content[1]] == "fees would rise"


@pytest.mark.parametrize(("sentence", "figure", "expected"), [
    ("About 12,000 residents were evacuated, officials said, though the agency put the figure at 15,000.", "12,000", "officials"),
    ("About 12,000 residents were evacuated, officials said, though the agency put the figure at 15,000.", "15,000", "the agency"),
    ("The damage reached $1.2 billion, according to an early estimate by the Insurance Association.", "1.2", "the Insurance Association"),
    ("A spokesperson for the ministry declined to comment on the 40 missing.", "40", None),
    ("He said 300 homes were lost.", "300", None),
    ("About 900 people fled the valley, a police officer said, according to the Castavia Wire.", "900", "a police officer"),
    ('"We counted 40 boats in the harbour," a coastguard officer said, according to the Castavia Wire.', "40",
     "a coastguard officer"),
])
def test_who_claims_a_figure(sentence: str, figure: str, expected: str | None) -> None:
    assert speaker(sentence, at=sentence.find(figure)) == expected


def test_a_quotation_over_several_sentences_belongs_to_its_tag() -> None:
    texts = ["The mayor spoke at dawn.", '"The water came in minutes.', "Nobody had time to take anything.",
             'We will rebuild," Calder said.', "The river fell overnight."]
    inside = quote_openings(texts)
    assert inside == [False, False, True, True, False]
    said = attributions(parser()(texts[3]), inside[3])[0]
    assert said.speaker(texts[3]) == "Calder"
    assert content_sentences(texts, 3, said) == (1, 3)


def test_a_quotation_in_one_sentence_stays_in_it() -> None:
    text = 'The mayor spoke at dawn.\n"The water came in minutes. We will rebuild," Calder said.\nThe river fell.'
    texts = [s.text for s in split_sentences("x", text)]
    tag = next(i for i, t in enumerate(texts) if "Calder said" in t)
    said = attributions(parser()(texts[tag]))[0]
    assert content_sentences(texts, tag, said) == (tag, tag)


def test_a_tag_announcing_a_quotation_takes_the_next_sentence() -> None:
    texts = ["Calder continued:", '"We will rebuild every house.', 'Every single one."', "Rain is forecast."]
    said = attributions(parser()(texts[0]))[0]
    assert said.speaker(texts[0]) == "Calder"
    assert content_sentences(texts, 0, said) == (0, 2)


@pytest.mark.parametrize(("names", "expected"), [
    (["Interior Minister Tomas Varga", "Varga", "Mr. Varga", "Tomas Varga"],
     {"Varga": "Interior Minister Tomas Varga", "Mr. Varga": "Interior Minister Tomas Varga",
      "Tomas Varga": "Interior Minister Tomas Varga"}),
    (["Oleksa Hrynenko", "Hrynenkko"], {"Hrynenkko": "Oleksa Hrynenko"}),
    (["Pak Sun Ho", "Pak"], {"Pak": "Pak Sun Ho"}),
    (["the agency", "the Provincial Emergency Agency"], {"the agency": "the Provincial Emergency Agency"}),
    (["the agency", "the Provincial Emergency Agency", "the Castavian Space Agency"], {"the agency": "the agency"}),
    (["Ana Ruiz", "Ben Ruiz", "Ruiz"], {"Ana Ruiz": "Ana Ruiz", "Ben Ruiz": "Ben Ruiz"}),
    (["officials", "analysts"], {"officials": "officials", "analysts": "analysts"}),
    (["Bishop Anselm Ferro", "Bishop Ferro"], {"Bishop Ferro": "Bishop Anselm Ferro"}),
    (["Oriana Vell Marsh", "Oriana Marsh", "Oriana Vell"], {"Oriana Marsh": "Oriana Vell Marsh", "Oriana Vell": "Oriana Vell"}),
    (["Ruiz and Varga", "Ruiz", "Varga"], {"Ruiz": "Ruiz", "Varga": "Varga"}),  # two people, not a full name
])
def test_one_name_per_speaker_across_sources(names: list[str], expected: dict[str, str]) -> None:
    mapping = canonical_names(names)
    for name, canonical in expected.items():
        assert mapping[name] == canonical


def _article(article_id: str, outlet: str, text: str) -> Article:
    domain = f"{outlet.lower().replace(' ', '')}.example"
    return Article(id=article_id, url=f"https://{domain}/{article_id}", domain=domain, title="Flood",
                   outlet=outlet, text=text, published_at=datetime(2026, 3, 4, tzinfo=timezone.utc),
                   sentences=split_sentences(article_id, text))


def _quote_speakers(article: Article) -> dict[str, object]:
    return {q["text"]: q["speaker"] for q in quotes([article])}


def test_quotes_take_the_last_named_speaker_for_he_said() -> None:
    article = _article("a1", "Valley Courier", (
        "Harbour master Ana Ruiz said the port would stay shut until Friday.\n"
        '"We cannot risk another ship in that channel," she said.\n'
        '"The dredgers arrive on Thursday and not a day sooner," Ruiz added.'))
    found = quotes([article])
    assert [(q["speaker"], q["text"]) for q in found] == [
        ("Harbour master Ana Ruiz", "We cannot risk another ship in that channel"),
        ("Harbour master Ana Ruiz", "The dredgers arrive on Thursday and not a day sooner"),
    ]


def test_reported_speech_becomes_statements_with_one_name_per_speaker() -> None:
    first = _article("a1", "Valley Courier", (
        "Interior Minister Tomas Varga said the army had sent 400 soldiers to the valley.\n"
        "The river crested on Tuesday night."))
    second = _article("a2", "Harbor Daily", (
        "Varga told reporters that an inquiry into the collapse would begin next week.\n"
        "The agency said on Monday that the shelters were full."))
    found = statements([first, second])
    assert {(s["speaker"], s["text"]) for s in found} == {
        ("Interior Minister Tomas Varga", "the army had sent 400 soldiers to the valley"),
        ("Interior Minister Tomas Varga", "an inquiry into the collapse would begin next week"),
        ("The agency", "the shelters were full"),
    }
    assert all(s["citations"] for s in found)


def test_without_a_parse_the_patterns_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken spaCy install must not stop a brief: the word patterns take over."""
    import newsbrief.analysis.speech as speech

    monkeypatch.setattr(speech, "parser_or_none", lambda: None)
    clear_cache()
    speaker.cache_clear()
    try:
        assert speaker("The toll rose to 23, according to the Provincial Emergency Agency.") == (
            "the Provincial Emergency Agency")
    finally:
        clear_cache()
        speaker.cache_clear()


def test_the_parse_is_made_at_extraction_and_stored_with_each_sentence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsbrief.extract import extract
    from newsbrief.ingest import ingest_articles
    from newsbrief.records import RawDocument
    from newsbrief.store.sqlite import SQLiteStore

    text = ("Harbour master Ana Ruiz said the port would stay shut until Friday.\n"
            "Gulls circled the empty quay all afternoon.\n"
            "The damage reached $40 million, according to the Harbour Board.")
    article = extract(RawDocument(origin="test", url="https://valley.example/port", text=text, title="Port shut",
                                  outlet="Valley Courier", published_at=datetime(2026, 3, 4, tzinfo=timezone.utc)))
    parsed = [s.speech is not None for s in article.sentences]
    assert parsed == [True, False, True]  # the gulls name no one: not parsed
    with SQLiteStore(tmp_path / "t.db") as store:
        ingest_articles([article], store)
    with SQLiteStore(tmp_path / "t.db") as store:
        stored = store.story_articles(int(store.stories()[0].id))[0]
    assert [s.speech for s in stored.sentences] == [s.speech for s in article.sentences]
    clear_cache()
    from newsbrief.analysis.speech import prepare, unpack
    prepare(stored.sentences)
    assert [said.speaker(stored.sentences[2].text) for said in unpack(stored.sentences[2].speech)] == [
        "the Harbour Board"]
    assert speaker(stored.sentences[0].text) == "Harbour master Ana Ruiz"


def test_a_forward_looking_he_warned_is_attributed_to_the_person_named_before() -> None:
    from newsbrief.analysis.quotes import story_speakers

    article = _article("a1", "Valley Courier", (
        "Dr. Pell Ostrander of the Castavia Institute said the levee had been inspected on Tuesday.\n"
        "He warned that the levee could fail if the river rose another metre.\n"
        "They said the pumps were working."))
    speakers = story_speakers([article])
    assert speakers["a1:1"] == "Dr. Pell Ostrander"
    assert speakers["a1:2"] is None  # "they": no one named to resolve it to


def test_titles_in_quotation_marks_are_not_quotes_and_repeated_statements_collapse() -> None:
    article = _article("a1", "Valley Courier", (
        'Ana Ruiz said her memoir, "Tides of the Orrin Valley: A Harbour Life", would appear in May.\n'
        "Harbour master Ana Ruiz said the port would stay shut until Friday.\n"
        "Ruiz said the port would stay shut until Friday at noon."))
    assert quotes([article]) == []
    assert [s["text"] for s in statements([article])] == ["the port would stay shut until Friday at noon"]


def test_statements_need_someone_speaking() -> None:
    article = _article("a1", "Valley Courier", "The fight over the harbour budget showed that tempers were high.")
    assert statements([article]) == []


def test_a_statement_keeps_the_verb_that_is_more_than_saying() -> None:
    from newsbrief.render.claims import statement_speaker

    article = _article("a1", "Valley Courier", (
        "Interior Minister Tomas Varga denied that the dam had been neglected.\n"
        "Harbour master Ana Ruiz said the port would stay shut until Friday."))
    shown = {statement_speaker(s): s["text"] for s in statements([article])}
    assert shown == {"Interior Minister Tomas Varga denied": "the dam had been neglected",
                     "Harbour master Ana Ruiz": "the port would stay shut until Friday"}


def test_photo_captions_are_not_quotes_figures_or_events() -> None:
    from newsbrief.analysis.claims import claims_in, timeline

    article = _article("a9", "Valley Courier", (
        "Harbour master Ana Ruiz said on Tuesday that the port would stay shut until Friday.\n"
        'Ana Ruiz, who said "we cannot risk another ship," is seen in this undated file photo released by the '
        "Harbour Board on Jan. 12, 2024.\n"
        "Dredgers pulled 40 tonnes of silt from the channel, in this photo provided by the Harbour Board."))
    assert [q["text"] for q in quotes([article])] == []
    assert [c.figure.value for c in claims_in([article])] == []
    assert [event["date"] for event in timeline([article])] == ["2026-03-03"]
    from newsbrief.boilerplate import is_furniture

    assert not is_furniture("A picture taken by the harbour photographer went viral on Monday.")  # the report itself
    assert not is_furniture("A photo released by police shows the suspect in a red jacket.")
    assert not is_furniture("Updated rules took effect in 2019.") and not is_furniture("The blast came at 5:30 p.m.")
    assert not is_furniture("The levy (and/or the fee) rose.")
    for furniture in ("Posted Tuesday, November 21, 2026 5:27 pm", "November 29, 2026, 10:58:22 AM #18",
                      "This booking photo released by the Velmor Police Department shows the harbour master.",
                      "(Oda Brenner/The Valley Courier) Ana Ruiz will not file charges.",
                      "(Oda Brenner / Valley Courier) Ana Ruiz will not file charges."):
        assert is_furniture(furniture), furniture


def test_a_statement_is_what_was_said_not_what_was_mentioned() -> None:
    article = _article("a8", "Valley Courier", (
        "Analyst Oda Brenner noted the reopening of the port in a note to clients on Tuesday.\n"
        "Brenner said the dredgers would need another month to clear the channel.\n"
        "Harbour master Ana Ruiz announced a review of every permit issued since 2019.\n"
        "Some said they had waited three days for the ferry to return.\n"
        "Harbour Board officials said Monday the ferry was one of two boats that lost power."))
    found = {(s["speaker"], s["text"]) for s in statements([article])}
    assert ("Analyst Oda Brenner", "the dredgers would need another month to clear the channel") in found
    assert not any("reopening" in text for _, text in found)
    assert not any(speaker == "Some" for speaker, _ in found)  # a quantifier names no one
    assert ("Harbour Board officials", "the ferry was one of two boats that lost power") in found  # not "Monday the ferry"
    assert any(text == "a review of every permit issued since 2019" for _, text in found)  # an announcement says something


def test_stored_attributions_read_back_whole() -> None:
    from newsbrief.analysis.speech import pack, unpack

    sentence = "Analyst Oda Brenner noted the reopening of the port on Tuesday."
    found = tuple(attributions(parser()(sentence)))
    assert found and found[0].nominal
    assert unpack(pack(found)) == found
    assert unpack([row[:8] for row in pack(found)])[0].nominal is False  # rows stored before the flag


def test_he_said_is_the_person_the_sentence_opens_with() -> None:
    article = _article("a7", "Valley Courier", (
        "Harbour master Ana Ruiz said the port would stay shut until Friday.\n"
        'Tomas Brell was arrested in May for a radio call in which he said he would "sink every dredger in the bay."\n'
        '"We will not be threatened," she said.\n'
        '"Brell never meant any of it," she said in an email.\n'
        "Dredgers, she said, would arrive on Thursday."))
    found = _quote_speakers(article)
    assert found["sink every dredger in the bay."] == "Tomas Brell"
    assert found["We will not be threatened"] == "Harbour master Ana Ruiz"  # "she": the last speaker named
    assert found["Brell never meant any of it"] == "Harbour master Ana Ruiz"  # not the name inside the quote
    speakers = dict((s.text, who) for s, who in attributed_sentences(article))
    assert speakers["Dredgers, she said, would arrive on Thursday."] == "Harbour master Ana Ruiz"  # not "Dredgers"


def test_a_statement_keeps_the_bracket_it_opens() -> None:
    article = _article("a6", "Valley Courier",
                       "A man admitted threatening Rep. Oda Brenner (D-Cas.), the Attorney's Office announced Monday.")
    assert [s["text"] for s in statements([article])] == ["A man admitted threatening Rep. Oda Brenner (D-Cas.)"]


def test_days_furniture_and_possessives_are_not_speakers() -> None:
    article = _article("a5", "Valley Courier", (
        '"There is no sign of the ferry," Senator Oda Brenner told the Castavia Wire on Sunday.\n'
        "(WATCH: Sunday shows in 90 seconds)\n"
        '"This is a very difficult search," she said.\n'
        'Critics took aim at her claim that the coastguard had been "slow and badly led" all week.'))
    found = _quote_speakers(article)
    assert found["This is a very difficult search"] == "Senator Oda Brenner"
    assert found["slow and badly led"] == "Senator Oda Brenner"  # "her claim": hers, not "her"


def test_he_said_after_a_retort_to_someone_elses_remark() -> None:
    article = _article("a4", "Valley Courier", (
        '"The port stays open," Ambassador Tomas Brell said on Sunday.\n'
        "The ambassador also had a retort to Governor Ana Ruiz's remark that the port was \"a danger to shipping.\"\n"
        '"If you consider the port a danger, look at the roads," he said.'))
    found = _quote_speakers(article)
    assert found["If you consider the port a danger, look at the roads"] == "Ambassador Tomas Brell"


def test_a_possessor_is_named_without_its_s_and_is_not_the_next_he() -> None:
    lines = ["Harbour master Tomas Brell said the port would stay shut until Friday."]
    lines += [f"The quay was quiet on day {n}." for n in range(2, 12)]  # past the first sentences: not parsed
    lines += ["Pastors also criticized Ruiz’s mocking impression of a reporter.",
              'Later he added, "You ought to see the channel."']
    article = _article("a3", "Valley Courier", "\n".join(lines))
    speakers = [who for _, who in attributed_sentences(article) if who]
    assert "Ruiz’s" not in speakers
    assert _quote_speakers(article)["You ought to see the channel."] == "Harbour master Tomas Brell"


def test_a_caption_for_a_title_does_not_head_the_brief() -> None:
    from newsbrief import ExtractiveWriter

    caption = _article("b1", "Valley Courier", (
        "Harbour master Ana Ruiz said the port would stay shut until Friday after the storm.\n"
        "Dredgers will clear the channel of silt and two sunken barges this week."))
    caption.title = "FILE - In this March 3, 2024 file photo, harbour master Ana Ruiz speaks to reporters."
    report = _article("b2", "Castavia Wire", (
        "The port of Velmor will stay shut until Friday, harbour master Ana Ruiz said after the storm.\n"
        "Two sunken barges block the channel, and dredgers will clear them this week."))
    report.title = "Velmor port shut until Friday after storm"
    caption.published_at = report.published_at.replace(hour=9)
    assert ExtractiveWriter().write([caption, report]).headline == "Velmor port shut until Friday after storm"


def test_pattern_guesses_do_not_override_the_parse() -> None:
    article = _article("a2", "Valley Courier", (
        "(PHOTOS: Celebrities call for a new harbour)\n"
        'Brell said he expected the storm: "I knew what we were going to be getting into," he said.\n'
        '"I enjoy watching the tide come in. Having said that, I do not like the silt it leaves behind."'))
    speakers = {s.text[:12]: who for s, who in attributed_sentences(article)}
    assert speakers["Brell said h"] == "Brell"
    assert speakers['"I enjoy wat'] == "Brell"  # not "Having" (said that): the quotation goes on with Brell
    assert speakers["(PHOTOS: Cel"] is None


def test_a_quotation_on_its_own_goes_on_with_the_speaker_before_it() -> None:
    article = _article("a1", "Valley Courier", (
        'Neighbour Oda Brenner said she heard shouting from the quay at dawn.\n'
        '“He says he can’t breathe.”\n'
        "The harbour stayed closed all morning.\n"
        '“Nobody came for an hour.”'))
    speakers = [who for _, who in attributed_sentences(article)]
    assert speakers[1] == "Neighbour Oda Brenner"
    assert speakers[3] is None  # the sentence before it names no speaker
