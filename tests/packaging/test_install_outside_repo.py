"""The wheel built from the Docker build context, installed away from the repository, starts with production settings.

The image once left `editorial` out (its Dockerfile and package list named apps one by one) and nothing noticed
until `docker compose up --build` failed. This is the same proof without Docker: the context the Dockerfile
copies (the tree less .dockerignore) is built into a wheel, installed into a bare target directory, and run from
another directory with the venv's dependencies but not the project's editable install.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from tests.support.processes import ROOT

pytestmark = pytest.mark.integration

# Deploy warnings the settings accept on purpose. W005, W021: HSTS covers this host only, because subdomains of an
# organisation's domain are often other people's servers without TLS (config/transport_security.py).
# W019: X_FRAME_OPTIONS is SAMEORIGIN, since the admin previews digests in a sandboxed iframe of its own.
ACCEPTED_DEPLOY_WARNINGS = {"security.W005", "security.W019", "security.W021"}
# Files under a shipped directory that nothing reads at run time: notes and maintainers' scripts.
NOT_RUNTIME_SUFFIXES = {".md", ".sh", ".pyc", ".pyo"}


@dataclass(frozen=True)
class Install:
    wheel: Path
    site: Path
    run_dir: Path
    var_dir: Path
    env: dict[str, str]


def _dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    # Docker's matching: `**/` spans any directories, `*` and `?` stay within one path segment.
    parts, i, text = [], 0, pattern.strip("/")
    while i < len(text):
        if text.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            parts.append(".*")
            i += 2
        elif text[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif text[i] == "?":
            parts.append("[^/]")
            i += 1
        else:
            parts.append(re.escape(text[i]))
            i += 1
    return re.compile("".join(parts) + r"\Z")


def _left_out_of_context(relative: str, patterns: list[re.Pattern[str]]) -> bool:
    # As in Docker, a path is left out when it or one of its parent directories matches a pattern.
    segments = relative.split("/")
    prefixes = ["/".join(segments[:n]) for n in range(1, len(segments) + 1)]
    return any(regex.match(prefix) for prefix in prefixes for regex in patterns)


def _context_patterns() -> list[re.Pattern[str]]:
    return [_pattern_regex(pattern) for pattern in _dockerignore_patterns()]


def _copy_build_context(target: Path) -> None:
    patterns = _context_patterns()

    def ignore(directory: str, names: list[str]) -> set[str]:
        base = Path(directory).relative_to(ROOT).as_posix()
        return {name for name in names if _left_out_of_context(name if base == "." else f"{base}/{name}", patterns)}

    shutil.copytree(ROOT, target, ignore=ignore, symlinks=True)


def _local_apps() -> list[str]:
    """The apps of INSTALLED_APPS that live in this repository (Django's and anymail's come from the venv)."""
    venv = Path(sys.prefix).resolve()  # .venv may sit inside the repository
    paths = {config.name: Path(config.path).resolve() for config in apps.get_app_configs()}
    return [name for name, path in paths.items() if path.is_relative_to(ROOT) and not path.is_relative_to(venv)]


def _production_env(site: Path, var_dir: Path) -> dict[str, str]:
    # A fresh environment, not the test run's (DATABASE_URL, EMAIL_PROVIDER=locmem, ...): only what production sets.
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(var_dir),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(site),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "REQUIRE_SECRET_KEY": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ADDRESS_HASH_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "https://news.example.org",
        "ALLOWED_HOSTS": "news.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "TRUSTED_PROXIES": "10.0.0.0/8",
        # smtp may be a real relay, so a production start accepts it; nothing is sent here.
        "EMAIL_PROVIDER": "smtp",
        "DATABASE_URL": f"sqlite:///{var_dir / 'publisher.sqlite3'}",
        # The test run's own Redis database, so the page rendered below never touches another one.
        "REDIS_URL": settings.REDIS_URL,
        "VAR_DIR": str(var_dir),
    }


def _run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _django(install: Install, *args: str) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "django", *args], cwd=install.run_dir, env=install.env)


def _python(install: Install, code: str) -> dict:
    result = _run([sys.executable, "-c", code], cwd=install.run_dir, env=install.env)
    assert result.returncode == 0, f"the installed package failed to run a script:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def install(tmp_path_factory: pytest.TempPathFactory) -> Install:
    tmp = tmp_path_factory.mktemp("packaging")
    context, dist, site, run_dir, var_dir = (tmp / name for name in ("context", "dist", "site", "run", "var"))
    # Built from a copy, so build/ and *.egg-info never appear in the repository.
    _copy_build_context(context)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    offline = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp), "PIP_NO_INDEX": "1"}
    built = _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(context)], cwd=tmp, env=offline)
    assert built.returncode == 0, f"the wheel does not build from the Docker build context:\n{built.stdout}\n{built.stderr}"
    wheels = list(dist.glob("publisher-*.whl"))
    assert len(wheels) == 1, f"expected one publisher wheel in {dist}, found {wheels}"
    installed = _run([*pip, "install", "--no-deps", "--target", str(site), str(wheels[0])], cwd=tmp, env=offline)
    assert installed.returncode == 0, f"the wheel does not install:\n{installed.stdout}\n{installed.stderr}"
    run_dir.mkdir()
    var_dir.mkdir()
    return Install(wheel=wheels[0], site=site, run_dir=run_dir, var_dir=var_dir, env=_production_env(site, var_dir))


@pytest.fixture(scope="module")
def migrated(install: Install) -> subprocess.CompletedProcess:
    return _django(install, "migrate", "--noinput")


def _wheel_names(install: Install) -> set[str]:
    with zipfile.ZipFile(install.wheel) as wheel:
        return set(wheel.namelist())


def test_it_ships_every_local_app_of_installed_apps_in_the_wheel(install):
    names = _wheel_names(install)
    local = _local_apps()

    assert {"subscribers", "newsletter", "worker", "operations", "editorial"} <= set(local), f"local apps not recognised: {local}"
    missing = [app for app in local if f"{app.replace('.', '/')}/__init__.py" not in names]
    assert not missing, f"apps in INSTALLED_APPS are missing from the wheel (package discovery in pyproject.toml): {missing}"
    assert "config/settings.py" in names, "config (settings, urls, wsgi) is missing from the wheel"


def test_it_ships_every_file_the_apps_and_top_level_templates_need_at_run_time(install):
    names = _wheel_names(install)
    patterns = _context_patterns()
    shipped_roots = [*(app.replace(".", "/") for app in _local_apps()), "config", "templates", "locale", "static"]
    wanted = {
        path.relative_to(ROOT).as_posix()
        for root in shipped_roots
        if (ROOT / root).is_dir()
        for path in (ROOT / root).rglob("*")
        if path.is_file()
        and path.suffix not in NOT_RUNTIME_SUFFIXES
        and not _left_out_of_context(path.relative_to(ROOT).as_posix(), patterns)
    }

    assert any(name.startswith("templates/pages/") for name in wanted), "the repository's templates/ was not looked at"
    assert any(name.endswith(".mo") for name in wanted), "no compiled locale catalogue was looked at"
    missing = sorted(wanted - names)
    assert not missing, f"files the app reads at run time are missing from the wheel (package-data in pyproject.toml): {missing}"


def test_it_leaves_tests_and_bench_out_of_the_wheel(install):
    leaked = sorted(name for name in _wheel_names(install) if name.split("/")[0] in {"tests", "bench", "docs", "scripts"})

    assert not leaked, f"the wheel carries development files (exclude them in pyproject.toml): {leaked[:10]}"


def test_it_imports_the_project_from_the_install_and_not_from_the_repository(install):
    modules = ["config", "config.settings", *_local_apps()]
    found = _python(
        install,
        "import importlib, json; from django.conf import settings;"
        f" files = {{m: importlib.import_module(m).__file__ for m in {modules!r}}};"
        " print(json.dumps({'files': files, 'base_dir': str(settings.BASE_DIR)}))",
    )

    site = install.site.resolve()
    outside = {module: path for module, path in found["files"].items() if not Path(path).resolve().is_relative_to(site)}
    assert not outside, f"modules were imported from elsewhere than the install in {site} (editable install won?): {outside}"
    assert Path(found["base_dir"]).resolve() == site, f"BASE_DIR is {found['base_dir']}, not the install {site}"


def test_it_passes_the_deploy_checks_with_production_settings(install):
    result = _django(install, "check", "--deploy", "--fail-level", "ERROR")
    output = result.stdout + result.stderr

    assert result.returncode == 0, f"check --deploy fails on the installed package:\n{output}"
    reported = set(re.findall(r"\(([a-z_]+\.[CEWI]\d{3})\)", output))
    assert reported == ACCEPTED_DEPLOY_WARNINGS, (
        f"check --deploy reports {sorted(reported)}; only {sorted(ACCEPTED_DEPLOY_WARNINGS)} are accepted:\n{output}"
    )


def test_it_collects_the_static_files_of_every_app(install):
    result = _django(install, "collectstatic", "--noinput")

    assert result.returncode == 0, f"collectstatic fails on the installed package:\n{result.stdout}\n{result.stderr}"
    static = install.var_dir / "static"
    for expected in ("editorial/admin.css", "editorial/dashboard.js", "subscribers/segment_count.js", "admin/css/base.css"):
        assert (static / expected).is_file(), f"collectstatic did not collect {expected} into {static}"


def test_it_migrates_an_empty_sqlite_database(install, migrated):
    assert migrated.returncode == 0, f"migrate fails on the installed package:\n{migrated.stdout}\n{migrated.stderr}"
    check = _django(install, "migrate", "--check", "--noinput")
    assert check.returncode == 0, f"migrations are left unapplied after migrate (missing from the wheel?):\n{check.stdout}"
    with_migrations = [app for app in _local_apps() if (ROOT / app / "migrations").is_dir()]  # the desk has no models
    plan = _django(install, "showmigrations", *with_migrations)
    for app in with_migrations:
        assert f"{app}\n [X] 0001_" in plan.stdout, f"{app}'s migrations were not applied from the install:\n{plan.stdout}"


def test_it_renders_a_page_from_the_top_level_templates_in_french(install, migrated):
    assert migrated.returncode == 0, f"migrate fails on the installed package:\n{migrated.stderr}"
    page = _python(
        install,
        "import django, json; django.setup();"
        " from django.test import Client; from django.template.loader import get_template;"
        " response = Client().get('/?lang=fr', secure=True, headers={'host': 'news.example.org'});"
        " print(json.dumps({'status': response.status_code, 'body': response.content.decode(),"
        " 'origin': get_template('pages/subscribe.html').origin.name}))",
    )

    assert page["status"] == 200, f"the subscribe page answers {page['status']} from the install:\n{page['body'][:2000]}"
    template = Path(page["origin"]).resolve()
    assert template == install.site.resolve() / "templates/pages/subscribe.html", f"pages/subscribe.html loaded from {template}"
    assert "Abonnez-vous à nos actualités" in page["body"], "the French catalogue of subscribers was not loaded from the install"


def test_it_builds_the_image_from_the_whole_tree():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copies = [line.split()[1:] for line in dockerfile.splitlines() if line.startswith(("COPY", "ADD"))]

    assert [".", "."] in copies, f"the Dockerfile must copy the whole tree (COPY . .), it copies {copies}"
    named = [source for source in copies for app in [*_local_apps(), "config", "templates"] if app in source[:-1]]
    assert not named, f"the Dockerfile copies apps one by one again (a new app would be left out): {named}"


def test_it_leaves_the_repository_and_the_venv_out_of_the_build_context():
    assert (ROOT / ".dockerignore").is_file(), ".dockerignore is missing: .git and .venv would go into the image"
    raw = _dockerignore_patterns()
    assert not [p for p in raw if p.startswith("!")], "this test's matcher does not read ! exceptions in .dockerignore"
    patterns = _context_patterns()
    for path in (".git", ".venv", ".env", "var/publisher.sqlite3", "config/__pycache__/settings.cpython-311.pyc"):
        assert _left_out_of_context(path, patterns), f".dockerignore does not leave out {path}"
    for path in ("manage.py", "pyproject.toml", "config/settings.py", "templates/pages/base.html", *_local_apps()):
        assert not _left_out_of_context(path, patterns), f".dockerignore leaves out {path}, which the image needs"
