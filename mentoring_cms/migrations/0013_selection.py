"""Selection (issue 14): coordinators, criteria, nominations, reviews, scores,
conflicts of interest, the round's nomination deadline, and the groups
"Faculty coordinators" and "Selection committee"."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
import uuid
from django.conf import settings
from django.db import migrations, models


GROUPS = {
    "Faculty coordinators": [
        ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        (
            "mentoring_cms",
            "nomination",
            "nominate_mentee",
            "Can see and nominate the mentee applications of own faculties",
        ),
    ],
    "Selection committee": [
        ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        ("mentoring_cms", "review", "score_application", "Can score applications"),
    ],
}


def create_groups(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group_name, permissions in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for app_label, model, codename, name in permissions:
            # As in 0003: permissions of a fresh database only exist after
            # all migrations, so they are made here for the group to hold.
            content_type, _ = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": name}
            )
            group.permissions.add(permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUPS)).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring_cms', '0012_default_application_forms'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name='programroundpage',
            name='nomination_deadline',
            field=models.DateField(blank=True, help_text='The last day faculties can nominate mentees or withdraw a nomination. Empty: until the round starts.', null=True, verbose_name='nomination deadline'),
        ),
        migrations.CreateModel(
            name='FacultyCoordinator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('faculties', models.ManyToManyField(help_text='The faculties whose mentee applications this person sees.', related_name='+', to='mentoring_cms.faculty', verbose_name='faculties')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='faculty_coordinator', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'faculty coordinator',
                'verbose_name_plural': 'faculty coordinators',
            },
        ),
        migrations.CreateModel(
            name='Review',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted at')),
                ('mean', models.FloatField(verbose_name='mean score')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='mentoring_cms.application', verbose_name='application')),
                ('reviewer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'review',
                'verbose_name_plural': 'reviews',
                'ordering': ['submitted_at', 'pk'],
                'permissions': [('score_application', 'Can score applications')],
            },
        ),
        migrations.CreateModel(
            name='SelectionCriterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('label', models.CharField(max_length=255, verbose_name='criterion')),
                ('scale_min', models.PositiveSmallIntegerField(default=1, verbose_name='lowest score')),
                ('scale_max', models.PositiveSmallIntegerField(default=5, validators=[django.core.validators.MinValueValidator(1)], verbose_name='highest score')),
                ('locale', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='locale')),
                ('round', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='selection_criteria', to='mentoring_cms.programroundpage')),
            ],
            options={
                'verbose_name': 'selection criterion',
                'verbose_name_plural': 'selection criteria',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Score',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.SmallIntegerField(verbose_name='score')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='mentoring_cms.review', verbose_name='review')),
                ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='mentoring_cms.selectioncriterion', verbose_name='criterion')),
            ],
            options={
                'verbose_name': 'score',
                'verbose_name_plural': 'scores',
                'ordering': ['criterion__sort_order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ConflictOfInterest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='reason')),
                ('declared_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='declared at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conflicts', to='mentoring_cms.application', verbose_name='application')),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
            ],
            options={
                'verbose_name': 'conflict of interest',
                'verbose_name_plural': 'conflicts of interest',
                'constraints': [models.UniqueConstraint(fields=('application', 'reviewer'), name='mentoring_cms_one_conflict_per_reviewer')],
            },
        ),
        migrations.CreateModel(
            name='Nomination',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('justification', models.TextField(verbose_name='justification')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='nominated at')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nominations', to='mentoring_cms.application', verbose_name='application')),
                ('nominated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='nominated by')),
            ],
            options={
                'verbose_name': 'nomination',
                'verbose_name_plural': 'nominations',
                'ordering': ['-created_at', '-pk'],
                'permissions': [('nominate_mentee', 'Can see and nominate the mentee applications of own faculties')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('application',), name='mentoring_cms_one_active_nomination')],
            },
        ),
        migrations.CreateModel(
            name='NominationReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='mentoring_cms.programroundpage')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('round', 'user'), name='mentoring_cms_one_reminder')],
            },
        ),
        migrations.AddConstraint(
            model_name='review',
            constraint=models.UniqueConstraint(fields=('application', 'reviewer'), name='mentoring_cms_one_review_per_reviewer'),
        ),
        migrations.AlterUniqueTogether(
            name='selectioncriterion',
            unique_together={('translation_key', 'locale')},
        ),
        migrations.AddConstraint(
            model_name='score',
            constraint=models.UniqueConstraint(fields=('review', 'criterion'), name='mentoring_cms_one_score_each'),
        ),
        migrations.RunPython(create_groups, remove_groups),
    ]
