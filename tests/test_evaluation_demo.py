"""The demo's evaluation: the default form in Norwegian with its
wagtail-localize translation, the 2022 round's evaluation and enough
anonymous answers for HR's results to show; and a new site's default form
from ``setup_programme``."""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import Translation

from mentoring_cms.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationReceipt,
    ProgramRoundPage,
    RoundEvaluation,
)
from mentoring_cms.outcomes.evaluation_results import round_results


class DemoEvaluationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=io.StringIO())
        cls.nb = Locale.objects.get(language_code="nb")
        cls.en = Locale.objects.get(language_code="en")
        cls.round_2022 = ProgramRoundPage.objects.get(locale=cls.nb, slug="2022-2023")

    def test_the_form_is_translated_with_wagtail_localize(self):
        form = EvaluationForm.objects.get(locale=self.nb)
        english = form.get_translation(self.en)
        self.assertEqual(english.name, "Evaluation of the round")
        self.assertEqual(
            english.schema.question("recommend").label,
            "Would you recommend the programme to a colleague?",
        )
        self.assertTrue(
            Translation.objects.filter(
                source__object_id=form.translation_key, target_locale=self.en
            ).exists()
        )
        self.client.force_login(get_user_model().objects.get(username="admin"))
        with translation.override("en"):
            response = self.client.get(
                reverse(
                    "wagtailsnippets_mentoring_cms_evaluationform:edit",
                    args=[english.pk],
                )
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "wagtail_localize/admin/edit_translation.html",
            [t.name for t in response.templates],
        )

    def test_the_2022_round_has_anonymous_answers_from_both_roles(self):
        evaluation = RoundEvaluation.objects.get(round=self.round_2022)
        self.assertEqual(evaluation.opens_on, self.round_2022.period_end)
        answers = EvaluationAnswer.objects.filter(round=self.round_2022)
        self.assertEqual(answers.count(), EvaluationReceipt.objects.count())
        for role in ("mentee", "mentor"):
            self.assertGreaterEqual(answers.filter(role=role).count(), 5)
        with translation.override("en"):
            results = round_results(self.round_2022)
        self.assertTrue(results.texts_shown)
        overall = next(q for q in results.questions if q.id == "overall")
        self.assertFalse(any(group.suppressed for group in overall.groups))

    def test_loading_again_adds_no_answers(self):
        before = EvaluationAnswer.objects.count(), EvaluationForm.objects.count()
        call_command("load_demo_content", stdout=io.StringIO())
        after = EvaluationAnswer.objects.count(), EvaluationForm.objects.count()
        self.assertEqual(before, after)


def test_a_new_site_gets_the_default_form_and_editors_may_edit_it(db):
    call_command("setup_programme", stdout=io.StringIO())
    forms = EvaluationForm.objects.all()
    assert sorted(forms.values_list("locale__language_code", flat=True)) == [
        "en",
        "nb",
    ]
    assert len({form.translation_key for form in forms}) == 1
    group = Group.objects.get(name="Programme editors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_evaluationform", "add_roundevaluation"} <= codenames
