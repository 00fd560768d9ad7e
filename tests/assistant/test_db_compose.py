"""docker/: the service image and the compose file with PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DOCKER = Path(__file__).resolve().parents[2] / "docker"


def test_compose_wires_the_service_to_postgres() -> None:
    compose = yaml.safe_load((DOCKER / "compose.yaml").read_text())
    app, db = compose["services"]["app"], compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    url = app["environment"]["SHOPASSIST_DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url
    assert (DOCKER / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == (
        DOCKER / "Dockerfile"
    )


def test_dockerfile_pins_cpu_torch() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in text
    assert '"serve"' in text and '"--setup"' in text


def test_compose_config_accepts_the_file() -> None:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        cmd = ["docker", "compose"]
    elif shutil.which("docker-compose"):
        cmd = ["docker-compose"]
    else:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    result = subprocess.run(
        [*cmd, "-f", str(DOCKER / "compose.yaml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_two_stateless_replicas_behind_nginx() -> None:
    services = yaml.safe_load((DOCKER / "compose.yaml").read_text())["services"]
    replicas = [services["app"], services["app2"]]
    for app in replicas:
        env = app["environment"]
        assert env["SHOPASSIST_REDIS_URL"] == "redis://redis:6379/0"  # shared rate limits
        assert "@db:5432/" in env["SHOPASSIST_DATABASE_URL"]  # shared state
        assert env["SHOPASSIST_LLM_BACKEND"] == "openai"
        assert env["SHOPASSIST_LLM_BASE_URL"] == "http://model:8000/v1"
        assert app["volumes"] == ["appdata:/data"]  # index versions and adapters
    assert "--setup" not in services["app2"]["command"]  # one replica sets the store up
    assert services["redis"]["image"].startswith("redis:")
    model = services["model"]["command"]
    assert "--enable-lora" in model and model[model.index("--lora-modules") + 1].startswith(
        "default="
    )
    assert services["lb"]["image"].startswith("nginx:")
    conf = (DOCKER / "nginx.conf").read_text()
    assert "server app:8000" in conf and "server app2:8000" in conf
