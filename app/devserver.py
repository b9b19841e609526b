"""`make run`: the embedded store, migrations, demo data, and the server on 127.0.0.1:5000.

Ctrl-C stops the server and the store; the next `make run` finds the same data under instance/.
"""

from __future__ import annotations

import os
import signal
import sys

from config import INSTANCE_DIR


def _stop_on_sigterm(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started with SIGINT ignored
    store = None
    if not os.environ.get("S3_ENDPOINT"):
        from app.storage.embedded import EmbeddedS3, Ports

        store = EmbeddedS3(
            INSTANCE_DIR / "s3",
            Ports.from_env(),
            os.environ.get("S3_ACCESS_KEY", "eoffice"),
            os.environ.get("S3_SECRET_KEY", "eoffice-embedded-secret"),
        )
        print(f"Starting the embedded S3 store (SeaweedFS) on {store.endpoint}, data in {store.data_dir} ...")
        try:
            store.start()
        except RuntimeError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        os.environ["S3_ENDPOINT"] = store.endpoint
    try:
        return _serve()
    except KeyboardInterrupt:
        return 0
    finally:
        if store is not None:
            print("Stopping the embedded store ...")
            store.stop()


def _serve() -> int:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.seed import demo_logins, seed_demo_data

    app = create_app()
    with app.app_context():
        upgrade()
        created = seed_demo_data()
        db.session.commit()
        app.extensions["blob_store"].ping()
    port = app.config["PORT"]
    password = app.config["DEMO_PASSWORD"]
    print()
    print(f"  e-office is running at http://127.0.0.1:{port}   (Ctrl-C stops it)")
    print(f"  Demo data {'added' if created else 'kept from the last run'}. Every demo password is: {password}")
    print()
    print(f"  {'username':<16} {'role':<12} organisation")
    for username, role, organisation in demo_logins():
        print(f"  {username:<16} {role:<12} {organisation}")
    print(flush=True)
    from app.worker import start_in_thread

    start_in_thread(app)  # deliveries to peer servers, in the background of the same process
    app.run(host="127.0.0.1", port=port, threaded=True, use_reloader=False, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
