"""Log in and out."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from hallmon.auth import services
from hallmon.extensions import db, login_manager
from hallmon.uow import unit_of_work

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired(message="请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码")])


@login_manager.user_loader
def load_user(user_id: str):
    try:
        return services.get_user(db.session, int(user_id))
    except ValueError:
        return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            with unit_of_work(db.session) as session:
                user = services.authenticate(
                    session, form.username.data.strip(), form.password.data, request.remote_addr or "-",
                    current_app.config["LOGIN_ATTEMPTS_PER_WINDOW"], current_app.config["LOGIN_WINDOW_SECONDS"],
                )
        except services.TooManyAttempts as exc:
            flash(exc.message, "error")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            flash("用户名或密码错误", "error")
            status = 401
        else:
            login_user(user)
            target = request.args.get("next")
            if not target or not target.startswith("/") or target.startswith("//"):
                target = url_for("web.dashboard")
            return redirect(target)
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("已退出登录", "info")
    return redirect(url_for("auth.login"))
