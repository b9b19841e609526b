"""Admin pages: the organisations an admin manages, their units and their users."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..errors import Forbidden, InvalidInput, NotFound
from ..extensions import db
from . import service
from .models import Organisation, Role, Unit, User

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.before_request
def _admins_only() -> None:
    if current_user.is_authenticated and not current_user.has_role(Role.ADMIN):
        raise Forbidden(gettext("Only administrators can open these pages."))


def _managed_org(org_id: int) -> Organisation:
    if org_id not in service.managed_org_ids(current_user):
        raise NotFound()
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound()
    return org


@admin.get("/organisations")
def organisations():  # type: ignore[no-untyped-def]
    managed = service.managed_org_ids(current_user)
    return render_template("admin/organisations.html", tree=service.organisation_tree(managed), errors={}, form={})


@admin.post("/organisations")
def create_organisation():  # type: ignore[no-untyped-def]
    form = request.form.to_dict()
    try:
        parent_id = int(form.get("parent_id") or 0) or None
        org = service.create_organisation(
            current_user,
            code=form.get("code", ""),
            name=form.get("name", ""),
            abbreviation=form.get("abbreviation", ""),
            parent_id=parent_id,
            place=form.get("place"),
        )
    except (InvalidInput, ValueError) as err:
        errors = err.fields if isinstance(err, InvalidInput) else {"parent_id": gettext("Unknown organisation.")}
        managed = service.managed_org_ids(current_user)
        tree = service.organisation_tree(managed)
        return render_template("admin/organisations.html", tree=tree, errors=errors, form=form), 422
    flash(gettext("Organisation %(code)s added.", code=org.code), "success")
    return redirect(url_for("admin.organisation", org_id=org.id))


@admin.get("/organisations/<int:org_id>")
def organisation(org_id: int):  # type: ignore[no-untyped-def]
    org = _managed_org(org_id)
    users = db.session.scalars(sa.select(User).where(User.organisation_id == org.id).order_by(User.username)).all()
    return render_template("admin/organisation.html", org=org, users=users, errors={}, form={})


@admin.post("/organisations/<int:org_id>")
def update_organisation(org_id: int):  # type: ignore[no-untyped-def]
    org = _managed_org(org_id)
    form = request.form.to_dict()
    try:
        service.update_organisation(
            current_user,
            org.id,
            name=form.get("name", ""),
            abbreviation=form.get("abbreviation", ""),
            place=form.get("place"),
            active=form.get("active") == "on",
        )
    except InvalidInput as err:
        users = db.session.scalars(sa.select(User).where(User.organisation_id == org.id)).all()
        return render_template("admin/organisation.html", org=org, users=users, errors=err.fields, form=form), 422
    flash(gettext("Saved."), "success")
    return redirect(url_for("admin.organisation", org_id=org.id))


@admin.post("/organisations/<int:org_id>/units")
def create_unit(org_id: int):  # type: ignore[no-untyped-def]
    org = _managed_org(org_id)
    try:
        service.create_unit(current_user, org.id, request.form.get("name", ""), request.form.get("code"))
    except InvalidInput as err:
        for problem in err.fields.values():
            flash(problem, "error")
        return redirect(url_for("admin.organisation", org_id=org.id))
    flash(gettext("Unit added."), "success")
    return redirect(url_for("admin.organisation", org_id=org.id))


def _units(org_id: int) -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(Unit.organisation_id == org_id).order_by(Unit.name)))


@admin.route("/organisations/<int:org_id>/users/new", methods=["GET", "POST"])
def create_user(org_id: int):  # type: ignore[no-untyped-def]
    org = _managed_org(org_id)
    form: dict = {}
    errors: dict = {}
    if request.method == "POST":
        form = request.form.to_dict()
        form["roles"] = request.form.getlist("roles")
        try:
            user = service.create_user(current_user, org.id, form)
        except InvalidInput as err:
            errors = err.fields
        else:
            flash(gettext("User %(name)s added.", name=user.username), "success")
            return redirect(url_for("admin.organisation", org_id=org.id))
    status = 422 if errors else 200
    return render_template(
        "admin/user.html", org=org, user=None, units=_units(org.id), form=form, errors=errors
    ), status


@admin.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):  # type: ignore[no-untyped-def]
    user = db.session.get(User, user_id)
    if user is None or not service.can_manage_user(current_user, user):
        raise NotFound()
    form: dict = {
        "full_name": user.full_name,
        "position": user.position or "",
        "email": user.email or "",
        "unit_id": user.unit_id or "",
        "roles": sorted(user.roles),
        "active": user.active,
    }
    errors: dict = {}
    if request.method == "POST":
        form = request.form.to_dict()
        form["roles"] = request.form.getlist("roles")
        form["active"] = request.form.get("active") == "on"
        try:
            service.update_user(current_user, user.id, form)
        except InvalidInput as err:
            errors = err.fields
        else:
            flash(gettext("Saved."), "success")
            return redirect(url_for("admin.organisation", org_id=user.organisation_id))
    status = 422 if errors else 200
    return render_template(
        "admin/user.html",
        org=user.organisation,
        user=user,
        units=_units(user.organisation_id),
        form=form,
        errors=errors,
    ), status


@admin.post("/users/<int:user_id>/unlock")
def unlock_user(user_id: int):  # type: ignore[no-untyped-def]
    user = service.unlock_user(current_user, user_id)
    flash(gettext("Account %(name)s unlocked.", name=user.username), "success")
    return redirect(url_for("admin.organisation", org_id=user.organisation_id))
