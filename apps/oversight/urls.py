from django.urls import path

from apps.oversight import views

app_name = "oversight"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.dashboard, name="dashboard"),
    path("performance/", views.performance, name="performance"),
    path("bodies/<str:dla_code>/", views.body_detail, name="body"),
    path("overdue/", views.overdue, name="overdue"),
    path("conduct/", views.conduct, name="conduct"),
    path("directives/", views.directive_list, name="directives"),
    path("directives/new/", views.directive_new, name="directive-new"),
    path("directives/<int:directive_id>/", views.directive_detail, name="directive"),
    path("directives/<int:directive_id>/attachment/", views.directive_attachment, name="directive-attachment"),
]
