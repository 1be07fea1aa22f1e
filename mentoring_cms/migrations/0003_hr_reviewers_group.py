"""Create the "HR reviewers" group: Wagtail admin access and the permissions
to review and export applications."""

from django.db import migrations

GROUP_NAME = "HR reviewers"

PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    (
        "mentoring_cms",
        "application",
        "review_application",
        "Can review applications",
    ),
    (
        "mentoring_cms",
        "application",
        "export_application",
        "Can export applications",
    ),
]


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, model, codename, name in PERMISSIONS:
        # Permissions of a fresh database are only created after all
        # migrations; create them here so the group can hold them.
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model
        )
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring_cms", "0002_application_email_sent_times"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
