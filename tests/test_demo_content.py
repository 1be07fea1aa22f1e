"""load_demo_content: the seed's programme in Norwegian and English, the
rounds, snippets and users, and a second run that changes nothing."""

import datetime
import io

import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, PageLogEntry, Revision, Site
from wagtail_localize.models import (
    StringTranslation,
    Translation,
    TranslationSource,
)

from home.demo_outcomes import PAST_ROUND_SLUGS
from home.models import HomePage
from mentoring_cms.matching.operations import compute_proposal
from mentoring_cms.models import (
    Application,
    ContactPage,
    ContactPerson,
    Faculty,
    ProgramPage,
    ProgramRoundPage,
    RoundStatus,
    SessionPage,
)

NB_FACTS = [
    "Fire fellessamlinger, én samling bare for mentorer og to samlinger bare for adepter",
    "Programmet har plass til 20 adepter og 20 mentorer",
    "8–10 møter mellom mentor og adept",
    "Samlingene gjennomføres på norsk",
    "Fakultetene nominerer inntil 4 adepter hver.",
    "Roller, ansvar og samarbeid i mentorskapet",
    "Nettverksbygging",
    "Opprykksarbeidet og søknadsprosessen",
    "Valg og prioritering i karriereløpet",
    "Identitet knyttet til professor/-dosentrollen",
    "Balanse hjem-arbeid",
    "Erfaringsdeling",
    "Solveig Eksempelsen",
    "seniorrådgiver ved HR- og HMS-avdelingen",
    "HR- og HMS-avdelingen er ansvarlig for programmet",
]
EN_FACTS = [
    "Four joint gatherings, one gathering for mentors only and two gatherings for mentees only",
    "The programme has room for 20 mentees and 20 mentors",
    "8–10 meetings between mentor and mentee",
    "The gatherings are held in Norwegian",
    "Each faculty nominates up to 4 mentees.",
    "Roles, responsibilities and collaboration in the mentoring relationship",
    "Networking",
    "Working towards promotion and the application process",
    "Choices and priorities in your career",
    "Identity in the role of professor or docent",
    "Balancing work and home life",
    "Sharing experience",
    "Solveig Eksempelsen",
    "Senior Adviser, HR and HSE Division",
    "The HR and HSE Division is responsible for the programme",
]


def load():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


class DemoContentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = load()
        cls.nb = Locale.objects.get(language_code="nb")
        cls.en = Locale.objects.get(language_code="en")
        cls.programme = ProgramPage.objects.get(locale=cls.nb)
        cls.programme_en = ProgramPage.objects.get(locale=cls.en)
        cls.round_2022 = ProgramRoundPage.objects.get(locale=cls.nb, slug="2022-2023")

    def test_site_root_is_the_norwegian_home_with_an_english_translation(self):
        home = Site.objects.get(is_default_site=True).root_page.specific
        self.assertIsInstance(home, HomePage)
        self.assertEqual(home.locale, self.nb)
        self.assertTrue(home.get_translation(self.en).live)
        self.assertEqual(self.client.get("/en/").status_code, 200)

    def test_the_site_has_the_demos_address_so_links_in_emails_reach_it(self):
        # Wagtail's first site (localhost:80) takes WAGTAILADMIN_BASE_URL's
        # host and port: http://testserver in the test settings.
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("testserver", 80))
        self.assertTrue(self.programme.full_url.startswith("http://testserver/nb/"))
        response = self.client.get(self.programme.full_url)
        self.assertEqual(response.status_code, 200)

    def test_a_site_address_the_owner_set_is_kept(self):
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "mentoring.example.org", 443
        site.save()
        load()
        site.refresh_from_db()
        self.assertEqual((site.hostname, site.port), ("mentoring.example.org", 443))

    def test_demo_site_address_follows_the_admin_base_url(self):
        from home.management.commands.load_demo_content import demo_site_address

        for url, address in [
            ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
            ("https://mentoring.example.org", ("mentoring.example.org", 443)),
            ("http://demo.example.org/", ("demo.example.org", 80)),
        ]:
            with self.settings(WAGTAILADMIN_BASE_URL=url):
                self.assertEqual(demo_site_address(), address)

    def test_norwegian_programme_page_holds_the_seeds_facts(self):
        html = self.client.get(self.programme.url).content.decode()
        self.assertIn('<html lang="nb">', html)
        for fact in NB_FACTS:
            self.assertIn(fact, html)

    def test_english_programme_page_holds_the_same_facts_in_english(self):
        self.assertEqual(self.programme_en.url, "/en/mentoring-programme/")
        html = self.client.get(self.programme_en.url).content.decode()
        self.assertIn('<html lang="en">', html)
        for fact in EN_FACTS:
            self.assertIn(fact, html)
        for fact in ("adepter", "samlinger", "seniorrådgiver"):
            self.assertNotIn(fact, html)

    def test_the_2022_round_has_the_seeds_gatherings_in_both_languages(self):
        round_en = self.round_2022.get_translation(self.en)
        for programme_round in (self.round_2022, round_en):
            sessions = list(SessionPage.objects.child_of(programme_round).live())
            audiences = sorted(s.audience for s in sessions)
            self.assertEqual(audiences, ["all"] * 4 + ["mentees"] * 2 + ["mentors"])
            self.assertTrue(
                all(s.format == SessionPage.Format.ON_SITE for s in sessions)
            )
            self.assertTrue(all(s.mandatory for s in sessions))
            self.assertEqual(
                (programme_round.mentee_places, programme_round.mentor_places), (20, 20)
            )
            self.assertEqual(
                (programme_round.meetings_min, programme_round.meetings_max), (8, 10)
            )
            self.assertEqual(programme_round.faculty_quota, 4)
            self.assertEqual(programme_round.status, RoundStatus.FINISHED)
            for session in sessions:
                session.full_clean()
                self.assertTrue(
                    programme_round.starts_at
                    <= session.start
                    < session.end
                    <= programme_round.ends_at
                )
        nb_html = self.client.get(self.round_2022.url).content.decode()
        self.assertEqual(nb_html.count("<li>Alle deltakere</li>"), 4)
        self.assertEqual(nb_html.count("<li>Bare mentorer</li>"), 1)
        self.assertEqual(nb_html.count("<li>Bare adepter</li>"), 2)
        self.assertIn("20 adepter, 20 mentorer", nb_html)
        self.assertIn("8–10 møter", nb_html)
        en_html = self.client.get(round_en.url).content.decode()
        self.assertEqual(en_html.count("<li>All participants</li>"), 4)
        self.assertEqual(en_html.count("<li>Mentors only</li>"), 1)
        self.assertEqual(en_html.count("<li>Mentees only</li>"), 2)
        self.assertIn("Opening gathering", en_html)
        self.assertIn("20 mentees, 20 mentors", en_html)

    def test_an_upcoming_round_is_open_for_applications(self):
        upcoming = ProgramRoundPage.objects.exclude(
            slug__in=["2022-2023", *PAST_ROUND_SLUGS]
        ).get(locale=self.nb)
        self.assertEqual(upcoming.status, RoundStatus.OPEN)
        upcoming.full_clean()
        self.assertTrue(upcoming.form_intro and upcoming.privacy_notice)
        self.assertTrue(upcoming.confirmation_text)
        upcoming_en = upcoming.get_translation(self.en)
        self.assertIn(
            "We are glad that you want to take part", upcoming_en.confirmation_text
        )
        self.assertEqual(SessionPage.objects.child_of(upcoming_en).count(), 3)
        html = self.client.get(self.programme.url).content.decode()
        self.assertIn(upcoming.title, html)
        self.assertIn("Åpen for søknader", html)

    def test_faculties_and_contact_person_in_both_languages(self):
        self.assertEqual(Faculty.objects.filter(locale=self.nb).count(), 9)
        self.assertEqual(Faculty.objects.filter(locale=self.en).count(), 9)
        economics = Faculty.objects.get(locale=self.nb, name="Fakultet for økonomi")
        self.assertEqual(
            economics.get_translation(self.en).name,
            "Faculty of Economics and Management",
        )
        person = ContactPerson.objects.get(locale=self.nb)
        # An invented person, reachable at the unit's demo address.
        self.assertEqual(person.name, "Solveig Eksempelsen")
        self.assertEqual(person.email, "hr-mentoring@example.org")
        self.assertEqual(person.get_translation(self.en).job_title, "Senior Adviser")
        contact = ContactPage.objects.get(locale=self.nb)
        self.assertEqual(contact.get_contact_persons(), [person])
        html = self.client.get(contact.get_translation(self.en).url).content.decode()
        self.assertIn("Senior Adviser, HR and HSE Division", html)

    def test_translations_open_in_wagtail_localizes_editor(self):
        admin = get_user_model().objects.get(username="admin")
        self.client.force_login(admin)
        self.assertTrue(
            Translation.objects.filter(
                source__object_id=self.programme.translation_key,
                target_locale=self.en,
                enabled=True,
            ).exists()
        )
        with translation.override("en"):
            response = self.client.get(
                reverse("wagtailadmin_pages:edit", args=(self.programme_en.pk,))
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "wagtail_localize/admin/edit_translation.html",
            [t.name for t in response.templates],
        )

    def test_demo_users_and_their_groups(self):
        users = get_user_model().objects
        admin = users.get(username="admin")
        self.assertTrue(
            admin.is_superuser and admin.check_password("admin-demo-password")
        )
        hr = users.get(username="hr")
        self.assertTrue(hr.check_password("hr-demo-password"))
        self.assertIn(Group.objects.get(name="HR reviewers"), hr.groups.all())
        editor = users.get(username="editor")
        self.assertTrue(editor.check_password("editor-demo-password"))
        self.assertEqual(
            list(editor.groups.values_list("name", flat=True)), ["Editors"]
        )
        self.assertTrue(editor.has_perm("wagtailadmin.access_admin"))
        self.assertTrue(self.programme.permissions_for_user(editor).can_edit())
        for line in ("admin-demo-password", "hr-demo-password", "editor-demo-password"):
            self.assertIn(line, self.output)

    def test_demo_selection_users_are_printed_with_their_roles(self):
        users = get_user_model().objects
        coordinator = users.get(username="koordinator")
        self.assertTrue(coordinator.has_perm("mentoring_cms.nominate_mentee"))
        self.assertEqual(
            sorted(
                coordinator.faculty_coordinator.faculties.values_list(
                    "short_name", flat=True
                )
            ),
            ["IE", "NV"],
        )
        for username in ("komite1", "komite2"):
            self.assertTrue(
                users.get(username=username).has_perm("mentoring_cms.score_application")
            )
        for line in (
            "coordinator-demo-password",
            "committee1-demo-password",
            "committee2-demo-password",
            "Faculty coordinators (NV, IE)",
        ):
            self.assertIn(line, self.output)
        upcoming = ProgramRoundPage.objects.filter(
            locale__language_code="en", nomination_deadline__isnull=False
        ).first()
        self.assertEqual(
            [c.label for c in upcoming.selection_criteria.all()],
            ["Motivation", "Justification", "Progress towards promotion"],
        )


def snapshot():
    return {
        "pages": sorted(
            Page.objects.values_list(
                "pk", "url_path", "live", "latest_revision_id", "last_published_at"
            )
        ),
        "revisions": Revision.objects.count(),
        "log entries": PageLogEntry.objects.count(),
        "faculties": sorted(Faculty.objects.values_list("pk", "name", "locale_id")),
        "people": sorted(ContactPerson.objects.values_list("pk", "name", "job_title")),
        "users": sorted(
            get_user_model().objects.values_list("pk", "username", "password")
        ),
        "memberships": sorted(
            get_user_model().groups.through.objects.values_list("user_id", "group_id")
        ),
        "groups": sorted(Group.objects.values_list("pk", "name")),
        "group permissions": Group.permissions.through.objects.count(),
        "translation sources": TranslationSource.objects.count(),
        "translations": Translation.objects.count(),
        "string translations": StringTranslation.objects.count(),
        "redirects": Redirect.objects.count(),
        "sites": list(Site.objects.values_list("pk", "root_page_id")),
    }


def test_loading_twice_is_the_same_as_once(db):
    load()
    once = snapshot()
    output = load()
    assert snapshot() == once
    assert "(already existed)" in output


def test_loading_again_weeks_later_adds_no_second_upcoming_round(db):
    load()
    once = snapshot()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=60)):
        load()
    assert snapshot() == once
    # 2022, the upcoming round and the two finished rounds of issue 17.
    assert ProgramRoundPage.objects.filter(locale__language_code="nb").count() == 4


def test_the_demo_editor_may_edit_and_publish_the_pages_in_both_languages(db):
    load()
    editor = get_user_model().objects.get(username="editor")
    for page in (
        SessionPage.objects.filter(locale__language_code="nb").first(),
        ProgramRoundPage.objects.filter(locale__language_code="en").first(),
    ):
        permissions = page.permissions_for_user(editor)
        assert permissions.can_edit(), page
        assert permissions.can_publish(), page


class DemoMatchingTests(TestCase):
    """The 2022 round has accepted participants ready to match (issue 15)."""

    @classmethod
    def setUpTestData(cls):
        load()
        cls.round_2022 = ProgramRoundPage.objects.get(
            locale__language_code="nb", slug="2022-2023"
        )

    def test_twenty_accepted_mentors_and_mentees_are_matched_across_faculties(self):
        accepted = Application.objects.filter(
            round=self.round_2022, status=Application.Status.ACCEPTED
        )
        self.assertEqual(accepted.filter(role="mentor").count(), 20)
        self.assertEqual(accepted.filter(role="mentee").count(), 20)
        self.assertTrue(all(a.answers["matching_topics"] for a in accepted))
        proposal, mentors, mentees = compute_proposal(self.round_2022)
        self.assertEqual(len(proposal.pairs), 20)
        faculty = {a.pk: a.faculty_id for a in (*mentors, *mentees)}
        for pair in proposal.pairs:
            self.assertNotEqual(faculty[pair.mentor_id], faculty[pair.mentee_id])
        # Loading again adds nobody.
        load()
        self.assertEqual(accepted.count(), 40)
