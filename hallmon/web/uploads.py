"""Uploading source files from the browser: the same ingest service as `hallmon ingest`, errors on the page."""
from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_login import current_user

from hallmon.app import writes
from hallmon.app.sources import KINDS, SOURCES
from hallmon.core import labels
from hallmon.extensions import db
from hallmon.ingest.errors import IngestRefused
from hallmon.uow import unit_of_work
from hallmon.web.security import roles_required

bp = Blueprint("uploads", __name__, url_prefix="/uploads")

MAX_ERRORS_SHOWN = 500


def _folder(name: str) -> Path:
    path = Path(current_app.instance_path) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe_name(name: str) -> str:
    """Keep Chinese file names readable but never a path."""
    name = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\-\u4e00-\u9fff（）()]", "_", name)[:150] or "upload"


@bp.route("/", methods=["GET", "POST"])
@roles_required("manager")
def upload():
    kinds = list(KINDS)
    context = {"kinds": kinds, "titles": labels.SOURCES, "formats": labels.FORMATS,
               "source_formats": {k: ("auto", *SOURCES[k].source.formats) for k in kinds}}
    if request.method == "GET":
        return render_template("uploads/upload.html", **context)
    kind = request.form.get("kind", "")
    fmt = request.form.get("format", "auto")
    skip = request.form.get("skip_bad_rows") == "on"
    file = request.files.get("file")
    if kind not in kinds:
        return render_template("uploads/upload.html", problem="请选择数据类型", **context), 400
    if file is None or not file.filename:
        return render_template("uploads/upload.html", problem="请选择要上传的文件", **context), 400
    data = file.read()
    name = _safe_name(file.filename)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = _folder("uploads") / f"{stamp}-{uuid.uuid4().hex[:6]}-{name}"
    kept.write_bytes(data)  # every uploaded file is kept, loaded or not
    try:
        with unit_of_work(db.session) as session:
            report = writes.load_file(session, kind, kept, fmt=fmt, skip_bad_rows=skip, actor=current_user.username,
                                      data=data, display=name, rejected_dir=_folder("rejected"))
    except IngestRefused as exc:
        return render_template("uploads/upload.html", refused=exc, shown=exc.errors[:MAX_ERRORS_SHOWN],
                               kind=kind, file_name=name, **context), 422
    rejected = Path(report.rejected_file).name if report.rejected_file else None
    return render_template("uploads/upload.html", report=report, rejected=rejected,
                           shown=report.errors[:MAX_ERRORS_SHOWN], kind=kind, **context)


@bp.route("/rejected/<name>")
@roles_required("manager")
def rejected(name: str):
    path = _folder("rejected") / _safe_name(name)
    if not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name, mimetype="text/csv")
