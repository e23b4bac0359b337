"""Uploaded application materials: type and size checked, stored outside the web root by content hash."""
import hashlib
import os
from pathlib import Path

from core.records.models import Material
from core.rules.programmes import governing_rules
from core.records.services.base import ServiceError, change, require_reach, require_role

# What a file of each extension must begin with: an upload named .pdf that is not a PDF is refused.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".zip": (b"PK\x03\x04",),
    ".ofd": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
    ".ofd": "application/ofd",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
#: While the application is here, its filer may still change the materials.
EDITABLE_STATES = ("draft",)


def upload_dir():
    return Path(os.environ.get("HRPARK_UPLOAD_DIR", Path("instance") / "uploads"))


def material_spec(application, material_id):
    for spec in governing_rules(application).materials():
        if spec.id == material_id:
            return spec
    raise ServiceError(f"未知材料项 {material_id}", f"unknown material {material_id}", field="material_id")


def add_material(application, material_id, filename, data: bytes, actor, directory=None):
    """Check and store one file for `material_id` of `application`; return the Material row."""
    require_reach(actor, application.park)
    procedure = governing_rules(application).procedure()
    require_role(actor, (procedure.filer_role,), "上传申报材料", "upload materials")
    if application.state not in EDITABLE_STATES:
        raise ServiceError("申请已提交，材料不能再修改（如需补正请由审核方退回）", "materials can change only while the application is a draft")
    spec = material_spec(application, material_id)
    name = Path(filename or "").name
    extension = Path(name).suffix.lower()
    if extension not in spec.extensions:
        raise ServiceError(
            f"“{spec.title}”不接受{extension or '无扩展名'}文件，可接受：{'、'.join(spec.extensions)}",
            f"{spec.title_en}: {extension or 'no extension'} files are not accepted ({', '.join(spec.extensions)})",
            field="file",
        )
    if not data:
        raise ServiceError("文件为空", "the file is empty", field="file")
    if len(data) > spec.max_bytes:
        raise ServiceError(
            f"文件大小{len(data) // 1024}KB，超过上限{spec.max_bytes // (1024 * 1024)}MB",
            f"the file is {len(data) // 1024} KB, over the {spec.max_bytes // (1024 * 1024)} MB limit",
            field="file",
        )
    signatures = SIGNATURES.get(extension)
    if signatures and not data.startswith(signatures):
        raise ServiceError(
            f"文件内容与扩展名{extension}不符（不是有效的{extension[1:].upper()}文件）",
            f"the file's content does not match its {extension} extension",
            field="file",
        )
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(directory or upload_dir()) / str(application.id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}{extension}"
    written = not path.exists()
    if written:
        path.write_bytes(data)
    try:
        with change(actor):
            for old in Material.select().where(
                (Material.application == application) & (Material.material_id == material_id) & (Material.withdrawn == False)  # noqa: E712
            ):
                old.withdrawn = True  # the new file replaces it; the old one stays on record
                old.save()
            return Material.create(
                application=application,
                material_id=material_id,
                filename=name,
                stored_path=str(path),
                content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
                size=len(data),
                sha256=digest,
                uploaded_by=actor.username,
            )
    except Exception:
        if written:
            path.unlink(missing_ok=True)  # nothing half-written: no file without its row
        raise
