from bench import parts
from bench.report import Report


def test_it_puts_the_ratios_of_one_run_in_the_headline_with_their_targets(monkeypatch):
    monkeypatch.setattr(parts, "FIGURES", {
        "ours_locmem": 4000.0, "peer_locmem": 160.0,
        "batch_rate_10000": 3000.0, "batch_seconds_10000": 3.3, "batch_peak_10000": 100 * 2**20,
        "batch_rate_100000": 12000.0, "batch_seconds_100000": 8.3, "batch_peak_100000": 104 * 2**20,
        "batch_rate_1000000": 11000.0, "batch_seconds_1000000": 91.0, "batch_peak_1000000": 140 * 2**20,
        "smtp_rate_100000": 400.0,
        "web_subscribe_rps": 320.0, "web_subscribe_p99": 180.0, "web_one-click_rps": 600.0, "web_one-click_p99": 20.0,
    })
    report = Report()

    parts.headline(report)

    rows = {row.measure: row for row in report.headline}
    assert rows["per-message mode / django-newsletter (msg/s, in-memory backend)"].value == "25.0x"
    assert rows["per-message mode / django-newsletter (msg/s, in-memory backend)"].met is True
    assert rows["100,000 recipients handed to the provider (batch mode)"].met is True
    assert rows["batch mode / per-message SMTP mode at 100k (recipients/s)"].value == "30.0x"
    memory = rows["worker peak memory 1,000,000 / 10,000 recipients"]
    assert (memory.value, memory.met) == ("1.40x", False)
    assert rows["subscribe POST under gunicorn"].met is False  # fast enough, but p99 over 150 ms
    assert rows["one-click POST under gunicorn"].met is True
