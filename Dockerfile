# The pattern-verify action: Python, git and semgrep, with the package and its bundled rule
# packs and templates. No USER and no WORKDIR: the runner mounts the workspace, runs the
# container as root and sets the working directory itself.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# git reads the history (merge-base, the base versions of changed files) and commits reports.
# Not pinned: Debian replaces a stable release's package versions with security updates, so a
# pinned version would stop installing; the base image tag fixes the Debian release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md /opt/pattern-verify/
COPY src /opt/pattern-verify/src
COPY rules /opt/pattern-verify/rules
COPY templates /opt/pattern-verify/templates
RUN pip install --no-cache-dir "semgrep==1.185.0" /opt/pattern-verify \
    && rm -rf /opt/pattern-verify \
    && pattern-verify --version

ENTRYPOINT ["pattern-verify", "action"]
