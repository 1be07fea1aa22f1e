"""Load the demo content: the programme in Norwegian and English, two rounds,
the contact page, NTNU's faculties and three demo users.

Safe to run again: whatever exists already is left as it is.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import override
from wagtail.models import GroupPagePermission, Locale, Page, Site
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from home import demo_data as data
from home.demo_evaluations import load_evaluation_form, load_round_evaluation
from home.demo_matching import load_matching_participants
from home.demo_outcomes import PAST_ROUND_SLUGS, load_past_rounds
from home.models import HomePage
from mentoring_cms.models import (
    ApplicationForm,
    ContactPage,
    ContactPerson,
    Faculty,
    FacultyCoordinator,
    ProgramPage,
    ProgramRoundPage,
    SessionPage,
)
from mentoring_cms.models.pages import ContactPersonLink
from mentoring_cms.models.selection import DEFAULT_CRITERIA
from mentoring_cms.questions import defaults as default_forms


def nb(pair):
    return pair[0]


def rich_text(blocks, index=0):
    """HTML of ``blocks`` (see ``home.demo_data``) in one language."""
    html = []
    for kind, value in blocks:
        if kind == "p":
            html.append(f"<p>{escape(value[index])}</p>")
        else:
            items = "".join(f"<li>{escape(item[index])}</li>" for item in value)
            html.append(f"<ul>{items}</ul>")
    return "".join(html)


def oslo(*parts):
    return datetime.datetime(*parts, tzinfo=timezone.get_default_timezone())


class Translator:
    """English for every Norwegian string of the demo content, fed to
    wagtail-localize as string translations so that editors find them in
    its translation editor."""

    def __init__(self):
        self.english = {}

    def add(self, value):
        """Learn the English of every (nb, en) pair and rich text in ``value``."""
        if isinstance(value, dict):
            for item in value.values():
                self.add(item)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, tuple) and item and item[0] in ("p", "ul"):
                    self.add_blocks([item])
                else:
                    self.add(item)
        elif (
            isinstance(value, tuple)
            and len(value) == 2
            and all(isinstance(part, str) for part in value)
        ):
            self.english[value[0]] = value[1]

    def add_blocks(self, blocks):
        for kind, content in blocks:
            if kind == "p":
                self.english[escape(content[0])] = escape(content[1])
            else:
                for item in content:
                    self.english[escape(item[0])] = escape(item[1])

    def translate(self, instance, locale):
        """Create the translation of ``instance`` into ``locale`` unless it
        exists. Returns the translated instance."""
        existing = instance.get_translation_or_none(locale)
        if existing is not None:
            return existing
        source, _created = TranslationSource.get_or_create_from_instance(instance)
        translation, _created = Translation.objects.get_or_create(
            source=source, target_locale=locale
        )
        missing = []
        for segment in source.stringsegment_set.select_related("string", "context"):
            text = segment.string.data
            english = self.english.get(text)
            if english is None and "<br/>" in text:
                # Plain text fields reach wagtail-localize with <br/> for
                # line breaks.
                english = self.english.get(text.replace("<br/>", "\n"))
                if english is not None:
                    english = english.replace("\n", "<br/>")
            if english is None:
                missing.append(text)
                english = text
            StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": english,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        if missing:
            raise ValueError(f"No English for: {missing!r}")
        if isinstance(instance, Page):
            # wagtail-localize publishes pages when the transaction commits,
            # from a copy of the page made before its children were added;
            # publishing the draft here keeps the page tree consistent.
            translation.save_target(publish=False)
            target = instance.get_translation(locale)
            target.get_latest_revision().publish()
            return target.specific
        translation.save_target(publish=True)
        return instance.get_translation(locale)


# The site Wagtail's first migration creates.
WAGTAIL_PLACEHOLDER_SITE = ("localhost", 80)


def demo_site_address():
    """``(hostname, port)`` of the demo site: those of
    ``WAGTAILADMIN_BASE_URL`` (``http://127.0.0.1:8000`` for ``make demo``),
    the port by the scheme's default when it names none."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL or "http://localhost")
    default_port = 443 if parts.scheme == "https" else 80
    return parts.hostname or "localhost", parts.port or default_port


class Command(BaseCommand):
    help = "Load the mentoring programme's demo content and demo users (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.load()
        # Trees translated with their subtree before mentoring_cms mended
        # wagtail-localize's children count (#773) are repaired here too.
        call_command("repair_page_tree", stdout=self.stdout)
        self.print_summary()

    def load(self):
        self.nb, _ = Locale.objects.get_or_create(language_code="nb")
        self.en, _ = Locale.objects.get_or_create(language_code="en")
        self.translator = Translator()
        for item in (
            data.HOME,
            data.PROGRAMME,
            data.CONTACT_PERSON,
            data.CONTACT_PAGE,
            data.ROUND_2022,
            data.UPCOMING_ROUND,
        ):
            self.translator.add(item)
        for name_nb, name_en, _short in data.FACULTIES:
            self.translator.english[name_nb] = name_en
        # The selection criteria every new round starts with.
        for _code, label in DEFAULT_CRITERIA:
            with override("nb"):
                label_nb = str(label)
            with override("en"):
                self.translator.english[label_nb] = str(label)

        self.load_faculties()
        person = self.load_contact_person()
        forms = self.load_application_forms()
        home = self.load_home()
        programme = self.load_programme(home, person, forms)
        self.load_contact_page(home, person)
        round_2022 = self.load_round_2022(programme)
        # Accepted participants ready to match (issue 15).
        load_matching_participants(round_2022)
        # Its end-of-round evaluation, answered anonymously (issue 17).
        evaluation_form = load_evaluation_form(self.translator, self.nb, self.en)
        load_round_evaluation(round_2022, evaluation_form)
        self.load_upcoming_round(programme)
        # Two finished rounds for the programme dashboard (issue 17).
        load_past_rounds(programme)
        self.load_users()

    # Snippets

    def load_faculties(self):
        for name_nb, _name_en, short_name in data.FACULTIES:
            faculty = Faculty.objects.filter(locale=self.nb, name=name_nb).first()
            if faculty is None:
                faculty = Faculty.objects.create(
                    locale=self.nb, name=name_nb, short_name=short_name
                )
            self.translator.english.setdefault(short_name, short_name)
            self.translator.translate(faculty, self.en)

    def load_contact_person(self):
        values = data.CONTACT_PERSON
        person = ContactPerson.objects.filter(
            locale=self.nb, name=nb(values["name"])
        ).first()
        if person is None:
            person = ContactPerson.objects.create(
                locale=self.nb,
                name=nb(values["name"]),
                job_title=nb(values["job_title"]),
                unit=nb(values["unit"]),
                email=values["email"],
            )
        self.translator.translate(person, self.en)
        return person

    def load_application_forms(self):
        """The default mentee and mentor forms (the seed's questions), in
        Norwegian with their English translation."""
        english = self.translator.english
        for pairs in (
            default_forms.NAMES.values(),
            default_forms.STEP_TITLES.values(),
        ):
            english.update(dict(pairs))
        for (
            _kind,
            label,
            help_text,
            _required,
            extra,
        ) in default_forms.QUESTIONS.values():
            english.update(dict([label, help_text]))
            english.update(dict(text for _id, text in extra.get("choices", [])))
        english.pop("", None)
        forms = {}
        for role in (default_forms.MENTEE, default_forms.MENTOR):
            form = ApplicationForm.objects.filter(
                locale=self.nb, role=role, name=default_forms.default_name(role)
            ).first()
            if form is None:
                form = ApplicationForm.objects.create(
                    locale=self.nb,
                    role=role,
                    name=default_forms.default_name(role),
                    body=default_forms.default_body(role),
                )
            self.translator.translate(form, self.en)
            forms[role] = form
        return forms

    # Pages

    def add_page(self, parent, page_class, slug, **fields):
        """The live child of ``parent`` with ``slug``, created and published
        when missing."""
        existing = page_class.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            return existing
        page = page_class(slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def load_home(self):
        site = Site.objects.filter(is_default_site=True).first()
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(locale=self.nb, depth=2).first()
        if home is None:
            # Wagtail's placeholder welcome page gives way to the demo home page.
            for page in root.get_children().filter(
                content_type__model="page", content_type__app_label="wagtailcore"
            ):
                if not page.get_children().exists():
                    page.delete()
            home = self.add_page(
                root,
                HomePage,
                slug=nb(data.HOME["slug"]),
                title=nb(data.HOME["title"]),
                intro=rich_text(data.HOME["intro"]),
            )
        hostname, port = demo_site_address()
        if site is None:
            Site.objects.create(
                hostname=hostname, port=port, root_page=home, is_default_site=True
            )
        else:
            if (site.hostname, site.port) == WAGTAIL_PLACEHOLDER_SITE:
                # Wagtail's first site, never changed: the demo's address, so
                # that links in emails (a page's full URL) reach the demo.
                site.hostname, site.port = hostname, port
            site.root_page = home
            site.save()
        self.translator.translate(home, self.en)
        return home

    def load_programme(self, home, person, forms):
        values = data.PROGRAMME
        programme = ProgramPage.objects.child_of(home).first()
        if programme is None:
            programme = self.add_page(
                home,
                ProgramPage,
                slug=nb(values["slug"]),
                title=nb(values["title"]),
                notification_email=data.CONTACT_PAGE["email"],
                contact_person_links=[ContactPersonLink(person=person)],
                default_mentee_form=forms[default_forms.MENTEE],
                default_mentor_form=forms[default_forms.MENTOR],
                **{
                    field: rich_text(values[field])
                    for field in (
                        "intro",
                        "purpose",
                        "mentee_role",
                        "mentor_role",
                        "programme_format",
                        "topics",
                        "how_to_apply",
                        "organisation",
                        "no_round_text",
                    )
                },
            )
        self.translator.translate(programme, self.en)
        return programme

    def load_contact_page(self, home, person):
        values = data.CONTACT_PAGE
        page = ContactPage.objects.child_of(home).first()
        if page is None:
            page = self.add_page(
                home,
                ContactPage,
                slug=nb(values["slug"]),
                title=nb(values["title"]),
                unit_name=nb(values["unit_name"]),
                intro=rich_text(values["intro"]),
                email=values["email"],
                address=nb(values["address"]),
                contact_person_links=[ContactPersonLink(person=person)],
            )
        self.translator.translate(page, self.en)
        return page

    def load_round_2022(self, programme):
        values = data.ROUND_2022
        (start, end) = values["period"]
        (opens, closes) = values["application_window"]
        programme_round = self.add_page(
            programme,
            ProgramRoundPage,
            slug=nb(values["slug"]),
            title=nb(values["title"]),
            intro=rich_text(values["intro"]),
            period_start=datetime.date(*start),
            period_end=datetime.date(*end),
            application_opens=oslo(*opens),
            application_closes=oslo(*closes),
            gathering_language=ProgramRoundPage.GatheringLanguage.NORWEGIAN_WITH_ENGLISH,
        )
        self.translator.translate(programme_round, self.en)
        for session in values["sessions"]:
            start, end = session["when"]
            self.load_session(programme_round, session, oslo(*start), oslo(*end))
        return programme_round

    def load_upcoming_round(self, programme):
        values = data.UPCOMING_ROUND
        programme_round = (
            ProgramRoundPage.objects.child_of(programme)
            .exclude(slug__in=[nb(data.ROUND_2022["slug"]), *PAST_ROUND_SLUGS])
            .first()
        )
        if programme_round is None:
            # Open now: opened a week ago, closes in a month; the round starts
            # a month after applications close and runs for nine months.
            today = timezone.localdate()
            opens = oslo(*(today - datetime.timedelta(days=7)).timetuple()[:3], 9, 0)
            last_day = today + datetime.timedelta(days=30)
            closes = oslo(*last_day.timetuple()[:3], 23, 59)
            period_start = last_day + datetime.timedelta(days=30)
            period_end = period_start + datetime.timedelta(days=270)
            years = (
                str(period_start.year)
                if period_start.year == period_end.year
                else f"{period_start.year}–{period_end.year}"
            )
            title_nb, title_en = (t.format(years=years) for t in values["title"])
            self.translator.english[title_nb] = title_en
            slug = years.replace("–", "-")
            self.translator.english[slug] = slug
            programme_round = self.add_page(
                programme,
                ProgramRoundPage,
                slug=slug,
                title=title_nb,
                intro=rich_text(values["intro"]),
                period_start=period_start,
                period_end=period_end,
                application_opens=opens,
                application_closes=closes,
                # Nominations close ten days after applications, decisions
                # three weeks after.
                nomination_deadline=last_day + datetime.timedelta(days=10),
                decisions_by=last_day + datetime.timedelta(days=21),
                gathering_language=ProgramRoundPage.GatheringLanguage.NORWEGIAN_WITH_ENGLISH,
                form_intro=rich_text(values["form_intro"]),
                mentor_form_intro=rich_text(values["mentor_form_intro"]),
                privacy_notice=rich_text(values["privacy_notice"]),
                confirmation_text=rich_text(values["confirmation_text"]),
            )
        else:
            # Already loaded (and translated) by an earlier run.
            self.translator.english.setdefault(
                programme_round.title, programme_round.title
            )
            self.translator.english.setdefault(
                programme_round.slug, programme_round.slug
            )
        self.translator.translate(programme_round, self.en)
        for session in values["sessions"]:
            days, (start_h, start_m), (end_h, end_m) = session["when"]
            day = programme_round.period_start + datetime.timedelta(days=days)
            self.load_session(
                programme_round,
                session,
                oslo(*day.timetuple()[:3], start_h, start_m),
                oslo(*day.timetuple()[:3], end_h, end_m),
            )

    def load_session(self, programme_round, values, start, end):
        fields = {
            field: rich_text(values[field])
            for field in ("agenda", "topics", "homework")
            if field in values
        }
        session = self.add_page(
            programme_round,
            SessionPage,
            slug=nb(values["slug"]),
            title=nb(values["title"]),
            start=start,
            end=end,
            place=nb(values["place"]),
            audience=values["audience"],
            format=SessionPage.Format.ON_SITE,
            mandatory=True,
            **fields,
        )
        self.translator.translate(session, self.en)
        return session

    # Users

    def load_users(self):
        User = get_user_model()
        self.created_users = []
        editors_group = Group.objects.filter(name="Editors").first()
        if editors_group is not None:
            # Editors look after the programme's snippets (the application
            # forms too) and translate pages.
            wanted = Permission.objects.filter(
                content_type__app_label="mentoring_cms",
                codename__in=[
                    f"{action}_{model}"
                    for action in ("add", "change", "delete")
                    for model in ("faculty", "contactperson", "applicationform")
                ],
            ) | Permission.objects.filter(
                content_type__app_label="wagtail_localize",
                codename="submit_translation",
            )
            editors_group.permissions.add(*wanted)
            # Wagtail's default Editors may only submit pages for moderation;
            # the demo's content editor keeps the programme's pages up to date
            # and publishes them, in both languages.
            GroupPagePermission.objects.get_or_create(
                group=editors_group,
                page=Page.get_first_root_node(),
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename="publish_page"
                ),
            )
        for (
            username,
            password,
            email,
            first_name,
            last_name,
            is_superuser,
            group_name,
        ) in data.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(
                    username=username,
                    email=email,
                    first_name=first_name,
                    last_name=last_name,
                    is_superuser=is_superuser,
                    is_staff=is_superuser,
                )
                user.set_password(password)
                user.save()
                self.created_users.append(username)
            if group_name:
                group, created = Group.objects.get_or_create(name=group_name)
                if created:
                    # The HR review app normally creates this group with its
                    # permissions; without it, at least let its members in.
                    group.permissions.add(
                        Permission.objects.get(
                            content_type__app_label="wagtailadmin",
                            codename="access_admin",
                        )
                    )
                user.groups.add(group)
        for username, short_names in data.COORDINATORS.items():
            coordinator, _created = FacultyCoordinator.objects.get_or_create(
                user=User.objects.get(username=username)
            )
            coordinator.faculties.add(
                *Faculty.objects.filter(locale=self.nb, short_name__in=short_names)
            )

    def print_summary(self):
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        self.stdout.write("Site:  /nb/ (Norwegian) and /en/ (English); admin: /admin/")
        self.stdout.write(
            "Demo logins (demo only, never use these passwords elsewhere):"
        )
        for username, password, *_rest, group_name in data.USERS:
            role = group_name or "superuser"
            if username in data.COORDINATORS:
                role += f" ({', '.join(data.COORDINATORS[username])})"
            note = "" if username in self.created_users else " (already existed)"
            self.stdout.write(f"  {username:<11} {password:<26} {role}{note}")
