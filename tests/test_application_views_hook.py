"""The round page serves the application wizard through the Wagtail hook
``register_mentoring_cms_application_views`` (the page does not import the
wizards): the plugin's own views by default, a site's own when it registers
them."""

from django.http import HttpResponse
from wagtail import hooks

from mentoring_cms.models.pages import APPLICATION_VIEWS_HOOK

from .application_helpers import apply_url


def test_the_plugin_registers_the_wizard_for_the_round_page(client, open_round):
    response = client.get(apply_url(open_round, "mentee"), follow=True)
    assert response.status_code == 200
    assert "mentoring_cms/application/step.html" in [t.name for t in response.templates]


def test_a_site_can_register_its_own_application_views(client, open_round):
    calls = []

    def own_apply(request, page, role, step=None):
        calls.append((page.pk, role, step))
        return HttpResponse("own wizard")

    with hooks.register_temporarily(
        APPLICATION_VIEWS_HOOK, lambda: {"apply": own_apply}
    ):
        response = client.get(apply_url(open_round, "mentor", "about"))
    assert response.content == b"own wizard"
    assert calls == [(open_round.pk, "mentor", "about")]


def test_a_hook_that_offers_no_view_leaves_the_plugins_own(client, open_round):
    with hooks.register_temporarily(APPLICATION_VIEWS_HOOK, lambda: {"apply": None}):
        assert (
            client.get(apply_url(open_round, "mentee"), follow=True).status_code == 200
        )
