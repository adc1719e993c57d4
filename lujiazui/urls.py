from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

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
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("governance.urls")),
    path("", include("forums.urls")),
    path("", include("inbox.urls")),
    path("", include("doorstep.urls")),
]
