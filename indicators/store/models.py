"""The relational model. Alembic migrations in store/migrations mirror this module."""

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from indicators.vocabulary.domain import (
    ActivityStatus,
    AreaKind,
    AreaLevel,
    AuditAction,
    Direction,
    Gender,
    ObservationStatus,
    PeriodType,
    Role,
    SimilarKind,
    ValueKind,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(cls: type, name: str, length: int = 16) -> Enum:
    # Stored as the enum's value (text) with a CHECK, identical on SQLite and PostgreSQL.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in UTC, aware on the way out on every backend: PostgreSQL's timestamptz hands
    back aware datetimes, SQLite naive ones (its text holds no zone). Aware values are stored
    as UTC, so SQLite's text is UTC too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, _dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    # Every model is declared on a Table of its own; SQLAlchemy types `__table__` as the wider
    # FromClause, which insert() and delete() refuse.
    __table__: ClassVar[Table]


matomrade_strategigrupp = Table(
    "matomrade_strategigrupp",
    Base.metadata,
    Column("matomrade_id", ForeignKey("matomrade.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "strategigrupp_id", ForeignKey("strategigrupp.id", ondelete="CASCADE"), primary_key=True
    ),
)

indicator_strategigrupp = Table(
    "indicator_strategigrupp",
    Base.metadata,
    Column("indicator_id", ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "strategigrupp_id", ForeignKey("strategigrupp.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Strategy(Base):
    __tablename__ = "strategy"

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(200))
    aim: Mapped[str] = mapped_column(Text)
    koppling_till_malbild: Mapped[list[str]] = mapped_column(JSON, default=list)
    utvecklingsomraden: Mapped[list[str]] = mapped_column(JSON, default=list)
    followed_up_by: Mapped[str] = mapped_column(String(300), default="")

    matomraden: Mapped[list["Matomrade"]] = relationship(
        back_populates="strategy", order_by="Matomrade.sort_order"
    )


class Strategigrupp(Base):
    __tablename__ = "strategigrupp"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Matomrade(Base):
    __tablename__ = "matomrade"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    strategy_number: Mapped[int] = mapped_column(ForeignKey("strategy.number"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    strategy: Mapped[Strategy] = relationship(back_populates="matomraden")
    strategigrupper: Mapped[list[Strategigrupp]] = relationship(
        secondary=matomrade_strategigrupp, order_by=Strategigrupp.sort_order
    )
    links: Mapped[list["IndicatorMatomrade"]] = relationship(
        back_populates="matomrade", order_by="IndicatorMatomrade.sort_order"
    )


class Indicator(Base):
    __tablename__ = "indicator"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(400))
    short_title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(80))
    value_kind: Mapped[ValueKind] = mapped_column(_enum(ValueKind, "value_kind"))
    direction: Mapped[Direction] = mapped_column(_enum(Direction, "direction"))
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(200))
    source_id: Mapped[str] = mapped_column(String(80), default="")
    numerator: Mapped[str] = mapped_column(Text, default="")
    denominator: Mapped[str] = mapped_column(Text, default="")
    period_type: Mapped[PeriodType] = mapped_column(_enum(PeriodType, "period_type"))
    by_gender: Mapped[bool] = mapped_column(Boolean, default=False)
    area_level: Mapped[AreaLevel] = mapped_column(_enum(AreaLevel, "area_level"))
    headline: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # "katalog" rows follow data/katalog.toml; "kolada" rows were added from the shipped Kolada
    # catalogue on an analyst's confirmation and must survive the next catalogue sync.
    origin: Mapped[str] = mapped_column(String(16), default="katalog", server_default="katalog")
    # Inrapportering (katalog.toml): who hands the values in (Deliverer's value), the rule for
    # when a period is due ("31 mars året efter"), and the first period no longer expected.
    delivered_by: Mapped[str] = mapped_column(String(16), default="källa", server_default="källa")
    due_rule: Mapped[str] = mapped_column(String(80), default="", server_default="")
    discontinued_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Which of Kolada's groups of similar kommuner the indicator is compared with (katalog.toml:
    # the indicator's or its mätområde's `liknande_kommuner`).
    similar_kind: Mapped[SimilarKind] = mapped_column(
        _enum(SimilarKind, "similar_kind", length=32),
        default=SimilarKind.OVERGRIPANDE,
        server_default=SimilarKind.OVERGRIPANDE.value,
    )

    codes: Mapped[list["IndicatorCode"]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorCode.code"
    )
    strategigrupper: Mapped[list[Strategigrupp]] = relationship(
        secondary=indicator_strategigrupp, order_by=Strategigrupp.sort_order
    )
    links: Mapped[list["IndicatorMatomrade"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan"
    )


class IndicatorMatomrade(Base):
    __tablename__ = "indicator_matomrade"

    indicator_id: Mapped[str] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    matomrade_id: Mapped[str] = mapped_column(
        ForeignKey("matomrade.id", ondelete="CASCADE"), primary_key=True
    )
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    indicator: Mapped[Indicator] = relationship(back_populates="links")
    matomrade: Mapped[Matomrade] = relationship(back_populates="links")


class IndicatorCode(Base):
    __tablename__ = "indicator_code"

    indicator_id: Mapped[str] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(80))


class Area(Base):
    __tablename__ = "area"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AreaKind] = mapped_column(_enum(AreaKind, "area_kind"))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class SimilarGroup(Base):
    """Kolada's group of kommuner similar to one kommun in one area of operation ("Liknande
    kommuner äldreomsorg, Aneby, 2024"), from data/kolada/groups.csv, synced at every prepare.
    The kommun is not a member of its own group."""

    __tablename__ = "similar_group"
    __table_args__ = (UniqueConstraint("kind", "area_code", name="uq_similar_group_kind_area"),)

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[SimilarKind] = mapped_column(_enum(SimilarKind, "similar_kind", length=32))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)


class SimilarGroupMember(Base):
    __tablename__ = "similar_group_member"
    __table_args__ = (Index("ix_similar_group_member_area", "area_code"),)

    group_id: Mapped[str] = mapped_column(
        ForeignKey("similar_group.id", ondelete="CASCADE"), primary_key=True
    )
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(40))
    imported_by: Mapped[str] = mapped_column(String(120))
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_new: Mapped[int] = mapped_column(Integer, default=0)
    rows_changed: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    undone_by: Mapped[str | None] = mapped_column(String(120), nullable=True)


class Observation(Base):
    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint(
            "indicator_id",
            "area_code",
            "period_type",
            "period_start",
            "gender",
            name="uq_observation_key",
        ),
        CheckConstraint("status = 'ok' OR value IS NULL", name="value_only_when_ok"),
        Index("ix_observation_area_indicator", "area_code", "indicator_id"),
        Index("ix_observation_batch", "batch_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    period_type: Mapped[PeriodType] = mapped_column(_enum(PeriodType, "period_type"))
    period_start: Mapped[date] = mapped_column(Date)
    gender: Mapped[Gender] = mapped_column(_enum(Gender, "gender"))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[ObservationStatus] = mapped_column(_enum(ObservationStatus, "obs_status"))
    status_reason: Mapped[str] = mapped_column(String(120), default="")
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class Target(Base):
    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint(
            "indicator_id", "area_code", "period_type", "period_start", name="uq_target_key"
        ),
        # NULLs are distinct in a unique key, so the county-wide target needs its own index.
        Index(
            "uq_target_all_areas",
            "indicator_id",
            "period_type",
            "period_start",
            unique=True,
            sqlite_where=text("area_code IS NULL"),
            postgresql_where=text("area_code IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), nullable=True)
    period_type: Mapped[PeriodType] = mapped_column(_enum(PeriodType, "period_type"))
    period_start: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[str] = mapped_column(String(120), default="")
    set_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ObservationRevision(Base):
    """What an import replaced: the state of one observation key just before `batch_id` wrote it.

    previous_status NULL means the key did not exist, so undoing the batch deletes the row.
    Undoing a batch restores these states; the revision rows are the whole history of a value."""

    __tablename__ = "observation_revision"
    __table_args__ = (
        Index("ix_observation_revision_batch", "batch_id"),
        Index(
            "ix_observation_revision_key",
            "indicator_id",
            "area_code",
            "period_type",
            "period_start",
            "gender",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    period_type: Mapped[PeriodType] = mapped_column(_enum(PeriodType, "period_type"))
    period_start: Mapped[date] = mapped_column(Date)
    gender: Mapped[Gender] = mapped_column(_enum(Gender, "gender"))
    previous_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    previous_numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    previous_denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    previous_status: Mapped[ObservationStatus | None] = mapped_column(
        _enum(ObservationStatus, "obs_status"), nullable=True
    )
    previous_status_reason: Mapped[str] = mapped_column(String(120), default="")
    previous_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id"), nullable=True
    )


class Analysis(Base):
    """An analyst's short written analysis of an indicator for a period, optionally one kommun."""

    __tablename__ = "analysis"
    __table_args__ = (Index("ix_analysis_indicator", "indicator_id", "period_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    area_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"), nullable=True)
    period_type: Mapped[PeriodType] = mapped_column(_enum(PeriodType, "period_type"))
    period_start: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    written_by: Mapped[str] = mapped_column(String(120), default="")
    written_at: Mapped[datetime] = mapped_column(UtcDateTime())


activity_indicator = Table(
    "activity_indicator",
    Base.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True),
)


class Activity(Base):
    """One activity of a strategigrupp's handlingsplan and the indicators it aims to move. The
    owner is an organisation (and at most a contact's name): no other personal data."""

    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_strategigrupp", "strategigrupp_id", "start_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    strategigrupp_id: Mapped[str] = mapped_column(
        ForeignKey("strategigrupp.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[ActivityStatus] = mapped_column(_enum(ActivityStatus, "activity_status"))
    description: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str] = mapped_column(String(120), default="")
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())

    indicators: Mapped[list["Indicator"]] = relationship(secondary=activity_indicator)


class AppUser(Base):
    """A built-in account. Only a password hash is stored; personal data beyond a name is not."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(300), nullable=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # A sign-in cookie names the generation it was made in; signing out, a new password or
    # disabling moves it on, so every cookie made before (on any device) signs no one in.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SignInFailure(Base):
    """A failed sign-in, kept while it counts towards the brake. In the database, so every worker
    and every host brakes on the same failures."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (
        Index("ix_sign_in_failure_username", "username", "occurred_at"),
        Index("ix_sign_in_failure_address", "address", "occurred_at"),
        Index("ix_sign_in_failure_occurred_at", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The name as typed: unknown names brake exactly like real ones.
    username: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(64))


class AuditEvent(Base):
    """One change: who, when, what, and the state before and after (JSON text)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_occurred_at", "occurred_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[AuditAction] = mapped_column(_enum(AuditAction, "audit_action", length=40))
    subject: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)


class DataVersion(Base):
    """One row counting writes to the data. Every worker keys its query cache on it, so a cache
    filled before an import (in any worker) is never read after it."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class StagedFile(Base):
    """One file of an upload waiting between its preview and its confirmation. In the database,
    so a preview made on one host is confirmed on another; bounded by the upload limit, and
    removed when saved, discarded or expired."""

    __tablename__ = "staged_file"
    __table_args__ = (Index("ix_staged_file_expires_at", "expires_at"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The account that previewed the upload: only it may confirm or discard it.
    owner: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    content: Mapped[bytes] = mapped_column(LargeBinary)


class WarmLease(Base):
    """The highest data version some worker has taken to warm. Taking a version moves this row
    forward in one UPDATE, so across all hosts one worker warms each version."""

    __tablename__ = "warm_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class HiddenCell(Base):
    """A cell the county's views hide, as complementary suppression judges it over Riket, the
    regions and the county's kommuner (indicators.reads.hidden_cells): which cells, never their
    values. Derived from the observations and rewritten in the same transaction as every write
    to them (store.summaries), so reading it gives what judging the observations would."""

    __tablename__ = "hidden_cell"

    indicator_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    # Plain text, no CHECK: a copy of the observation's key, checked there.
    period_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    gender: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str] = mapped_column(String(120))


class FollowupTotal(Base):
    """An indicator's yearly total (gender T) in Riket, the county or one of its kommuner, as
    the follow-up pages show it: small numbers and the cells complementary suppression hides
    have no value here (indicators.reads.followup.stored_totals). Rewritten with the hidden
    cells in the transaction of every write to the observations (store.summaries)."""

    __tablename__ = "followup_total"

    indicator_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    # Plain text, no CHECK: a copy of the observation's status, checked there.
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(120))


class SeriesUpdate(Base):
    """When the values of one series of the county or one of its kommuner (indicator, area,
    period type, gender) were last written by an import, and whether any of them is
    Exempeldata (indicators.reads.followup.stored_updates). Rewritten with the other summaries
    in the transaction of every write to the observations (store.summaries)."""

    __tablename__ = "series_update"
    __table_args__ = (Index("ix_series_update_imported_at", "imported_at"),)

    indicator_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    # Plain text, no CHECK: copies of the observation's key, checked there.
    period_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    gender: Mapped[str] = mapped_column(String(16), primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    demo: Mapped[int] = mapped_column(Integer)  # 1 when any value is Exempeldata


class SummaryState(Base):
    """Whether a derived table (by name) is complete, and for which suppression threshold. A
    table that is not is never read: its views judge the observations instead, and the next
    `prepare` rebuilds it."""

    __tablename__ = "summary_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    threshold: Mapped[int] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean)


# The tables a bulk import writes a million rows into. On PostgreSQL their references to
# indicator, area and import_batch are checked by statement-level triggers (migration 0015),
# once per statement over all its rows, instead of a foreign key's trigger per row; SQLite
# keeps the foreign keys, whose per-row check is an in-process index lookup. The keys stay
# declared here, created on SQLite only; schema comparisons skip them on PostgreSQL
# (statement_checked_key).
STATEMENT_CHECKED = ("observation", "observation_revision")
for _name in STATEMENT_CHECKED:
    for _key in Base.metadata.tables[_name].foreign_key_constraints:
        _key.ddl_if(dialect="sqlite")


def statement_checked_key(obj: object, type_: str, reflected: bool, dialect: str) -> bool:
    """True for a declared foreign key that a PostgreSQL store checks by statement-level
    triggers instead (Alembic's include_object leaves these out of a comparison there)."""
    table = getattr(obj, "table", None)
    return (
        dialect == "postgresql"
        and type_ == "foreign_key_constraint"
        and not reflected
        and getattr(table, "name", None) in STATEMENT_CHECKED
    )
