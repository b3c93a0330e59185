from django.urls import path

from apps.oversight import desk_views, views

app_name = "oversight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("performance/", views.performance, name="performance"),
    path("bodies/<str:dla_code>/", views.body_detail, name="body"),
    path("overdue/", views.overdue, name="overdue"),
    path("conduct/", views.conduct, name="conduct"),
    path("conduct/<int:fact_id>/", desk_views.case_view, name="conduct-case"),
    path("conduct/<int:fact_id>/identity/", desk_views.identity_view, name="conduct-identity"),
    path("conduct/<int:fact_id>/files/<int:attachment_id>/", desk_views.attachment_view, name="conduct-file"),
    path("conduct/<int:fact_id>/<slug:action>/", desk_views.action_view, name="conduct-action"),
    path("directives/", views.directive_list, name="directives"),
    path("directives/new/", views.directive_new, name="directive-new"),
    path("directives/<int:directive_id>/", views.directive_detail, name="directive"),
    path("directives/<int:directive_id>/attachment/", views.directive_attachment, name="directive-attachment"),
]
