"""The one settings object, read from the environment (and an optional .env file)."""

from functools import lru_cache

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from indicators.paths import DEFAULT_SQLITE_FILE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INDIKATOR_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_FILE}",
        validation_alias=AliasChoices("DATABASE_URL", "INDIKATOR_DATABASE_URL"),
        description="SQLAlchemy-URL till lagret; standard är en SQLite-fil i data/.",
    )
    host: str = Field(default="127.0.0.1", description="Adress som `python app.py` lyssnar på.")
    port: int = Field(
        default=8050, ge=1, le=65535, description="Port som `python app.py` lyssnar på."
    )
    seed_demo: bool = Field(
        default=True,
        description="Fyll ett tomt lager med Exempeldata vid start. Sätt till false i produktion.",
    )
    debug: bool = Field(
        default=False, description="Dash felsökningsläge (endast lokal utveckling)."
    )
    max_upload_mb: int = Field(
        default=25, ge=1, le=1024, description="Största fil som tas emot vid import, i MB."
    )
    suppression_threshold: int = Field(
        default=5,
        ge=1,
        description="Värden vars täljare eller nämnare är under detta visas som sekretess.",
    )
    baseline_year: int = Field(
        default=2020,
        ge=2000,
        le=2030,
        description="Basår som utvecklingen jämförs med (året före strategins start).",
    )
    user: str = Field(
        default="lokal användare",
        description="Namnet som importer, mål och analyser sparas med i lokalt enanvändarläge.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
