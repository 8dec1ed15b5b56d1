import math

from bench.fault_table import (
    SECTION_END,
    SECTION_START,
    ScenarioRow,
    Tally,
    markdown_table,
    percentile,
    results_with_section,
    tally,
)


def test_it_counts_sent_once_duplicates_and_missing_from_provider_receipts_and_delivery_rows():
    audience = ["once@x.org", "twice@x.org", "thrice@x.org", "uncertain@x.org", "failed@x.org", "skipped@x.org",
                "sent-not-received@x.org", "pending@x.org", "no-row@x.org"]
    received = {"once@x.org": 1, "twice@x.org": 2, "thrice@x.org": 3, "stranger@x.org": 1}
    statuses = {"once@x.org": "sent", "twice@x.org": "sent", "thrice@x.org": "uncertain", "uncertain@x.org": "uncertain",
                "failed@x.org": "failed", "skipped@x.org": "skipped", "sent-not-received@x.org": "sent",
                "pending@x.org": "pending"}

    # Accounted (uncertain, failed, skipped) is not missing; sent without a receipt, pending, or no row at all is.
    assert tally(audience, received, statuses) == Tally(recipients=9, sent_once=1, duplicates=2, missing=3)


def test_it_counts_a_skipped_reader_who_received_it_anyway_as_sent_once_not_missing():
    assert tally(["left@x.org"], {"left@x.org": 1}, {"left@x.org": "skipped"}) == Tally(1, 1, 0, 0)


def test_it_takes_nearest_rank_percentiles_with_never_arrived_as_infinite():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([1.0, math.inf], 0.99) == math.inf
    assert math.isnan(percentile([], 0.5))


def test_it_formats_one_row_per_scenario_with_the_account_and_the_recovery_time():
    finished = ScenarioRow(key="b", title="PostgreSQL restarted", tally=Tally(20_000, 19_000, 0, 0), finished=True,
                           account={"sent": 19_000, "uncertain": 1_000}, send_seconds=336.4, recovery_seconds=301.2,
                           notes=["PostgreSQL down 1.0 s", "send_digest --wait exited 1"])
    unfinished = ScenarioRow(key="d", title="worker | killed", tally=Tally(20_000, 5_000, 0, 0),
                             account={"sent": 5_000, "pending": 15_000})
    during = ScenarioRow(key="h", title="subscribes", finished=True, send_seconds=80, recovery_seconds=-12.0)
    baseline = ScenarioRow(key="a", title="baseline", finished=True, send_seconds=82.0)

    lines = markdown_table([finished, unfinished, during, baseline]).splitlines()

    assert lines[0].startswith("| scenario | recipients | sent once | duplicates | missing |")
    assert lines[2] == ("| (b) PostgreSQL restarted | 20,000 | 19,000 | 0 | 0 | 19000/0/1000/0 | 336 | 301 | "
                        "PostgreSQL down 1.0 s; send_digest --wait exited 1 |")
    assert lines[3] == ("| (d) worker / killed | 20,000 | 5,000 | 0 | 0 | 5000/0/0/0 (+15000 pending) | did not finish | "
                        "did not finish |  |")
    assert "| 80 | ended during the fault |" in lines[4]
    assert lines[5] == "| (a) baseline | - | - | - | - | - | 82 | - |  |"


def test_it_rewrites_only_the_latest_run_section_of_the_results_file():
    record = "# Faults\n\nBefore/after kept by hand.\n"
    first = results_with_section(record, "run 1")
    assert first.startswith(record) and f"{SECTION_START}\nrun 1\n{SECTION_END}" in first

    second = results_with_section(first + "\nNotes after the section.\n", "run 2")
    assert "run 1" not in second and "run 2" in second
    assert second.startswith(record) and second.endswith("Notes after the section.\n")
    assert results_with_section("", "run").startswith("# Fault scenarios")
