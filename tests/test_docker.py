"""The image's contents and command, without a Docker engine (`make docker-test` runs the real
image and compose; it is too slow for this suite). The files the Dockerfile copies, laid out alone
in a folder, serve the Dockerfile's own CMD under its ENV; the administratör is made with the
command docker-compose.yml's comment gives, and the HEALTHCHECK command passes."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from conftest import _free_port

from indicators.paths import PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
PASSWORD = "bildens-administratör-1"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, rest in instructions():
        if keyword == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(rest))
    return env


def exec_form(keyword: str) -> list[str]:
    """The Dockerfile's CMD, or its HEALTHCHECK's CMD, in exec form (JSON)."""
    for found, rest in instructions():
        if found == keyword:
            if keyword == "HEALTHCHECK":
                rest = rest[rest.index("CMD ") + 4 :]
            return json.loads(rest)
    raise AssertionError(f"Dockerfile har ingen {keyword}")


def lay_out_image(target: Path) -> None:
    """What `COPY` puts under WORKDIR, and nothing else of the project."""
    for keyword, rest in instructions():
        if keyword != "COPY":
            continue
        *sources, destination = rest.split()
        for source in sources:
            src = PROJECT_ROOT / source
            # A destination ending in / is a folder the source goes into, as in Docker.
            dest = target / destination / (src.name if destination.endswith("/") else "")
            if src.is_dir():
                shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, int]]:
    root = tmp_path_factory.mktemp("bild")
    app_dir = root / "app"
    lay_out_image(app_dir)
    port = _free_port()
    env = {
        **os.environ,
        **image_env(),
        # The image's own store path is /var/lib/indikatorer; the port is free on this machine.
        "DATABASE_URL": f"sqlite:///{root / 'indikatorer.sqlite'}",
        "INDIKATOR_PORT": str(port),
        "SECRET_KEY": "bildtest-" + "n" * 40,
        "INDIKATOR_WORKERS": "1",
        "INDIKATOR_WARM_CACHE": "false",
        "HOME": str(root),
    }
    # As docker-compose.yml's comment tells the operator, before the first `up`.
    users_add = ["users", "add", "admin", "--role", "administratör", "--password-stdin"]
    add = subprocess.run(
        [sys.executable, "-m", "indicators", *users_add],
        cwd=app_dir,
        env=env,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert add.returncode == 0, add.stderr

    command = exec_form("CMD")
    assert command[0] == "gunicorn"
    log = (root / "gunicorn.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", *command], cwd=app_dir, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((root / "gunicorn.log").read_text(errors="replace"))
            time.sleep(0.2)
        yield url, app_dir, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_the_image_runs_its_own_copies_not_the_checkout(image: tuple[str, Path, int]) -> None:
    _, app_dir, _ = image
    probe = "import importlib.util as u, indicators.paths as p; print(p.PROJECT_ROOT); "
    probe += "print(u.find_spec('app').origin)"
    where = subprocess.run(
        [sys.executable, "-c", probe], cwd=app_dir, capture_output=True, text=True, check=True
    )
    root, app_file = where.stdout.split()
    assert Path(root) == app_dir
    assert Path(app_file) == app_dir / "app.py"


def test_the_copied_files_serve_the_signed_in_app(image: tuple[str, Path, int]) -> None:
    url, _, _ = image
    session = requests.Session()
    anonymous = session.get(f"{url}/", allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 303)
    assert "/logga-in" in anonymous.headers["Location"]

    signed_in = session.post(
        f"{url}/logga-in",
        data={"username": "admin", "password": PASSWORD, "next": "/"},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code in (302, 303)
    # The session cookie may be Secure (the image binds 0.0.0.0), so carry it over plain HTTP.
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    page = requests.get(f"{url}/", headers={"Cookie": cookie}, timeout=30)
    assert page.status_code == 200
    assert 'lang="sv"' in page.text
    layout = requests.get(f"{url}/_dash-layout", headers={"Cookie": cookie}, timeout=30)
    assert layout.status_code == 200


def test_the_healthcheck_command_passes(image: tuple[str, Path, int]) -> None:
    _, app_dir, port = image
    command = exec_form("HEALTHCHECK")
    assert command[0] == "python"
    script = command[2].replace("127.0.0.1:8050", f"127.0.0.1:{port}")
    assert script != command[2], "HEALTHCHECK frågar inte 127.0.0.1:8050"
    check = subprocess.run(
        [sys.executable, command[1], script], cwd=app_dir, capture_output=True, timeout=30
    )
    assert check.returncode == 0, check.stderr


def hadolint() -> str | None:
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.exists() else shutil.which("hadolint")


@pytest.mark.skipif(hadolint() is None, reason="hadolint saknas (make docker-lint installerar det)")
def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    lint = subprocess.run(
        [hadolint(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
