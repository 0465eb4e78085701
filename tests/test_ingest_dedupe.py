import subprocess
import sys

import pytest

from according.ingest.dedupe import NearDuplicateIndex, shingles, signature, similarity

BODY = """Kremlin spokesperson Dmitry Peskov on Thursday called "inaccurate" a report that Vladimir Putin and Dmitry \
Medvedev had sent Donald Trump informal congratulations through intermediaries after his election victory.
The independent outlet Verstka reported on November 6, citing unnamed sources in the Russian parliament and close to \
the Kremlin, that the congratulations had been passed on the same night the results became clear.
"The congratulations were passed on through people who have contacts with Trump's team," one source told the outlet. \
Another source said Medvedev had sent a separate message.
Peskov told reporters that the Kremlin had no plans to congratulate Trump, recalling that Russia considers the \
United States an unfriendly country that is directly and indirectly involved in the war against it.
He added that Putin would be guided by Trump's actions rather than his words, and that any contacts would depend on \
the position of the new administration in Washington."""

ORIGINAL = "Kremlin denies reports of Putin congratulating Trump\n" + BODY + "\n© 2024 Caliber.Az. All rights reserved."
SYNDICATED = ("PESKOV: REPORT OF SECRET CONGRATULATIONS TO TRUMP IS 'INACCURATE'\nBy Wire Staff, Moscow\n\n"
              + BODY.replace("\n", "\n\n") + "\n\nThis story was provided by a wire agency. Follow us on Telegram "
              "for more news from the region and subscribe to our newsletter.")
SAME_TOPIC = """The Kremlin said on Thursday that President Vladimir Putin had no immediate plans to call \
Donald Trump, days after the Republican won the US presidential election.
Spokesperson Dmitry Peskov told reporters that Moscow would judge the new administration by its deeds, and said Russia \
remained open to dialogue on Ukraine if Washington showed readiness.
Analysts in Moscow said the Kremlin was cautious after years of strained relations and sanctions, and that a quick \
thaw was unlikely despite Trump's campaign promises to end the war.
Peskov declined to comment on reports about informal congratulations sent through intermediaries, saying he had \
nothing to add to earlier statements about the Kremlin and Trump."""


def test_dedupe_syndicated_copy_is_linked_and_same_topic_story_is_not():
    index = NearDuplicateIndex()
    assert index.add("original", signature(ORIGINAL)) is None
    assert index.add("copy", signature(SYNDICATED)) == "original"
    assert index.add("other", signature(SAME_TOPIC)) is None
    assert similarity(signature(ORIGINAL), signature(SAME_TOPIC)) < 0.2


def test_dedupe_copy_of_a_copy_points_at_the_original_and_re_adding_is_idempotent():
    index = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    index.add("copy", signature(SYNDICATED))
    second_copy = SYNDICATED.replace("By Wire Staff, Moscow", "Staff and agencies")
    assert index.add("copy2", signature(second_copy)) == "original"
    assert index.add("copy", signature(SYNDICATED)) == "original"
    assert index.add("original", signature(ORIGINAL)) is None
    assert len(index) == 3 and "copy2" in index and index.original_of("copy2") == "original"


def test_dedupe_query_does_not_add():
    index = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    assert index.query(signature(SYNDICATED)) == "original"
    assert len(index) == 1


def test_dedupe_signature_is_deterministic_across_processes():
    code = ("import sys; from according.ingest.dedupe import signature; "
            "sys.stdout.write(signature(sys.stdin.read()).hex())")
    other = subprocess.run([sys.executable, "-c", code], input=ORIGINAL, capture_output=True, text=True, check=True)
    assert bytes.fromhex(other.stdout) == signature(ORIGINAL)
    assert signature(ORIGINAL) != signature(SAME_TOPIC)


def test_dedupe_shingles_ignore_case_and_punctuation():
    plain = shingles("peskov said the report he said was false")
    assert shingles("Peskov said: the report, he SAID, was false") == plain
    assert shingles("Two words") == {"two words"}
    with pytest.raises(ValueError):
        signature(" ... ")


def test_dedupe_rewrite_with_its_own_reporting_stays_an_article():
    paragraphs = BODY.split("\n")
    rewrite = "\n".join([
        "Russia's presidential spokesman rejected on Thursday as inaccurate claims that Putin and Medvedev quietly "
        "congratulated Trump on winning the election, passing their messages through go-betweens.",
        paragraphs[1], paragraphs[2],
        "Two diplomats in Washington told this newspaper they had seen no sign of such messages, and a Trump "
        "campaign adviser declined to comment when asked about the report on Friday.",
        "Asked whether Putin would call Trump, Peskov said no such conversation was planned for now.",
    ])
    index = NearDuplicateIndex()
    index.add("original", signature(ORIGINAL))
    assert 0.2 < similarity(signature(ORIGINAL), signature(rewrite)) < 0.6
    assert index.add("rewrite", signature(rewrite)) is None


def test_dedupe_recheck_finds_an_original_another_writer_stored_and_moves_the_copies_over():
    # issue 9, item 7: this run took ORIGINAL for an original (its index was built before the other run stored its
    # own copy of the story); the other run's article now comes in as an original of the store
    index = NearDuplicateIndex()
    assert index.add("mine", signature(ORIGINAL)) is None
    assert index.add("my-copy", signature(SYNDICATED)) == "mine"
    assert index.add("unrelated", signature(SAME_TOPIC)) is None
    assert index.recheck("mine") is None  # its own copy does not count
    index.add("theirs", signature(ORIGINAL + "\nShared by the wire."), as_original=True)
    assert index.recheck("mine") == "theirs"
    assert index.original_of("mine") == index.original_of("my-copy") == "theirs"
    assert index.recheck("unrelated") is None and index.original_of("theirs") is None
