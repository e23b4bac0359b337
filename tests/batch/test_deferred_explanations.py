"""Explanations written only when read: a batch of every park writes none of its results' texts, and a
text read later is, word for word and in both languages, the one written at once before (the
snapshot eager_explanations.json, taken from the evaluation that wrote every text at once)."""
import json
import pickle
from pathlib import Path

from babel import Locale

from core.records.batch import evaluate_facts, rules_by_jurisdiction_code
from core.rules.criteria import UNSAID, CriterionResult
from tests.batch.explained_parks import AS_OF, CODES, YEAR, explanations, parks

EAGER = Path(__file__).with_name("eager_explanations.json")


def unsaid(result):
    return result.__dict__["_explanation"] is UNSAID and result.__dict__["_explanation_en"] is UNSAID


def test_deferred_texts_read_as_the_eager_ones_in_both_languages(world, registry):
    assert explanations(registry) == json.loads(EAGER.read_text(encoding="utf-8"))


def test_the_batch_writes_no_computed_explanation_until_one_is_read(world, registry):
    rules = rules_by_jurisdiction_code(registry)
    facts = {}
    for code in CODES:
        for name, park in parks().items():
            park.id, park.jurisdiction = len(facts) + 1, code
            facts[park.id] = park
    results = evaluate_facts(facts, YEAR, AS_OF, rules)
    computed = [(e.jurisdiction, r) for e in results.values() for r in e.results if r.explain is not None]
    assert len(computed) > 100 and all(unsaid(r) for _code, r in computed)
    # The county's criteria inherited from its city are reworded only when read, too.
    assert any(code == "changzhi-luzhou" and r.source == "changzhi" for code, r in computed)
    eager = json.loads(EAGER.read_text(encoding="utf-8"))
    for park_id, evaluation in results.items():
        park = facts[park_id]
        for r in evaluation.results:
            assert [r.status, r.explanation_en, r.explanation] == [
                eager[f"{park.jurisdiction}/{park.name}/{r.criterion_id}"][i] for i in (0, 2, 1)]


def test_an_explanation_is_written_once_and_kept():
    calls = []

    def explain():
        calls.append(1)
        return "中文", "English"

    result = CriterionResult("c", "第一条", "条件", "Condition", "met", explain=explain)
    assert unsaid(result) and not calls
    assert (result.explanation_en, result.explanation, result.explanation_en) == ("English", "中文", "English")
    assert len(calls) == 1
    assert result.as_dict()["explanation"] == "中文"


def test_a_text_given_or_set_stays_over_the_deferred_one():
    result = CriterionResult("c", "第一条", "条件", "Condition", "met", explain=lambda: ("中文", "English"))
    result.explanation = "另写的"
    assert (result.explanation, result.explanation_en) == ("另写的", "English")
    given = CriterionResult("c", "第一条", "条件", "Condition", "met", explanation="给定", explanation_en="given")
    assert (given.explanation, given.explanation_en, given.explain) == ("给定", "given", None)
    assert CriterionResult("c", "第一条", "条件", "Condition", "met").explanation == ""


def test_an_explanation_is_shown_in_the_language_asked_for():
    result = CriterionResult("c", "第一条", "条件", "Condition", "met", explain=lambda: ("中文", "English"))
    assert result.explanation_in("zh_CN") == "中文"
    assert result.explanation_in(Locale.parse("zh_Hans_CN")) == "中文"
    assert result.explanation_in("en") == "English"
    assert result.explanation_in(Locale.parse("en")) == "English"


def test_a_pickled_result_carries_its_written_texts():
    result = CriterionResult("c", "第一条", "条件", "Condition", "met", explain=lambda: ("中文", "English"))
    copy = pickle.loads(pickle.dumps(result))
    assert (copy.explanation, copy.explanation_en, copy.explain) == ("中文", "English", None)
    assert copy == result
