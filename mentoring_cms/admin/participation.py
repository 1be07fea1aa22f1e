"""HR's views of a running round: the participation overview (attendance,
missed mandatory gatherings, meetings and pace), the attendance register of
one gathering, and an email to a group of participants.

Every view needs ``mentoring_cms.review_application`` (HR reviewers), checked
in ``dispatch``: the participants' names and absences are personal data.
"""

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from ..models import AbsenceNotice, Application, Attendance, SessionPage
from ..models.localized import localize_titles, localized_title
from ..participation import operations
from ..participation.summary import round_participation
from ..participation.tasks import send_group_email
from ..permissions import user_can_review
from ..validators import Form as TextForm
from .summary import default_round, summary_rounds
from .views import MentoringAdminPage

URL_PREFIX = "mentoring_participation"
TEMPLATES = "mentoring_cms/admin/participation"


def url_name(view):
    return f"{URL_PREFIX}_{view}"


def source_rounds():
    """The rounds in the default language, newest first (HR's choice)."""
    return [programme_round.get_source_round() for programme_round in summary_rounds()]


def chosen_round(request):
    """(rounds, the round asked for by ``round`` in the POST or query
    string, by translation key), the rounds with ``admin_title`` in the
    reader's language. Without ``round``: the default round. Raises
    ``Http404`` for a ``round`` that names no round: never another round's
    participants instead."""
    rounds = localize_titles(source_rounds())
    data = request.POST if request.method == "POST" else request.GET
    wanted = data.get("round")
    if not wanted:
        return rounds, default_round(rounds)
    chosen = next((r for r in rounds if str(r.translation_key) == wanted), None)
    if chosen is None:
        raise Http404
    return rounds, chosen


class HRView(MentoringAdminPage):
    """A participation page of the admin, for HR reviewers only."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not user_can_review(request.user):
            return TemplateResponse(
                request, "mentoring_cms/admin/forbidden.html", status=403
            )
        # Objects are looked up only after the permission check, so that an
        # outsider cannot tell which ids exist.
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs):
        """Look up the objects the view is about; raise Http404."""


class ParticipationView(HRView):
    template_name = f"{TEMPLATES}/overview.html"
    page_title = gettext_lazy("Participation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds, chosen = chosen_round(self.request)
        context["rounds"] = rounds
        context["summary"] = round_participation(chosen) if chosen else None
        context["email_url"] = reverse(url_name("email"))
        return context


class AttendanceForm(TextForm):
    """One radio group per participant of the gathering's audience."""

    def __init__(self, *args, participants=(), initial_statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_statuses = initial_statuses or {}
        choices = [("", _("Not recorded")), *Attendance.Status.choices]
        for application in participants:
            self.fields[f"p{application.pk}"] = forms.ChoiceField(
                label=application.full_name,
                choices=choices,
                required=False,
                initial=initial_statuses.get(application.pk, ""),
                widget=forms.RadioSelect,
            )

    def statuses(self):
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class AttendanceView(HRView):
    template_name = f"{TEMPLATES}/attendance.html"

    def load(self, pk, **kwargs):
        session = SessionPage.objects.filter(
            pk=pk, locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if session is None:
            raise Http404
        self.session = session
        self.round = session.get_parent().specific

    def get_page_title(self):
        return _("Attendance register")

    def get_page_subtitle(self):
        return localized_title(self.session)

    def participants(self):
        return list(operations.participants_of(self.session, self.round))

    def get_form(self, data=None):
        participants = self.participants()
        recorded = dict(
            Attendance.objects.filter(session=self.session).values_list(
                "application_id", "status"
            )
        )
        return AttendanceForm(
            data, participants=participants, initial_statuses=recorded
        ), participants

    def get_context_data(self, form=None, participants=None, **kwargs):
        context = super().get_context_data(**kwargs)
        if form is None:
            form, participants = self.get_form()
        notices = {
            notice.application_id: notice
            for notice in AbsenceNotice.objects.filter(session=self.session)
        }
        context.update(
            {
                "session": self.session,
                "form": form,
                "attendance_open": operations.attendance_open(self.session),
                "rows": [
                    (
                        application,
                        form[f"p{application.pk}"],
                        notices.get(application.pk),
                    )
                    for application in participants
                ],
                "overview_url": reverse(url_name("overview"))
                + f"?round={self.round.translation_key}",
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form, participants = self.get_form(request.POST)
        if not form.is_valid():
            messages.error(request, _("The register could not be saved."))
            return self.render_to_response(
                self.get_context_data(form=form, participants=participants),
                status=400,
            )
        try:
            operations.record_attendance(
                self.session, form.statuses(), user=request.user
            )
        except operations.ParticipationRefused as refusal:
            messages.error(request, refusal.messages[0])
            return self.render_to_response(
                self.get_context_data(form=form, participants=participants),
                status=409,
            )
        messages.success(request, _("The attendance register has been saved."))
        return redirect(request.path)


GROUPS = {
    "mentees": gettext_lazy("All accepted mentees"),
    "mentors": gettext_lazy("All accepted mentors"),
    "all": gettext_lazy("All accepted participants"),
}


class GroupEmailForm(TextForm):
    """HR's message to a group, in both languages; each person gets hers."""

    round = forms.UUIDField(widget=forms.HiddenInput)
    group = forms.ChoiceField(label=gettext_lazy("Send to"))
    subject_nb = forms.CharField(
        label=gettext_lazy("Subject (Norwegian)"), max_length=200
    )
    body_nb = forms.CharField(
        label=gettext_lazy("Message (Norwegian)"),
        widget=forms.Textarea,
        max_length=10000,
    )
    subject_en = forms.CharField(
        label=gettext_lazy("Subject (English)"), max_length=200
    )
    body_en = forms.CharField(
        label=gettext_lazy("Message (English)"), widget=forms.Textarea, max_length=10000
    )

    def __init__(self, *args, programme_round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_round = programme_round
        choices = list(GROUPS.items())
        if programme_round is not None:
            sessions = localize_titles(
                SessionPage.objects.child_of(programme_round).order_by("start")
            )
            for session in sessions:
                choices.append(
                    (
                        f"session:{session.pk}",
                        _("The audience of “%(title)s”")
                        % {"title": session.admin_title},
                    )
                )
        self.fields["group"].choices = choices

    def recipients(self):
        """The accepted applications of the chosen group."""
        group = self.cleaned_data["group"]
        if group.startswith("session:"):
            session = SessionPage.objects.child_of(self.programme_round).get(
                pk=int(group.split(":", 1)[1])
            )
            return operations.participants_of(session, self.programme_round)
        roles = {
            "mentees": [Application.Role.MENTEE],
            "mentors": [Application.Role.MENTOR],
            "all": list(Application.Role.values),
        }[group]
        return Application.objects.filter(
            round=self.programme_round,
            role__in=roles,
            status=Application.Status.ACCEPTED,
            anonymised_at__isnull=True,
        )

    def messages(self):
        data = self.cleaned_data
        return {
            "nb": {"subject": data["subject_nb"], "body": data["body_nb"]},
            "en": {"subject": data["subject_en"], "body": data["body_en"]},
        }


class GroupEmailView(HRView):
    template_name = f"{TEMPLATES}/group_email.html"
    page_title = gettext_lazy("Email a group")

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds, chosen = chosen_round(self.request)
        if form is None:
            form = GroupEmailForm(
                programme_round=chosen,
                initial={"round": chosen.translation_key if chosen else None},
            )
        context.update({"form": form, "round": chosen, "rounds": rounds})
        return context

    def post(self, request, *args, **kwargs):
        _rounds, chosen = chosen_round(request)
        form = GroupEmailForm(request.POST, programme_round=chosen)
        if chosen is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        ids = list(form.recipients().values_list("pk", flat=True))
        messages_ = form.messages()
        transaction.on_commit(lambda: send_group_email.enqueue(ids, messages_))
        messages.success(
            request,
            _("The message is being sent to %(count)s participants.")
            % {"count": len(ids)},
        )
        return redirect(
            reverse(url_name("overview")) + f"?round={chosen.translation_key}"
        )


def participation_url(programme_round):
    """The participation overview of ``programme_round`` (or of the default
    round when ``None``)."""
    url = reverse(url_name("overview"))
    return f"{url}?round={programme_round.translation_key}" if programme_round else url


def admin_urls():
    """The participation URLs of the admin (``register_admin_urls``)."""
    return [
        path(
            "mentoring/participation/",
            ParticipationView.as_view(),
            name=url_name("overview"),
        ),
        path(
            "mentoring/participation/gatherings/<int:pk>/",
            AttendanceView.as_view(),
            name=url_name("attendance"),
        ),
        path(
            "mentoring/participation/email/",
            GroupEmailView.as_view(),
            name=url_name("email"),
        ),
    ]


def register_log_actions(actions):
    """The audit log's words for the participation actions (no personal
    data: the reason of an absence stays out)."""
    for action, label, message in (
        (
            operations.LOG_WITHDRAWN,
            gettext_lazy("Withdrawn by the applicant"),
            gettext_lazy("The applicant withdrew the application on the personal page"),
        ),
        (
            operations.LOG_ABSENCE,
            gettext_lazy("Absence notice"),
            gettext_lazy("The participant reported being unable to attend a gathering"),
        ),
        (
            operations.LOG_LINKS_REVOKED,
            gettext_lazy("Personal links revoked"),
            gettext_lazy("Every personal link sent so far was revoked"),
        ),
        (
            operations.LOG_ATTENDANCE,
            gettext_lazy("Attendance register"),
            gettext_lazy("Attendance register saved"),
        ),
    ):
        actions.register_action(action, label, message)


class ParticipationMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_review(request.user)


def menu_item():
    return ParticipationMenuItem(
        gettext_lazy("Participation"),
        reverse(url_name("overview")),
        name="mentoring-participation",
        icon_name="group",
        order=30,
    )
