"""The one settings object, read from the environment (and an optional .env file)."""

import ipaddress
from functools import lru_cache
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from indicators.paths import DEFAULT_SQLITE_FILE
from indicators.vocabulary.domain import Role

LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


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
    secret_key: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SECRET_KEY", "INDIKATOR_SECRET_KEY"),
        description="Nyckel som signerar inloggningskakan. Krävs när appen inte bara nås lokalt.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Kommaseparerade adresser till inloggningsproxyer (SSO) vars "
        "användarhuvud litas på. Tomt: ingen proxy.",
    )
    forwarded_by: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Kommaseparerade adresser/nät till omvända proxyer (t.ex. lastbalanserare) "
        "vars sista X-Forwarded-For-adress tas som klientens. Ger inget förtroende för "
        "användarhuvudet. 127.0.0.1 och ::1 gäller alltid.",
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Kommaseparerade värdnamn som appen svarar på (utöver 127.0.0.1, localhost "
        "och ::1), t.ex. uppfoljning.rjl.se. Andra namn får 400. Tomt: alla namn, utom i lokalt "
        "läge.",
    )
    proxy_user_header: str = Field(
        default="X-Remote-User",
        description="Huvudet där inloggningsproxyn anger användarnamnet.",
    )
    proxy_default_role: Role = Field(
        default=Role.LASARE,
        description="Roll för den som proxyn släpper in men som saknar konto här.",
    )
    secure_cookies: bool | None = Field(
        default=None,
        description="Skicka inloggningskakan bara över HTTPS. Standard: ja, utom på 127.0.0.1.",
    )
    session_hours: int = Field(
        default=10, ge=1, le=24 * 30, description="Timmar en inloggning gäller."
    )
    warm_cache: bool = Field(
        default=True,
        description="Förvärm frågecachen vid start och efter varje import (en tråd per arbetare).",
    )
    workers: int = Field(
        default=2, ge=1, le=64, description="Antal gunicorn-arbetare i produktion."
    )
    chromium: str | None = Field(
        default=None,
        description="Sökväg till chromium som skriver ut Möteslägets PDF; annars söks den i PATH.",
    )

    @field_validator("trusted_proxies", "forwarded_by", mode="before")
    @classmethod
    def _split_addresses(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list):
            for address in value:
                ipaddress.ip_network(address, strict=False)
        return value

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_names(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            value = [str(name).strip().lower() for name in value if str(name).strip()]
        return value

    @property
    def is_local(self) -> bool:
        """Served to this machine only: the one case where no login is needed."""
        return self.host in LOOPBACK_HOSTS

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies if self.secure_cookies is not None else not self.is_local


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
