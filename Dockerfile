# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 VAR_DIR=/app/var
WORKDIR /app
# The whole tree less .dockerignore: an app added later is in the image without an edit here
# (tests/packaging proves that the same tree installs and starts outside the repository).
COPY . .
RUN pip install . && rm -rf build *.egg-info && mkdir -p /app/var && useradd --system --home /app publisher && chown -R publisher /app/var
USER publisher
RUN SECRET_KEY=build-only-secret-key-long-enough-for-checks python manage.py collectstatic --noinput
EXPOSE 8000
# Workers, threads and logs: config/gunicorn.py (the bench runs the same file).
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py"]
