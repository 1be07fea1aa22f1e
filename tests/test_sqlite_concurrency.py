"""Two requests writing at once on the demo's SQLite database wait for each
other instead of failing with "database is locked" (an HTTP 500): the
pattern of two coordinators nominating for a faculty's last slot."""

import threading

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="PostgreSQL: rows are locked with select_for_update",
)


def test_two_read_then_write_transactions_at_once_both_succeed(
    tmp_path, django_db_blocker
):
    with django_db_blocker.unblock():
        run_two_nominations(tmp_path)


def run_two_nominations(tmp_path):
    # The site's own database settings, on a file both threads share.
    config = {
        **settings.DATABASES["default"],
        "NAME": str(tmp_path / "concurrency.sqlite3"),
        "TEST": {},
    }
    setup = ConnectionHandler({"default": config})["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE nomination (slot INTEGER)")
    setup.close()
    barrier = threading.Barrier(2)
    errors = []

    def nominate():
        connection = ConnectionHandler({"default": config})["default"]
        try:
            # What transaction.atomic() does on entering.
            connection.set_autocommit(
                False, force_begin_transaction_with_broken_autocommit=True
            )
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM nomination")
                taken = cursor.fetchone()[0]
                try:
                    # Both have read before either writes, if SQLite lets them.
                    barrier.wait(timeout=1)
                except threading.BrokenBarrierError:
                    pass
                cursor.execute("INSERT INTO nomination VALUES (%s)", [taken + 1])
            connection.commit()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=nominate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    check = ConnectionHandler({"default": config})["default"]
    with check.cursor() as cursor:
        cursor.execute("SELECT slot FROM nomination ORDER BY slot")
        slots = [row[0] for row in cursor.fetchall()]
    check.close()
    # The second saw the first's nomination: the quota check is serialised.
    assert slots == [1, 2]
