"""Markdown is split into sentences; headings and code come back whole and marked."""

from __future__ import annotations

from grader.scoring.sentences import SentenceKind, split_sentences


def texts(markdown: str, kind: SentenceKind = SentenceKind.PROSE) -> list[str]:
    return [s.text for s in split_sentences(markdown) if s.kind is kind]


def test_a_paragraph_splits_at_sentence_ends():
    assert texts("The loss was flat. Then it rose! Why? Done.") == [
        "The loss was flat.",
        "Then it rose!",
        "Why?",
        "Done.",
    ]


def test_abbreviations_decimals_and_dotted_names_do_not_split():
    assert texts("Use e.g. np.mean with lr 0.5 here. Next one.") == [
        "Use e.g. np.mean with lr 0.5 here.",
        "Next one.",
    ]


def test_a_code_span_keeps_its_content_and_never_splits():
    assert texts("Call `np.random.default_rng(0). permutation` once. Done.") == [
        "Call np.random.default_rng(0). permutation once.",
        "Done.",
    ]


def test_wrapped_lines_of_a_paragraph_join_into_one_sentence():
    assert texts("The labels were\nshuffled on their own.") == [
        "The labels were shuffled on their own."
    ]


def test_bullets_and_numbered_items_are_separate_units():
    markdown = "- first item without a stop\n- second item\n1. third\n2) fourth\n"
    assert texts(markdown) == ["first item without a stop", "second item", "third", "fourth"]


def test_headings_are_marked_and_name_their_section():
    sentences = split_sentences("# Diagnosis\n\n## Softmax ##\nIt used axis 0.\n")
    assert [(s.kind, s.text) for s in sentences] == [
        (SentenceKind.HEADING, "Diagnosis"),
        (SentenceKind.HEADING, "Softmax"),
        (SentenceKind.PROSE, "It used axis 0."),
    ]
    assert sentences[-1].section == "Softmax"


def test_setext_headings_and_bold_lead_ins_are_headings():
    sentences = split_sentences("Findings\n========\n\n**Batching.** The rows moved.\n")
    assert texts("Findings\n========\n\n**Batching.** The rows moved.\n", SentenceKind.HEADING) == [
        "Findings",
        "Batching",
    ]
    assert sentences[-1].section == "Batching"


def test_fenced_and_indented_code_is_code_not_prose():
    markdown = "Text here.\n\n```python\nX = X[perm]. y = y[perm]\n```\n\n    z = 1\n"
    assert texts(markdown) == ["Text here."]
    assert texts(markdown, SentenceKind.CODE) == ["X = X[perm]. y = y[perm]", "z = 1"]


def test_an_unclosed_fence_hides_the_rest_as_code():
    assert texts("Before.\n```\nsoftmax(z, axis=0). More words.\n") == ["Before."]


def test_markup_is_removed_but_identifiers_keep_their_underscores():
    markdown = "**Bold** and _it_ and [a link](http://x.y) in <b>make_batches</b>."
    assert texts(markdown) == ["Bold and it and a link in make_batches."]


def test_html_comments_and_struck_text_are_not_read():
    markdown = "Visible. <!-- softmax axis leakage -->\n~~The softmax was wrong.~~ Kept."
    assert texts(markdown) == ["Visible.", "Kept."]


def test_lines_point_at_the_start_of_each_block():
    sentences = split_sentences("# T\n\nOne.\n\n- Two.\n")
    assert [s.line for s in sentences] == [1, 3, 5]


def test_table_rows_become_prose_and_rule_lines_vanish():
    markdown = "| bug | cause |\n|---|---|\n| labels | two permutations |\n"
    assert texts(markdown) == ["bug; cause", "labels; two permutations"]


def test_a_fence_nested_in_a_list_item_is_code():
    markdown = "1. The fix:\n\n    ```python\n    X, y = X[p], y[p]. done\n    ```\n2. Next item.\n"
    assert texts(markdown) == ["The fix:", "Next item."]


def test_markdown_a_reader_never_sees_is_not_read():
    markdown = (
        "Visible one.\n\n"
        '[//]: # "The labels were shuffled separately."\n'
        "[ref]: https://example.org 'a title\n"
        "that runs on'\n\n"
        '<div hidden style="display:none">\n\n<div>Nested and hidden.</div>\n\n'
        "Still hidden.\n\n</div>\n\n"
        'Seen <span style="display: none">unseen words</span> here.\n\n'
        "<script>hidden script</script><style>p {}</style>\n\n"
        "<details><summary>More</summary>Shown when opened.</details>\n"
    )
    assert texts(markdown) == ["Visible one.", "Seen here.", "More Shown when opened."]


def test_an_unclosed_hidden_element_hides_the_rest_and_keeps_line_numbers():
    sentences = split_sentences("<div hidden>\nA.\n</div>\n\nSeen.\n\n<p hidden>\nnever closed")
    assert [(s.text, s.line) for s in sentences] == [("Seen.", 5)]


def test_a_link_definition_inside_a_paragraph_is_text():
    assert texts("A sentence goes on\n[x]: y and ends here.") == [
        "A sentence goes on [x]: y and ends here."
    ]


def test_an_abbreviation_after_an_opening_bracket_does_not_split():
    # Terse writers put "e.g." and "incl." in brackets; the bracket must not hide them.
    assert texts("It is averaged (e.g. over the batch) here. Several (incl. the ETA) are off.") == [
        "It is averaged (e.g. over the batch) here.",
        "Several (incl. the ETA) are off.",
    ]
