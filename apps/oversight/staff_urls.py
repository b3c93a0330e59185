from django.urls import path

from apps.oversight import staff_views

urlpatterns = [
    path("", staff_views.directives_view, name="staff-directives"),
    path("<int:pk>/", staff_views.directive_view, name="staff-directive"),
    path("<int:pk>/attachment/", staff_views.directive_attachment_view, name="staff-directive-attachment"),
    path("<int:pk>/acknowledge/", staff_views.directive_acknowledge_view, name="staff-directive-acknowledge"),
]
