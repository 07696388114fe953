"""hallmon: window-service operations monitor for real-estate registration halls."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pure modules import this package; keep Flask out of their way
    from flask import Flask


def create_app(config: object | dict | None = None) -> Flask:
    """App factory: config → extensions → blueprints → error pages."""
    from flask import Flask

    from hallmon.config import instance_path, load_config
    from hallmon.resources import resource_folder

    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        template_folder=str(resource_folder("templates")),
        static_folder=str(resource_folder("static")),
    )
    load_config(app.config, config)
    if "NOTIFY_CONFIG" not in app.config:
        from hallmon.notify.config import configured

        # a set but missing or broken HALLMON_NOTIFY_CONFIG stops the app here, naming the key
        app.config["NOTIFY_CONFIG"] = configured()

    from hallmon.extensions import csrf, db, login_manager

    db.init_app(app)
    login_manager.init_app(app)
    csrf.init_app(app)

    from hallmon.assessment.views import bp as assessment_bp
    from hallmon.attendance.views import bp as attendance_bp
    from hallmon.auth.views import bp as auth_bp
    from hallmon.billing.views import bp as billing_bp
    from hallmon.caseload.views import bp as caseload_bp
    from hallmon.complaints.views import bp as complaints_bp
    from hallmon.evaluation.views import bp as evaluation_bp
    from hallmon.notify.views import bp as notify_bp
    from hallmon.web.uploads import bp as uploads_bp
    from hallmon.web.views import bp as web_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(uploads_bp)
    app.register_blueprint(billing_bp)
    for blueprint in (attendance_bp, assessment_bp, complaints_bp, caseload_bp, evaluation_bp, notify_bp):
        app.register_blueprint(blueprint)

    from hallmon.web import context, errors, security

    security.init_app(app)
    context.init_app(app)
    errors.init_app(app)
    return app
