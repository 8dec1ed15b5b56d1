from bench.report import Report


def test_it_writes_the_headline_and_every_row_with_its_verdict(tmp_path):
    report = Report()
    report.headline_ratio("per-message mode / django-newsletter", "23.4x", ">= 20x", True)
    report.add("batch 100,000", "recipients per second", "8,000/s", ">= 10,000/s", False)
    report.add("web", "setup", "gunicorn 4 workers")
    report.notes.append("web: a | in a value stays in its cell")
    path = tmp_path / "results" / "latest.md"

    report.write(path)

    text = path.read_text()
    assert "| per-message mode / django-newsletter | 23.4x | >= 20x | yes |" in text
    assert "| batch 100,000 | recipients per second | 8,000/s | >= 10,000/s | NO |" in text
    assert "| web | setup | gunicorn 4 workers |  |  |" in text
    assert text.index("## Headline") < text.index("## All figures") < text.index("## Notes")
    assert not list(path.parent.glob("*.tmp"))
