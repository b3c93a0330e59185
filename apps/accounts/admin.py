"""The accounts app has no admin pages of its own: public-schema users are managed by the operator
(`createsuperuser`, oversight scopes in apps.oversight's admin); their passwords change through the
admin's own password form, which runs AUTH_PASSWORD_VALIDATORS."""
