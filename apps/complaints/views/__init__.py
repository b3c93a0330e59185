"""Staff pages of a body (/staff/ on the body's subdomain), one module per page family.

Thin: parse the request, call one service or selector, render. Every case is fetched through
policies.get_complaint_for_user (a case of another body, or of another department for an
officer, is the same 404 as a missing one).
"""
