"""How `hrpark serve` runs the back office: one waitress process, or several gunicorn workers.

With `--workers N` (N > 1) gunicorn's master forks N processes, each with `--threads` threads,
sharing one listening socket. Everything that must happen once — migrating the database, adding
the installed jurisdictions, compiling the catalogs, creating the instance's secret key — is done
by the master before it forks; each worker then builds its own app and its own database
connections (none is inherited across the fork). Sessions, login throttling and API token use are
kept in the database, so any worker may answer any request.
"""
import gc

from gunicorn.app.base import BaseApplication

from core.records.db import database


def set_start_up_objects_aside():
    """Take what building the app made (modules, plugins, templates, the app: a hundred thousand
    objects that live as long as the process) out of the garbage collector's walks, once the app is
    built and before the first request. A full collection walked them all in about 90 ms, a pause
    now and then in somebody's request; without them it walks what requests made. Garbage among
    them is collected first; the batch's own pause (core.rules.bulk) leaves them set aside."""
    gc.collect()
    gc.freeze()


class GunicornServer(BaseApplication):
    """gunicorn run from Python: `make_app` is called in each worker, after the fork."""

    def __init__(self, make_app, options):
        self.make_app = make_app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        app = self.make_app()
        set_start_up_objects_aside()
        return app


def close_inherited_connections():
    """Close the master's connections (a pool's idle ones too) so that no worker shares a socket."""
    db = database.obj
    if db is None:
        return
    if hasattr(db, "close_all"):  # playhouse.pool
        db.close_all()
    elif not db.is_closed():
        db.close()


def serve_with_workers(make_app, host, port, workers, threads):
    close_inherited_connections()
    GunicornServer(make_app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "proc_name": "hrpark",
        "preload_app": False,  # each worker builds its app (and connections) after the fork
        "graceful_timeout": 10,
    }).run()
