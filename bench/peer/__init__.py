"""The peer: django-newsletter in its own virtualenv (never imported by our code; run by bench.peer_runner)."""
