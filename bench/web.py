"""Web load: gunicorn serving the app on loopback against the bench database, driven by wrk."""
