# Production image: exactly the README's production command, `gunicorn app:server`, which reads
# gunicorn.conf.py and the same environment as the app. `make docker-test` builds it and runs it
# with docker-compose.yml; PYTHON_IMAGE only lets that test use a Python base built from Debian's
# packages where Docker Hub cannot be reached.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    INDIKATOR_HOST=0.0.0.0 INDIKATOR_PORT=8050 INDIKATOR_SEED_DEMO=false \
    DATABASE_URL=sqlite:////var/lib/indikatorer/indikatorer.sqlite

WORKDIR /app
# Mötesläge's PDF (/moteslage.pdf, dashboard/moteslage_pdf.py) is a print by headless Chromium;
# DejaVu has the å, ä, ö and the symbols (▲ ▼ ✓ ✗) the slides use. Debian's current versions.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md alembic.ini app.py gunicorn.conf.py ./
COPY indicators ./indicators
COPY dashboard ./dashboard
COPY data/katalog.toml ./data/katalog.toml
COPY data/kolada ./data/kolada
RUN pip install --no-cache-dir . \
    && useradd --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /var/lib/indikatorer && chown app /var/lib/indikatorer

# By number, so a platform that refuses root can tell without reading /etc/passwd.
USER 10001
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4)"]
CMD ["gunicorn", "app:server"]
