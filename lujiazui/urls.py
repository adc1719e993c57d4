from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from accounts import views as accounts_views
from accounts.forms import AdminLoginForm
from lujiazui import views

handler400 = "lujiazui.errors.bad_request"
handler403 = "lujiazui.errors.permission_denied"
handler404 = "lujiazui.errors.page_not_found"
handler500 = "lujiazui.errors.server_error"

admin.site.site_header = _("Lujiazui co-governance portal: administration")
admin.site.site_title = _("Lujiazui co-governance portal")
admin.site.index_title = _("Street office administration")
admin.site.login_form = AdminLoginForm  # asks for the code of two-step login where it is on

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("large-text/", views.large_text, name="large_text"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        accounts_views.LoginView.as_view(),
        name="login",
    ),
    path("accounts/two-step/", accounts_views.two_step, name="two_step"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # A display preference, like the large-text switch: a forged request could only change the
    # language of the visitor's pages, so the form carries no CSRF token, and the public pages
    # that hold it are the same for every visitor (and can be cached whole).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Before governance: its cases/<str:number>/ would take cases/efficiency/ for a case.
    path("", include("reports.urls")),
    path("", include("governance.urls")),
    path("", include("wishes.urls")),
    path("", include("brands.urls")),
    path("", include("forums.urls")),
    path("", include("inbox.urls")),
    path("", include("doorstep.urls")),
]
