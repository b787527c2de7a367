# The pattern-verify action: Python, git and semgrep, with the package and its bundled rule
# packs and templates. No USER and no WORKDIR: the runner mounts the workspace, runs the
# container as root and sets the working directory itself.
#
# Two stages: the builder installs the package and semgrep into a virtual environment; the image
# gets that environment only (no pip in it, no build backend, no sources, no binutils).
# README "Image size" has the measured sizes.
FROM python:3.12-slim AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    SEMGREP_ENABLE_VERSION_CHECK=0

# binutils for strip. Not pinned: Debian replaces a stable release's package versions with
# security updates, so a pinned version would stop installing; the base image tag fixes the
# Debian release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends binutils \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md /src/
COPY src /src/src
COPY rules /src/rules
COPY templates /src/templates

# - pip installs into the environment from outside (`--python`), so the environment has no pip.
# - Bytecode is compiled at install time (no --no-compile): a container starts fresh on every
#   run and writes no .pyc, so without them each run compiles its imports again (measured:
#   +2.3 s CPU per run, for 34 MB saved).
# - semgrep-core ships with its symbol table; stripped it is 31 MB smaller. The rule tests then
#   prove the stripped engine still finds what it should, through both of semgrep's CLIs (the
#   tool runs the native one: `--engine auto`).
RUN python -m venv --without-pip /opt/venv \
    && pip install --no-cache-dir --python /opt/venv/bin/python "semgrep==1.185.0" /src \
    && strip /opt/venv/lib/python3.*/site-packages/semgrep/bin/semgrep-core \
    && /opt/venv/bin/semgrep --test --metrics=off /src/rules \
    && /opt/venv/bin/semgrep --test --metrics=off --experimental /src/rules \
    && /opt/venv/bin/pattern-verify --version

FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

# git reads the history (merge-base, the base versions of changed files) and commits reports.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

COPY --from=builder /opt/venv /opt/venv

ENTRYPOINT ["pattern-verify", "action"]
