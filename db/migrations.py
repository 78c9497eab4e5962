"""Schema, as numbered migrations. Each runs once, in a transaction, and is recorded in
_sqlite_migrations, so `migrate` is safe on every start and on an existing database."""

from sqlite_utils import Database, Migrations

from db.store import is_postgres

migrations = Migrations("linli")

ROLES = ("volunteer", "coordinator", "leader", "admin")
DISTRICTS = ("贵池区", "东至县", "石台县", "青阳县", "九华山风景区")


@migrations(name="0001_foundation")
def m0001_foundation(db: Database):
    db.executescript(
        """
        CREATE TABLE communities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            district TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('urban', 'rural')),
            households INTEGER NOT NULL CHECK (households >= 0),
            population INTEGER NOT NULL CHECK (population >= 0),
            lat REAL NOT NULL,
            lon REAL NOT NULL
        );
        CREATE INDEX idx_communities_district ON communities(district);

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('volunteer', 'coordinator', 'leader', 'admin')),
            community_id INTEGER REFERENCES communities(id),
            active INTEGER NOT NULL DEFAULT 1,
            failed_logins INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            CHECK (role != 'coordinator' OR community_id IS NOT NULL)
        );

        CREATE TABLE service_categories (
            code TEXT PRIMARY KEY,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL,
            sort INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_id TEXT,
            community_id INTEGER,
            before TEXT,
            after TEXT
        );
        CREATE INDEX idx_audit_at ON audit_log(at);
        CREATE INDEX idx_audit_table ON audit_log(table_name, row_id);
        """
    )


@migrations(name="0002_volunteers_and_ledger")
def m0002_volunteers_and_ledger(db: Database):
    db.executescript(
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        -- Fields follow 《志愿服务记录办法》. The ID number is stored encrypted (id_cipher) with a
        -- keyed hash for duplicate checks (id_hash) and its masked form for lists.
        CREATE TABLE volunteers (
            id INTEGER PRIMARY KEY,
            number TEXT UNIQUE,
            real_name TEXT NOT NULL,
            gender TEXT NOT NULL CHECK (gender IN ('M', 'F')),
            birth_date TEXT NOT NULL,
            id_cipher TEXT NOT NULL,
            id_hash TEXT NOT NULL UNIQUE,
            id_masked TEXT NOT NULL,
            phone TEXT NOT NULL UNIQUE,
            community_id INTEGER NOT NULL REFERENCES communities(id),
            availability TEXT NOT NULL DEFAULT '{}',
            party_member INTEGER NOT NULL DEFAULT 0,
            notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'inactive', 'rejected')),
            reject_reason TEXT,
            source TEXT NOT NULL DEFAULT 'signup',
            consent_at TEXT,
            created_at TEXT NOT NULL,
            approved_at TEXT,
            approved_by TEXT,
            user_id INTEGER REFERENCES users(id),
            -- Kept equal to SUM(minutes) of approved records by db/ledger.py, in the same
            -- transaction, so rosters filter and sort by star level without scanning the ledger.
            approved_minutes INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_volunteers_community ON volunteers(community_id, status);
        CREATE INDEX idx_volunteers_name ON volunteers(real_name);
        CREATE INDEX idx_volunteers_minutes ON volunteers(approved_minutes);
        CREATE INDEX idx_volunteers_user ON volunteers(user_id);

        CREATE TABLE volunteer_skills (
            volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
            category TEXT NOT NULL REFERENCES service_categories(code),
            PRIMARY KEY (volunteer_id, category)
        );
        CREATE INDEX idx_skills_category ON volunteer_skills(category, volunteer_id);

        -- The hours ledger. Approved rows are never updated or deleted: a correction is a
        -- reversing row (negative minutes) whose reverses_id points to the original.
        CREATE TABLE service_records (
            id INTEGER PRIMARY KEY,
            volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
            community_id INTEGER NOT NULL REFERENCES communities(id),
            activity TEXT NOT NULL,
            service_date TEXT NOT NULL,
            start_time TEXT,
            end_time TEXT,
            minutes INTEGER NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            beneficiary TEXT NOT NULL DEFAULT '',
            content TEXT NOT NULL DEFAULT '',
            category TEXT NOT NULL REFERENCES service_categories(code),
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
            reject_reason TEXT,
            source TEXT NOT NULL CHECK (source IN ('manual', 'self', 'request', 'daycare', 'import', 'correction')),
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            approved_by TEXT,
            approved_at TEXT,
            reverses_id INTEGER UNIQUE REFERENCES service_records(id)
        );
        CREATE INDEX idx_records_volunteer ON service_records(volunteer_id, service_date);
        CREATE INDEX idx_records_community ON service_records(community_id, status, service_date);
        CREATE INDEX idx_records_status_date ON service_records(status, service_date, category);

        CREATE TRIGGER approved_records_are_final BEFORE UPDATE ON service_records
        WHEN OLD.status = 'approved'
        BEGIN
            SELECT RAISE(ABORT, 'approved service records are never edited');
        END;
        CREATE TRIGGER records_are_never_deleted BEFORE DELETE ON service_records
        WHEN OLD.status = 'approved'
        BEGIN
            SELECT RAISE(ABORT, 'approved service records are never deleted');
        END;

        CREATE TABLE certificates (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
            community_id INTEGER NOT NULL REFERENCES communities(id),
            period_from TEXT NOT NULL,
            period_to TEXT NOT NULL,
            total_minutes INTEGER NOT NULL,
            issued_by TEXT NOT NULL,
            issued_at TEXT NOT NULL
        );
        CREATE INDEX idx_certificates_volunteer ON certificates(volunteer_id);
        """
    )


@migrations(name="0003_directory")
def m0003_directory(db: Database):
    db.executescript(
        """
        -- Days an admin adds to China's calendar (years chinesecalendar does not cover yet).
        CREATE TABLE calendar_days (
            day TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
            name TEXT NOT NULL DEFAULT '',
            added_by TEXT NOT NULL,
            added_at TEXT NOT NULL
        );

        -- MOFCOM's 15-minute convenience circle list plus public-service points. `basic`
        -- categories count for coverage; `hotline` ones are printed on the service card.
        CREATE TABLE outlet_categories (
            code TEXT PRIMARY KEY,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL,
            basic INTEGER NOT NULL DEFAULT 0,
            hotline INTEGER NOT NULL DEFAULT 0,
            sort INTEGER NOT NULL DEFAULT 0
        );

        -- Modelled on Open Referral HSDS: location + service + phone + schedule in one row.
        CREATE TABLE outlets (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            category TEXT NOT NULL REFERENCES outlet_categories(code),
            services TEXT NOT NULL DEFAULT '',
            community_id INTEGER NOT NULL REFERENCES communities(id),
            address TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            phones TEXT NOT NULL DEFAULT '',
            opening_hours TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'temporarily_closed', 'closed')),
            accessibility TEXT NOT NULL DEFAULT '',
            last_verified TEXT,
            source TEXT NOT NULL DEFAULT '',
            initials TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX idx_outlets_community ON outlets(community_id, category);
        CREATE INDEX idx_outlets_category ON outlets(category, status);
        """
    )


@migrations(name="0004_reference_data")
def m0004_reference_data(db: Database):
    from db.taxonomy import outlet_category_rows, service_category_rows

    db["service_categories"].insert_all(service_category_rows(), ignore=True)
    db["outlet_categories"].insert_all(outlet_category_rows(), ignore=True)


@migrations(name="0005_exchange")
def m0005_exchange(db: Database):
    db.executescript(
        """
        -- Needs (求助) and offers (服务). A need moves pending → open → claimed → done → confirmed,
        -- or to cancelled / rejected; "expired" is derived from expires_at, no job needed.
        CREATE TABLE service_requests (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('need', 'offer')),
            title TEXT NOT NULL,
            category TEXT NOT NULL REFERENCES service_categories(code),
            description TEXT NOT NULL DEFAULT '',
            community_id INTEGER NOT NULL REFERENCES communities(id),
            requester_name TEXT NOT NULL DEFAULT '',
            requester_phone TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            window_start TEXT,
            window_end TEXT,
            urgency INTEGER NOT NULL DEFAULT 1 CHECK (urgency IN (1, 2, 3)),
            est_minutes INTEGER NOT NULL DEFAULT 60,
            expires_at TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'open', 'claimed', 'done', 'confirmed',
                                                   'cancelled', 'rejected')),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            moderated_by TEXT,
            claimed_by INTEGER REFERENCES volunteers(id),
            claimed_at TEXT,
            done_at TEXT,
            actual_minutes INTEGER,
            confirmed_by TEXT,
            confirmed_at TEXT,
            reason TEXT,
            record_id INTEGER REFERENCES service_records(id),
            offer_id INTEGER REFERENCES service_requests(id),
            offered_by INTEGER REFERENCES volunteers(id),
            redeemer_id INTEGER REFERENCES volunteers(id),
            relation TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX idx_requests_board ON service_requests(kind, community_id, status, urgency);
        CREATE INDEX idx_requests_created ON service_requests(created_at);
        CREATE INDEX idx_requests_claimer ON service_requests(claimed_by, status);

        -- Time-bank redemptions: reserved when the need is posted (so two redemptions at once can
        -- never overdraw), debited when it is confirmed, released when it is cancelled.
        CREATE TABLE redemptions (
            id INTEGER PRIMARY KEY,
            volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
            request_id INTEGER NOT NULL UNIQUE REFERENCES service_requests(id),
            minutes INTEGER NOT NULL CHECK (minutes > 0),
            status TEXT NOT NULL CHECK (status IN ('reserved', 'debited', 'released')),
            created_at TEXT NOT NULL,
            settled_at TEXT
        );
        CREATE INDEX idx_redemptions_volunteer ON redemptions(volunteer_id, status);
        """
    )


@migrations(name="0006_daycare")
def m0006_daycare(db: Database):
    db.executescript(
        """
        CREATE TABLE daycare_centres (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            community_id INTEGER NOT NULL REFERENCES communities(id),
            address TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            hotline TEXT NOT NULL,
            opening_hours TEXT NOT NULL,
            capacity INTEGER NOT NULL CHECK (capacity > 0),
            outlet_id INTEGER REFERENCES outlets(id)
        );

        -- Weekly recurrence as in the HSDS schedule: byday, opens_at, closes_at, valid_from/to.
        CREATE TABLE daycare_programmes (
            id INTEGER PRIMARY KEY,
            centre_id INTEGER NOT NULL REFERENCES daycare_centres(id),
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            room TEXT NOT NULL,
            capacity INTEGER NOT NULL CHECK (capacity > 0),
            lead TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            byday TEXT NOT NULL,
            opens_at TEXT NOT NULL,
            closes_at TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_to TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            created_by TEXT NOT NULL
        );
        CREATE INDEX idx_programmes_centre ON daycare_programmes(centre_id, room);

        CREATE TABLE daycare_closures (
            id INTEGER PRIMARY KEY,
            centre_id INTEGER NOT NULL REFERENCES daycare_centres(id),
            day TEXT NOT NULL,
            reason TEXT NOT NULL,
            UNIQUE (centre_id, day)
        );

        CREATE TABLE daycare_members (
            id INTEGER PRIMARY KEY,
            centre_id INTEGER NOT NULL REFERENCES daycare_centres(id),
            name TEXT NOT NULL,
            birth_year INTEGER NOT NULL,
            community_id INTEGER NOT NULL REFERENCES communities(id),
            emergency_contact TEXT NOT NULL,
            emergency_phone TEXT NOT NULL,
            diet TEXT NOT NULL DEFAULT '',
            mobility TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_members_centre ON daycare_members(centre_id);

        -- One row per member and session. Waitlisted rows keep their order in `position`;
        -- attended is NULL until check-in, then 1 (present) or 0 (no-show).
        CREATE TABLE daycare_bookings (
            id INTEGER PRIMARY KEY,
            programme_id INTEGER NOT NULL REFERENCES daycare_programmes(id),
            session_date TEXT NOT NULL,
            member_id INTEGER NOT NULL REFERENCES daycare_members(id),
            status TEXT NOT NULL CHECK (status IN ('booked', 'waitlist', 'cancelled')),
            position INTEGER,
            attended INTEGER,
            created_at TEXT NOT NULL,
            UNIQUE (programme_id, session_date, member_id)
        );
        CREATE INDEX idx_bookings_session ON daycare_bookings(programme_id, session_date, status);
        CREATE INDEX idx_bookings_date ON daycare_bookings(session_date);
        """
    )


@migrations(name="0007_dashboard_index")
def m0007_dashboard_index(db: Database):
    # A covering index for the dashboard's ledger aggregates: every figure by period, community,
    # category and volunteer is answered from the index alone, never from the 2M-row table.
    db.execute("CREATE INDEX idx_records_dashboard ON service_records"
               "(status, service_date, community_id, category, volunteer_id, minutes)")
    db.execute("CREATE INDEX idx_volunteers_created ON volunteers(created_at, community_id, status)")


@migrations(name="0008_logout_time")
def m0008_logout_time(db: Database):
    # A login cookie issued before the account's last logout is refused (see db.users.cookie_revoked).
    db.execute("ALTER TABLE users ADD COLUMN logged_out_at REAL")


@migrations(name="0009_family_members")
def m0009_family_members(db: Database):
    # The family a volunteer may spend their time bank on (需求可为本人或登记的家庭成员发布).
    db.executescript(
        """
        CREATE TABLE family_members (
            id INTEGER PRIMARY KEY,
            volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
            name TEXT NOT NULL,
            relation TEXT NOT NULL,
            phone TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_family_volunteer ON family_members(volunteer_id);
        ALTER TABLE service_requests ADD COLUMN family_member_id INTEGER REFERENCES family_members(id);
        """
    )


@migrations(name="0010_certificate_summary")
def m0010_certificate_summary(db: Database):
    # A certificate's category table is frozen at issue, like its total: a later reversal must not
    # change what a printed certificate says.
    db.execute("ALTER TABLE certificates ADD COLUMN by_category TEXT")


@migrations(name="0011_hsds_identity")
def m0011_hsds_identity(db: Database):
    # The id an outlet has in another HSDS publisher's files, so importing their file again updates
    # it; and the category imports fall back to when a file names none we know.
    from db.taxonomy import outlet_category_rows

    db.execute("ALTER TABLE outlets ADD COLUMN hsds_id TEXT")
    db.execute("CREATE INDEX idx_outlets_hsds ON outlets(hsds_id)")
    db["outlet_categories"].insert_all(outlet_category_rows(), ignore=True)


@migrations(name="0012_privacy")
def m0012_privacy(db: Database):
    # The old mask (341702********0748) hid exactly the eight birth-date digits, and the birth date
    # was stored in clear beside it: together they were the ID number. Now only the birth year is
    # kept, the mask shows two digits at each end, and the audit log is scrubbed the same way.
    db.execute("ALTER TABLE volunteers ADD COLUMN birth_year INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE volunteers SET birth_year = CAST(substr(birth_date, 1, 4) AS INTEGER),"
               f" id_masked = {_sql_mask_id('id_masked')}")
    db.execute("ALTER TABLE volunteers DROP COLUMN birth_date")
    if is_postgres(db):
        return  # a PostgreSQL store is younger than this: its audit log has no rows written the old way
    for column in ("before", "after"):
        where = f"WHERE {column} IS NOT NULL AND json_valid({column})"
        db.execute(f"UPDATE audit_log SET {column} = json_remove({column}, '$.birth_date', '$.id_cipher',"
                   f" '$.id_hash') {where}")
        db.execute(f"UPDATE audit_log SET {column} = json_set({column}, '$.id_masked',"
                   f" {_sql_mask_id(f'json_extract({column}, {chr(39)}$.id_masked{chr(39)})')})"
                   f" {where} AND json_extract({column}, '$.id_masked') IS NOT NULL")
        for key in ("phone", "requester_phone", "emergency_phone"):
            value = f"json_extract({column}, '$.{key}')"
            db.execute(f"UPDATE audit_log SET {column} = json_set({column}, '$.{key}',"
                       f" CASE WHEN length({value}) >= 7 THEN substr({value}, 1, 3) || '****' || substr({value}, -4)"
                       f" ELSE '****' END) {where} AND {value} IS NOT NULL AND {value} != ''")


@migrations(name="0013_temporary_lockout")
def m0013_temporary_lockout(db: Database):
    # Wrong passwords lock an account for a while (longer each time), not until an admin comes: a
    # stranger could otherwise lock out the only admin for good with five guesses.
    db.execute("ALTER TABLE users ADD COLUMN locked_until REAL")


@migrations(name="0014_rate_limits")
def m0014_rate_limits(db: Database):
    # Anonymous writes (needs, sign-ups) counted per address and per phone: kept in the database,
    # so every app process sees the same counts.
    db.executescript("""
        CREATE TABLE rate_events (key TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX idx_rate_events ON rate_events(key, at);
    """)


@migrations(name="0015_own_passwords")
def m0015_own_passwords(db: Database):
    # A password someone else chose (a one-time password, an admin's reset) is changed by its owner
    # on first login before anything else.
    db.execute("ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0")


@migrations(name="0016_outlet_pauses")
def m0016_outlet_pauses(db: Database):
    # 暂停营业 with a reason and the day it reopens ("装修，12-15 恢复"); past that day the outlet's
    # own hours apply again without anyone remembering to switch it back.
    db.execute("ALTER TABLE outlets ADD COLUMN paused_until TEXT")
    db.execute("ALTER TABLE outlets ADD COLUMN pause_reason TEXT NOT NULL DEFAULT ''")


@migrations(name="0017_certificate_verification")
def m0017_certificate_verification(db: Database):
    # Anyone holding a printed certificate (an employer, a school) can check it by its code: a
    # random one, so certificate numbers, which count up, cannot be walked through.
    from db.certificates import new_code

    db.execute("ALTER TABLE certificates ADD COLUMN verify_code TEXT")
    for (cert_id,) in db.execute("SELECT id FROM certificates").fetchall():
        db.execute("UPDATE certificates SET verify_code = ? WHERE id = ?", [new_code(), cert_id])
    db.execute("CREATE UNIQUE INDEX idx_certificates_code ON certificates(verify_code)")


@migrations(name="0018_certificate_revocation")
def m0018_certificate_revocation(db: Database):
    # A certificate issued in error is revoked, never deleted: its check then says so, and when.
    db.execute("ALTER TABLE certificates ADD COLUMN revoked_at TEXT")
    db.execute("ALTER TABLE certificates ADD COLUMN revoked_by TEXT")
    db.execute("ALTER TABLE certificates ADD COLUMN revoke_reason TEXT")


@migrations(name="0019_activities", transactional=False)
def m0019_activities(db: Database):
    # Volunteer activities (志愿活动): shifts with slots, sign-ups with a waitlist, and 签到/签退 on
    # each sign-up; hours are derived from attendance into the ledger with their own sources. The
    # ledger's source check is a table constraint, so the table is rebuilt (SQLite's documented
    # twelve steps: foreign keys off, copy, swap, indexes and triggers back, check).
    from db.store import write

    if is_postgres(db):  # a constraint is changed in place there; foreign keys stay on
        with write(db):
            db.executescript(ACTIVITY_TABLES)
            _allow_ledger_sources(db, "'activity_qr'", "'activity_manual'")
        return
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with write(db):
            db.executescript(ACTIVITY_TABLES)
            _allow_ledger_sources(db, "'activity_qr'", "'activity_manual'")
            problems = db.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign keys broken by the ledger rebuild: {problems[:5]}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


@migrations(name="0020_notifications")
def m0020_notifications(db: Database):
    # What happened to a volunteer's things while they were away (hours approved, a place on an
    # activity come free, an activity called off), shown under the bell until read. The words are
    # the catalogue's, in the reader's language: a row keeps the kind and its figures only.
    db.executescript("""
        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
            kind TEXT NOT NULL,
            params TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            read_at TEXT
        );
        CREATE INDEX idx_notifications_volunteer ON notifications(volunteer_id, read_at, id);
    """)


@migrations(name="0021_dashboard_index_source")
def m0021_dashboard_index_source(db: Database):
    # The share of hours not typed in is read by source: with the source at the end of the covering
    # index, that figure too comes from the index alone (1.3 s of table reads a year at city scale).
    db.execute("DROP INDEX idx_records_dashboard")
    db.execute("CREATE INDEX idx_records_dashboard ON service_records"
               "(status, service_date, community_id, category, volunteer_id, minutes, source)")



@migrations(name="0022_residents_voice")
def m0022_residents_voice(db: Database):
    # Residents' voice (满意度) and the directory's corrections: a rating per confirmed need,
    # surveys answered with a one-time code from a printed slip, reports that an outlet's entry is
    # wrong. Scorecard weights live in settings.
    db.executescript("""
        CREATE TABLE need_ratings (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL UNIQUE REFERENCES service_requests(id),  -- one rating per need
            community_id INTEGER NOT NULL REFERENCES communities(id),
            volunteer_id INTEGER REFERENCES volunteers(id),  -- who did it: their average
            stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            on_behalf INTEGER NOT NULL DEFAULT 0,  -- entered by staff for the resident (a phone call)
            shared INTEGER NOT NULL DEFAULT 0,  -- the comment shown to the volunteer
            rated_by TEXT NOT NULL,
            rated_at TEXT NOT NULL
        );
        CREATE INDEX idx_ratings_community ON need_ratings(community_id, rated_at, stars);
        CREATE INDEX idx_ratings_volunteer ON need_ratings(volunteer_id, stars);

        CREATE TABLE surveys (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            intro TEXT NOT NULL DEFAULT '',
            opens_on TEXT NOT NULL,
            closes_on TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE survey_questions (
            id INTEGER PRIMARY KEY,
            survey_id INTEGER NOT NULL REFERENCES surveys(id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('scale', 'choice', 'text')),
            text TEXT NOT NULL,
            choices TEXT NOT NULL DEFAULT '[]',
            UNIQUE (survey_id, position)
        );
        CREATE TABLE survey_communities (
            survey_id INTEGER NOT NULL REFERENCES surveys(id),
            community_id INTEGER NOT NULL REFERENCES communities(id),
            PRIMARY KEY (survey_id, community_id)
        );
        -- One-time codes printed on slips the community hands to households; a code answers once.
        CREATE TABLE survey_codes (
            code TEXT PRIMARY KEY,
            survey_id INTEGER NOT NULL REFERENCES surveys(id),
            community_id INTEGER NOT NULL REFERENCES communities(id),
            issued_by TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE INDEX idx_codes_survey ON survey_codes(survey_id, community_id, used_at);
        -- One answer per phone number and survey: the number kept only as a keyed hash.
        CREATE TABLE survey_responses (
            id INTEGER PRIMARY KEY,
            survey_id INTEGER NOT NULL REFERENCES surveys(id),
            community_id INTEGER NOT NULL REFERENCES communities(id),
            code TEXT NOT NULL UNIQUE REFERENCES survey_codes(code),
            phone_hash TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            UNIQUE (survey_id, phone_hash)
        );
        CREATE INDEX idx_responses_community ON survey_responses(community_id, answered_at);
        CREATE TABLE survey_answers (
            response_id INTEGER NOT NULL REFERENCES survey_responses(id),
            question_id INTEGER NOT NULL REFERENCES survey_questions(id),
            value INTEGER,  -- a scale's 1–5, or a choice's index
            text TEXT,  -- a free answer
            PRIMARY KEY (response_id, question_id)
        );
        CREATE INDEX idx_answers_question ON survey_answers(question_id, value);

        CREATE TABLE outlet_corrections (
            id INTEGER PRIMARY KEY,
            outlet_id INTEGER NOT NULL REFERENCES outlets(id),
            community_id INTEGER NOT NULL REFERENCES communities(id),
            kind TEXT NOT NULL CHECK (kind IN ('closed', 'moved', 'phone', 'hours', 'other')),
            detail TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
            reason TEXT,
            reported_by TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            handled_by TEXT,
            handled_at TEXT
        );
        CREATE INDEX idx_corrections_queue ON outlet_corrections(status, community_id);
        CREATE INDEX idx_corrections_outlet ON outlet_corrections(outlet_id);
        CREATE INDEX idx_outlets_verified ON outlets(community_id, status, last_verified);
    """)


ACTIVITY_TABLES = """
    CREATE TABLE IF NOT EXISTS activities (
        id INTEGER PRIMARY KEY,
        community_id INTEGER NOT NULL REFERENCES communities(id),
        title TEXT NOT NULL,
        category TEXT NOT NULL REFERENCES service_categories(code),
        place TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        skills TEXT NOT NULL DEFAULT '[]',
        starts_at TEXT NOT NULL,  -- Beijing time, 'YYYY-MM-DDTHH:MM'
        ends_at TEXT NOT NULL,
        cancel_hours INTEGER NOT NULL DEFAULT 2,  -- a volunteer cancels up to this many hours before
        series_id INTEGER REFERENCES activities(id),  -- the first of a weekly series
        status TEXT NOT NULL CHECK (status IN ('published', 'cancelled')),
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        approved_by TEXT,
        approved_at TEXT
    );
    CREATE INDEX IF NOT EXISTS idx_activities_upcoming ON activities(status, starts_at, community_id);
    CREATE INDEX IF NOT EXISTS idx_activities_community ON activities(community_id, starts_at);

    CREATE TABLE IF NOT EXISTS activity_shifts (
        id INTEGER PRIMARY KEY,
        activity_id INTEGER NOT NULL REFERENCES activities(id),
        name TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        slots INTEGER NOT NULL CHECK (slots > 0)
    );
    CREATE INDEX IF NOT EXISTS idx_shifts_activity ON activity_shifts(activity_id);

    -- One row per volunteer and shift: confirmed or waiting (in queued_at order), or cancelled; the
    -- 签到/签退 it carries say how (QR scan or ticked by hand) and by whom.
    CREATE TABLE IF NOT EXISTS activity_signups (
        id INTEGER PRIMARY KEY,
        activity_id INTEGER NOT NULL REFERENCES activities(id),
        shift_id INTEGER NOT NULL REFERENCES activity_shifts(id),
        volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlist', 'cancelled')),
        queued_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        cancelled_at TEXT,
        signed_in_at TEXT,
        in_source TEXT CHECK (in_source IN ('qr', 'manual')),
        in_by TEXT,
        signed_out_at TEXT,
        out_source TEXT CHECK (out_source IN ('qr', 'manual')),
        out_by TEXT,
        record_id INTEGER REFERENCES service_records(id),
        UNIQUE (shift_id, volunteer_id)
    );
    -- with signed_in_at: the dashboard's turn-out is read from the index alone
    CREATE INDEX IF NOT EXISTS idx_signups_activity ON activity_signups(activity_id, status, signed_in_at);
    CREATE INDEX IF NOT EXISTS idx_signups_shift ON activity_signups(shift_id, status, queued_at);
    CREATE INDEX IF NOT EXISTS idx_signups_volunteer ON activity_signups(volunteer_id, status);
    -- Attended and not yet credited (no 签退 yet, or waiting for the organiser): the coordinator's to-do.
    CREATE INDEX IF NOT EXISTS idx_signups_to_credit ON activity_signups(activity_id)
        WHERE signed_in_at IS NOT NULL AND record_id IS NULL;
"""


def _allow_ledger_sources(db: Database, *sources: str) -> None:
    """Rebuild service_records with more values allowed in its source check (inside the caller's
    transaction, foreign keys off); its indexes and triggers come back as they were. PostgreSQL
    changes the constraint in place."""
    if is_postgres(db):
        (check,) = db.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                              " WHERE conname = 'service_records_source_check'").fetchone()
        allowed = [v.split("'")[1] for v in check.split("ARRAY[", 1)[1].split(",")] if "ARRAY[" in check else []
        values = ", ".join([f"'{v}'" for v in allowed] + [s for s in sources if s.strip("'") not in allowed])
        db.execute("ALTER TABLE service_records DROP CONSTRAINT service_records_source_check,"
                   f" ADD CONSTRAINT service_records_source_check CHECK (source IN ({values}))")
        return
    (table_sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'service_records'").fetchone()
    if all(s in table_sql for s in sources):
        return  # rebuilt already (a run stopped before it was recorded)
    last = "'correction')"
    if last not in table_sql:
        raise RuntimeError("the ledger's source check is not the one this migration knows")
    extras = [sql for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'service_records'"
                                           " AND type IN ('index', 'trigger') AND sql IS NOT NULL")]
    new_sql = table_sql.replace("CREATE TABLE service_records", "CREATE TABLE service_records_new", 1)
    db.execute(new_sql.replace(last, "'correction', " + ", ".join(sources) + ")", 1))
    db.execute("INSERT INTO service_records_new SELECT * FROM service_records")
    db.execute("DROP TABLE service_records")
    db.execute("ALTER TABLE service_records_new RENAME TO service_records")
    for sql in extras:
        db.execute(sql)


@migrations(name="0023_data_versions")
def m0023_data_versions(db: Database):
    # Several app processes share one store, and each caches figures: a counter per area of the data,
    # moved by triggers, keys every cached figure, so a write in one process reaches the figures of
    # every other (db/versions.py).
    from db.versions import install

    install(db)


def _sql_mask_id(expression: str) -> str:
    """db.identity.mask_id in SQL, for rows masked the old way (their ends are still visible)."""
    return f"substr({expression}, 1, 2) || '**************' || substr({expression}, -2)"


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied."""
    if is_postgres(db):
        from db import postgres

        return postgres.migrate(db, migrations)
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
    return pending


def status(db: Database) -> tuple[list[str], list[str]]:
    """(applied, pending) migration names."""
    if is_postgres(db):
        from db import postgres

        done = postgres.applied(db, migrations.name)
        return done, [m.name for m in migrations._migrations if m.name not in done]
    return [m.name for m in migrations.applied(db)], [m.name for m in migrations.pending(db)]
