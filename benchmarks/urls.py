"""The demo site's URLs plus the floor of the cached-page benchmark: the
cheapest Django view there is."""

from django.http import HttpResponse
from django.urls import path

from demo_site.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench-hello/", hello), *site_urlpatterns]
