"""URL map. Wagtail's page tree serves everything not matched before it."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from campus_portal.api import urls as api_urls
from campus_portal.applications import urls as application_urls
from campus_portal.common import views as common_views
from campus_portal.delivery import urls as delivery_urls
from campus_portal.ratings import urls as rating_urls

# The applicant's application pages: the lifecycle's URLs and those of the apps that follow it,
# in one namespace (``applications:…``) without the lifecycle importing them.
application_pages = (
    application_urls.urlpatterns
    + delivery_urls.application_urlpatterns
    + rating_urls.application_urlpatterns,
    application_urls.app_name,
)

urlpatterns = [
    # One sign-in for the portal, the admin and private pages, so that nobody signs in around
    # MFA and the rate limits; one password reset (allauth's) likewise.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password", query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include("allauth.urls")),
    path("me/messages/", include("campus_portal.notifications.urls")),
    path("me/kiosk/", include("hall_kiosk.portal_urls")),
    path("me/", include("campus_portal.accounts.urls")),
    path("kiosk/", include("hall_kiosk.urls")),
    path("", include(application_pages)),
    path("", include("campus_portal.documents.urls")),
    path("", include("campus_portal.results.urls")),
    path("workbench/", include("campus_portal.workbench.urls")),
    path("province/", include("campus_portal.province.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include(api_urls)),
    path("i18n/<str:language>/", common_views.language_switch, name="language_switch"),
    path("healthz", common_views.healthz, name="healthz"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
