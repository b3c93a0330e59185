from django.apps import AppConfig


class CategoriesConfig(AppConfig):
    name = "apps.categories"
    label = "categories"
