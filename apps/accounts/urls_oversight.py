from apps.accounts.urls import patterns

app_name = "accounts"
urlpatterns = patterns("oversight")
