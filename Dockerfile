# Production image: exactly the README's production command, `gunicorn app:server`, which reads
# gunicorn.conf.py and the same environment as the app. Built nowhere here (no Docker engine on
# the development machines), so it stays as plain as that command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    INDIKATOR_HOST=0.0.0.0 INDIKATOR_PORT=8050 INDIKATOR_SEED_DEMO=false \
    DATABASE_URL=sqlite:////var/lib/indikatorer/indikatorer.sqlite

WORKDIR /app
COPY pyproject.toml README.md alembic.ini app.py gunicorn.conf.py ./
COPY indicators ./indicators
COPY dashboard ./dashboard
COPY data/katalog.toml ./data/katalog.toml
COPY data/kolada ./data/kolada
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /app app \
    && mkdir -p /var/lib/indikatorer && chown app /var/lib/indikatorer

USER app
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4)"
CMD ["gunicorn", "app:server"]
