"""The benchmark's data set: a bilingual site with two rounds (7 and 30
gatherings), the anchor form page with 8 fields, faculties, and as many
applications as form submissions."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Locale

from benchmarks.anchor.models import AnchorFormField, AnchorFormPage, BarePage
from mentoring_cms.models import Application, Faculty, Review
from tests.utils import (
    make_faculty,
    make_programme,
    make_round,
    make_session,
    make_site,
)

FACULTIES = [
    "Det humanistiske fakultet",
    "Det juridiske fakultet",
    "Det matematisk-naturvitenskapelige fakultet",
    "Det medisinske fakultet",
    "Det odontologiske fakultet",
    "Det samfunnsvitenskapelige fakultet",
    "Det teologiske fakultet",
    "Det utdanningsvitenskapelige fakultet",
]
FIRST = ["Kari", "Ingrid", "Anne", "Marit", "Liv", "Sigrid", "Åse", "Bjørg", "Eva"]
LAST = ["Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Dahl", "Bakke"]
MOTIVATION = (
    "Jeg ønsker å delta i mentorprogrammet for å få støtte i arbeidet mot "
    "opprykk til professor. Jeg har publisert jevnt de siste årene og trenger "
    "hjelp til å prioritere, bygge nettverk og forstå kravene til søknaden. "
) * 2
LANGUAGES = ["Norsk", "English"]
PASSWORD = "bench-password"  # noqa: S105


class DataSet:
    """Handles to what the benchmarks request, built once per run."""

    def __init__(self):
        self.rng = random.Random(2026)
        self.applications = 0

    def build_site(self):
        nb = Locale.objects.get_or_create(language_code="nb")[0]
        en = Locale.objects.get_or_create(language_code="en")[0]
        self.home = make_site()
        self.programme = make_programme(self.home)
        self.faculties = [make_faculty(name=name) for name in FACULTIES]
        opens = timezone.now() - datetime.timedelta(days=7)
        self.rounds = {}
        for count, year in ((7, 2030), (30, 2032)):
            start = timezone.localdate() + datetime.timedelta(
                days=30 + 800 * (count // 30)
            )
            programme_round = make_round(
                self.programme,
                title=f"Runde {year}",
                slug=f"runde-{year}",
                intro="<p>" + MOTIVATION + "</p>",
                application_opens=opens,
                application_closes=opens + datetime.timedelta(days=20),
                period_start=start,
                period_end=start + datetime.timedelta(days=360),
            )
            for n in range(count):
                first = programme_round.starts_at + datetime.timedelta(
                    days=1 + 10 * n, hours=9
                )
                make_session(
                    programme_round,
                    title=f"Samling {n + 1}",
                    start=first,
                    place="Universitetsbiblioteket, møterom 2",
                    agenda="<p>Program for samlingen.</p>",
                )
            self.rounds[count] = programme_round
        # English translations of the whole tree, as wagtail-localize makes them.
        for page in [self.home, self.programme]:
            self._translate(page, en)
        for programme_round in self.rounds.values():
            self._translate(programme_round, en)
            for session in programme_round.get_children():
                self._translate(session.specific, en)
        self.anchor = self._make_anchor_page()
        # An empty Wagtail page at the round page's depth (home/x/y/).
        parent = self.home
        for slug in ("tom", "side"):
            bare = BarePage(title="Tom side", slug=slug)
            parent.add_child(instance=bare)
            parent = bare
        self.bare = bare
        self.nb, self.en = nb, en
        user_model = get_user_model()
        self.admin = user_model.objects.create_superuser(
            "bench-admin", "admin@example.org", PASSWORD
        )
        # Two committee members whose reviews fill the listing's score
        # columns (mean, number of reviews, spread).
        self.reviewers = [
            user_model.objects.create_user(f"bench-reviewer-{n}", password=PASSWORD)
            for n in (1, 2)
        ]

    def _translate(self, page, locale):
        copy = page.copy_for_translation(locale)
        copy.save_revision().publish()
        return copy

    def _make_anchor_page(self):
        page = AnchorFormPage(
            title="Søknadsskjema",
            slug="soknadsskjema",
            intro="<p>" + MOTIVATION + "</p>",
            thank_you_text="<p>Takk for søknaden.</p>",
        )
        self.home.add_child(instance=page)
        fields = [
            ("Name", "singleline", "", True),
            ("Email", "email", "", True),
            ("Faculty", "dropdown", "\n".join(FACULTIES), True),
            ("Motivation", "multiline", "", True),
            ("Availability", "radio", "Autumn\nSpring\nBoth", True),
            ("Role", "radio", "Mentee\nMentor", True),
            ("Languages", "checkboxes", "\n".join(LANGUAGES), False),
            ("Consent", "checkbox", "", True),
        ]
        for order, (label, field_type, choices, required) in enumerate(fields):
            AnchorFormField.objects.create(
                page=page,
                sort_order=order,
                label=label,
                field_type=field_type,
                choices=choices,
                required=required,
            )
        page.save_revision().publish()
        return page

    def anchor_post_data(self, n=0):
        return {
            "name": f"Kari Nordmann {n}",
            "email": f"kari.{n}@example.org",
            "faculty": FACULTIES[n % len(FACULTIES)],
            "motivation": MOTIVATION,
            "availability": "Both",
            "role": "Mentee",
            "languages": LANGUAGES,
            "consent": "on",
        }

    def _name(self, n):
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)} {n}"

    def grow_to(self, total, batch_size=5000):
        """Add applications and form submissions until each table has
        ``total`` rows (of the same shape and about the same size)."""
        programme_round = self.rounds[7]
        now = timezone.now()
        while self.applications < total:
            size = min(batch_size, total - self.applications)
            applications, submissions = [], []
            for n in range(self.applications, self.applications + size):
                name = self._name(n)
                faculty = self.faculties[n % len(self.faculties)]
                role = Application.Role.MENTEE if n % 3 else Application.Role.MENTOR
                submitted_at = now - datetime.timedelta(minutes=n)
                applications.append(
                    Application(
                        reference=f"MP-2030-{n + 1:06d}",
                        round=programme_round,
                        role=role,
                        full_name=name,
                        email=f"person{n}@example.org",
                        language="nb" if n % 4 else "en",
                        position="associate_professor"
                        if role == Application.Role.MENTEE
                        else "professor",
                        permanently_employed=True,
                        faculty=faculty,
                        department="Institutt for informatikk",
                        academic_field="Maskinlæring",
                        answers={
                            "motivation": MOTIVATION,
                            "availability": "both",
                            "languages": ["nb", "en"],
                        },
                        privacy_notice_version="2030-1",
                        submitted_at=submitted_at,
                    )
                )
                submissions.append(
                    FormSubmission(
                        page=self.anchor,
                        form_data={
                            "name": name,
                            "email": f"person{n}@example.org",
                            "faculty": faculty.name,
                            "motivation": MOTIVATION,
                            "availability": "Both",
                            "role": "Mentee" if n % 3 else "Mentor",
                            "languages": LANGUAGES,
                            "consent": True,
                        },
                    )
                )
            for application in applications:
                # bulk_create skips ``save``, which fills the search column.
                application.search_text = application.build_search_text()
            with transaction.atomic():
                Application.objects.bulk_create(applications, batch_size=1000)
                FormSubmission.objects.bulk_create(submissions, batch_size=1000)
                # Every fifth application has been reviewed: every tenth by
                # both reviewers, the others by one.
                Review.objects.bulk_create(
                    (
                        Review(
                            application=application,
                            reviewer=reviewer,
                            mean=1 + (n + index) % 5,
                        )
                        for n, application in enumerate(applications)
                        if n % 5 == 0
                        for index, reviewer in enumerate(
                            self.reviewers[: 1 + (n % 10 == 0)]
                        )
                    ),
                    batch_size=1000,
                )
            self.applications += size

    @property
    def some_faculty(self):
        return Faculty.objects.get(name=FACULTIES[2])
