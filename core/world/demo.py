"""Demo data (`hrpark demo`): the sample world every installed plugin describes (core.world.factory),
built through the same services officials use, so the demo's records obey every rule they would."""
import datetime

from core.world.factory import DRAFT_MATERIALS_PRESENT, build_world, demo_pdf  # noqa: F401  (the demo's helpers)


def build_demo_data(today=None, upload_dir=None):
    """Fill an empty, migrated database with the demo. Returns a summary {what: count}.

    `upload_dir`: where the demo's materials are stored (the back office's UPLOAD_DIR; default as
    core.records.services.materials.upload_dir())."""
    return build_world(today or datetime.date.today(), upload_dir=upload_dir)
