"""The two roles, as data: which model permissions each group holds.

An Editor writes news, feeds, digests and recurring digests, previews, test-sends and schedules
them, and watches (and pauses, resumes, cancels) their sends. She never reads subscriber rows, so she
cannot export or erase them, and she cannot touch suppressions. An Administrator holds every
permission. The data migration and `manage.py sync_roles` both apply this table; run the command
after adding a model so the groups learn its permissions.
"""

from __future__ import annotations

EDITOR = "Editor"
ADMINISTRATOR = "Administrator"
ROLES = (EDITOR, ADMINISTRATOR)


def role_label(role: str) -> str:
    """The role's name in the active language (the groups keep their English names: sync_roles and the
    migrations find them by it)."""
    from django.utils.translation import gettext

    return {EDITOR: gettext("Editor"), ADMINISTRATOR: gettext("Administrator")}.get(role, role)

_ALL = ("add", "change", "delete", "view")

# app_label -> model -> permission actions. Anything not listed is refused to Editors.
EDITOR_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "newsletter": {
        "newsitem": _ALL,
        "feed": _ALL,
        "importproblem": ("view", "delete"),
        "digest": _ALL,
        "digestitem": _ALL,
        "digestvariant": ("view",),
        "recurringdigest": _ALL,
        "editorsettings": ("add", "change", "view"),
        "mediaimage": _ALL,
    },
    # "change" on a send is what pause / resume / cancel / send now require. The outbox is not hers: it shows
    # every recipient's address (operations.outbox.outbox_readable_by).
    "worker": {"send": ("view", "change"), "batch": ("view",)},
    # Lists, topics and segments are read to choose an audience; subscriber rows are not.
    "subscribers": {"mailinglist": ("view",), "topic": ("view",), "segment": ("view",)},
    "editorial": {"auditentry": ("view",)},
    # An editor sees whose identity a list sends with; only Administrators change it.
    "organisations": {"organisation": ("view",)},
}


def editor_codenames() -> set[tuple[str, str]]:
    """(app_label, codename) pairs of the Editor role."""
    return {
        (app_label, f"{action}_{model}")
        for app_label, models in EDITOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    }


def roles_apply(*, group_model, permission_model) -> None:
    """Create both groups and set their permissions exactly (idempotent). Takes the models so a
    migration can pass its historical ones."""
    editor, _ = group_model.objects.get_or_create(name=EDITOR)
    administrator, _ = group_model.objects.get_or_create(name=ADMINISTRATOR)
    wanted = editor_codenames()
    permissions = list(permission_model.objects.select_related("content_type"))
    editor.permissions.set([p for p in permissions if (p.content_type.app_label, p.codename) in wanted])
    administrator.permissions.set(permissions)


def roles_apply_in_migration(apps) -> None:
    """roles_apply from a data migration, with the historical models. Permissions are normally created
    after all migrations ran (post_migrate); they are created first so the groups can hold them on a fresh
    database, and so a migration added with a new model gives Administrators that model's permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_apply(group_model=apps.get_model("auth", "Group"), permission_model=apps.get_model("auth", "Permission"))
