"""Reasoning measures understanding: misconceptions cancel credit, disproved claims cost it,
and any honest wording earns it."""

from __future__ import annotations

from typing import Any

from grader.scoring.reasoning import DEFAULT_POLICY, FlagKind, score_reasoning
from grader.scoring.rubric import Rubric, parse_rubric

from .rubrics import problem


def phrase_concept(kind: str, *phrases: str, weight: float = 2) -> dict[str, Any]:
    return {"kind": kind, "weight": weight, "phrases": list(phrases)}


RUBRIC: Rubric = parse_rubric(
    {
        "synonyms": [["scaler", "rescaling", "averages and spreads"], ["test", "held-out"]],
        "problems": [
            problem(
                phrase_concept("location", "prepare", weight=1),
                phrase_concept("mechanism", "scaler fit on all rows", "scaler learned test rows"),
                phrase_concept("consequence", "test statistics leak into training"),
                phrase_concept("fix", "fit only on training rows"),
                misconceptions=[
                    {"label": "outliers", "phrases": ["scaler sensitive to =outliers"]},
                ],
            )
        ],
    },
    "inline.toml",
)
RIGHT = "The scaler was fit on all rows, so test statistics leak into training."
FIX = "I now fit it only on the training rows."


def test_a_stated_misconception_cancels_its_sentence_and_shows_in_the_evidence():
    text = f"The scaler is sensitive to outliers, so test statistics leak into training. {FIX}"
    result = score_reasoning(RUBRIC, text, {"scaling": True})
    row = result.rows[0]
    assert not row.explained and row.share == DEFAULT_POLICY.fixed_only
    assert [m.label for m in row.misconceptions] == ["outliers"]
    (flag,) = result.flagged(FlagKind.MISCONCEPTION)
    assert flag.message.startswith("explains 'scaler-leak' as outliers")
    assert any(m.rejected.startswith("states a misconception") for m in row.rejected)


def test_a_denied_misconception_is_not_one():
    text = f"The scaler is not sensitive to outliers. {RIGHT} {FIX}"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert not row.misconceptions and row.explained


def test_a_misconception_set_aside_with_rather_than_is_not_stated():
    # The set-aside words negate what follows them, never what comes before.
    aside = (
        "The problem was the scaler fit on all rows, rather than a scaler sensitive to outliers."
    )
    instead = "Instead of a scaler sensitive to outliers, the cause is a scaler fit on all rows."
    for text in (aside, instead):
        row = score_reasoning(RUBRIC, f"{text} {FIX}", {"scaling": True}).rows[0]
        assert not row.misconceptions and row.explained, text
    stated = "The scaler is sensitive to outliers rather than fit on all rows."
    row = score_reasoning(RUBRIC, f"{stated} {FIX}", {"scaling": True}).rows[0]
    assert [m.label for m in row.misconceptions] == ["outliers"]


def test_a_claimed_fix_the_tests_disprove_costs_credit_visibly():
    honest = score_reasoning(RUBRIC, RIGHT, {"scaling": False})
    claimed = score_reasoning(RUBRIC, f"{RIGHT} I fixed the scaler in prepare.", {"scaling": False})
    assert claimed.score < honest.score
    assert claimed.rows[0].penalty == DEFAULT_POLICY.disproved_claim
    assert claimed.rows[0].share == 0.0  # the code contradicts the claim: no explained credit
    assert claimed.score == 0.0
    (flag,) = claimed.flagged(FlagKind.UNSUPPORTED_CLAIM)
    assert f"-{100 * DEFAULT_POLICY.disproved_claim:.1f} points" in flag.message


def test_plain_everyday_words_earn_the_concepts():
    text = (
        "The averages and spreads were learned from the held-out rows as well, "
        "so test statistics leak into training. I now fit only on the training rows."
    )
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert row.explained and row.share > DEFAULT_POLICY.explained_floor


def test_terse_bullets_with_a_verb_are_prose():
    text = "- scaler fit on all rows -> test stats leak into training\n- fix: train rows only\n"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert row.explained


def test_the_evidence_shows_which_words_matched():
    row = score_reasoning(RUBRIC, RIGHT, {"scaling": True}).rows[0]
    mechanism = next(m for m in row.matches if m.kind.value == "mechanism")
    assert mechanism.matched == "scaler … fit … all … rows"
    assert mechanism.phrase == "scaler fit on all rows"


def test_a_right_consequence_does_not_rescue_a_stated_wrong_mechanism():
    text = (
        "The scaler is sensitive to outliers. The test statistics leak into training. "
        "In prepare I now fit only on the training rows."
    )
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert {m.kind.value for m in row.matches} >= {"consequence", "fix"}
    assert not row.explained and row.share == DEFAULT_POLICY.fixed_only


def test_a_mechanism_praised_instead_of_called_a_problem_explains_nothing():
    text = (
        "The scaler was fit on all rows, which gives the most stable statistics. "
        "Test statistics leak into training, and that is intended."
    )
    row = score_reasoning(RUBRIC, text, {"scaling": False}).rows[0]
    assert not row.explained and row.share == 0.0
    assert any(m.rejected.startswith("presented as good") for m in row.rejected)


def test_a_claim_that_everything_was_fixed_covers_every_problem():
    text = f"I found and fixed all the problems. {RIGHT}"
    result = score_reasoning(RUBRIC, text, {"scaling": False})
    assert result.rows[0].claim == "I found and fixed all the problems."
    assert result.rows[0].penalty == DEFAULT_POLICY.disproved_claim
    plan = score_reasoning(
        RUBRIC, f"Once all problems are fixed, it works. {RIGHT}", {"scaling": False}
    )
    assert not plan.rows[0].claim


def test_a_change_under_a_fix_heading_is_a_claim_in_any_person_but_a_plan_is_not():
    done = f"{RIGHT}\n\n### Fix\n\nChanged prepare to fit on the training rows only.\n"
    plan = f"{RIGHT}\n\n### Fix\n\nprepare should fit on the training rows only.\n"
    assert score_reasoning(RUBRIC, done, {"scaling": False}).rows[0].claim
    assert not score_reasoning(RUBRIC, plan, {"scaling": False}).rows[0].claim


def test_a_cause_named_in_a_term_list_earns_the_small_named_share_when_fixed():
    text = "- prepare: scaler fit on all rows, leak, test statistics\n- prepare, scaler, rows\n"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert not row.explained
    assert row.share in (DEFAULT_POLICY.fixed_and_named, DEFAULT_POLICY.fixed_only)


def test_a_misconception_picked_across_a_semicolon_is_not_stated():
    # "scaler ...; ... outliers" are two claims: neither says the scaler is outlier-sensitive.
    text = f"{RIGHT} Checked the scaler; it was sensitive enough; no outliers matter here. {FIX}"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert not row.misconceptions and row.explained


def test_a_misconception_denied_with_a_merged_not_phrase_is_not_stated():
    # "not useful" is one synonym token; its own "not" still denies what came before it.
    rubric = parse_rubric(
        {
            "synonyms": [["useless", "not useful"]],
            "problems": [
                problem(
                    phrase_concept("mechanism", "scaler fit on all rows"),
                    misconceptions=[{"label": "outliers", "phrases": ["=outliers =clipping"]}],
                )
            ],
        },
        "inline.toml",
    )
    text = f"Outliers clipping is not useful here. {RIGHT}"
    row = score_reasoning(rubric, text, {"scaling": True}).rows[0]
    assert not row.misconceptions and row.explained


def test_a_memo_area_argued_right_and_with_a_misconception_earns_the_named_share():
    # A memo that says both contradicts itself: the reviewer cannot tell which it would build.
    right = score_reasoning(RUBRIC, RIGHT, None).rows[0]
    assert right.explained and right.share > DEFAULT_POLICY.explained_floor
    both = f"{RIGHT} Also the scaler is sensitive to outliers, which hurts rare rows."
    row = score_reasoning(RUBRIC, both, None).rows[0]
    assert [m.label for m in row.misconceptions] == ["outliers"]
    assert row.share == DEFAULT_POLICY.fixed_and_named
    assert "contradicted by a misconception" in row.reason


def test_a_sentence_about_another_problems_code_does_not_explain_this_one():
    # "is_peak has a large weight ... huge predictions" shares consequence words with the
    # store-average problem, but it names only is_peak's code: it explains is_peak.
    def at(code: str, group: str, kind: str, phrase: str) -> dict[str, Any]:
        located = phrase_concept("location", code, weight=1)
        return problem(located, phrase_concept(kind, phrase), id=group, group=group,
                       locations=[code])  # fmt: skip

    problems = [
        at("store_averages", "leak", "consequence", "huge predictions"),
        at("is_peak", "peak", "mechanism", "hours in utc"),
    ]
    rubric = parse_rubric({"problems": problems}, "inline.toml")
    fixed = {"leak": True, "peak": True}
    about_peak = "Because is_peak has a large weight, it produced huge predictions live."
    row = score_reasoning(rubric, about_peak, fixed).rows[0]
    assert not row.matches or all(m.kind.value == "location" for m in row.matches)
    assert any(m.rejected == "about another problem's code" for m in row.rejected)
    about_store = "Because store_averages leaked the label, it produced huge predictions."
    row = score_reasoning(rubric, about_store, fixed).rows[0]
    assert any(m.kind.value == "consequence" for m in row.matches)
    # Under a heading that names only is_peak, a lead-in's sentence is about is_peak too.
    headed = "### 1. `is_peak`\n\n**Why:** it produced huge predictions live.\n"
    row = score_reasoning(rubric, headed, fixed).rows[0]
    assert not any(m.kind.value == "consequence" for m in row.matches)
    row = score_reasoning(rubric, headed.replace("is_peak", "store_averages"), fixed).rows[0]
    assert any(m.kind.value == "consequence" for m in row.matches)


def test_a_practice_called_a_mistake_is_not_stated_as_a_misconception():
    # "... would be a mistake" rejects the practice; for a right cause "is wrong" is no denial.
    text = f"Rescaling with a scaler sensitive to outliers would be a mistake. {RIGHT} {FIX}"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert not row.misconceptions and row.explained
    stated = f"The scaler is sensitive to outliers, which is why. {FIX}"
    row = score_reasoning(RUBRIC, stated, {"scaling": True}).rows[0]
    assert [m.label for m in row.misconceptions] == ["outliers"]
    wrong = "The scaler was fit on all rows, which is wrong: test statistics leak into training."
    row = score_reasoning(RUBRIC, f"{wrong} {FIX}", {"scaling": True}).rows[0]
    assert row.explained


def test_why_not_introduces_a_rejected_option_and_asserts_the_reason():
    # Terse writers put the reason after "why not X:"; the "not" rejects X, not the reason.
    text = "Why not keep the scaler: fit on all rows, it saw the held-out rows."
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert "mechanism" in {m.kind.value for m in row.matches}, row.reason
    denied = f"The scaler was not fit on all rows. {FIX}"
    assert not score_reasoning(RUBRIC, denied, {"scaling": True}).rows[0].explained


def test_a_diagnosis_stating_the_right_cause_and_a_wrong_one_earns_the_named_share():
    # Which does the candidate believe? A reviewer gives little for both at once.
    text = f"{RIGHT} On top of that, the scaler is sensitive to outliers. {FIX}"
    row = score_reasoning(RUBRIC, text, {"scaling": True}).rows[0]
    assert [m.label for m in row.misconceptions] == ["outliers"]
    assert row.share == DEFAULT_POLICY.fixed_and_named
    assert "contradicted by a misconception" in row.reason
    alone = score_reasoning(RUBRIC, f"{RIGHT} {FIX}", {"scaling": True}).rows[0]
    assert alone.share > DEFAULT_POLICY.explained_floor
