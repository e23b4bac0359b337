"""API tokens in the back office: an account issues its own tokens (the token is shown once, then
only its hash is kept), lists them and revokes them; an administrator sees and revokes everyone's."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from admin.api.tokens import TokenError, issue_token, revoke_token, tokens_visible_to
from admin.auth import current_user
from admin.i18n import bilingual, in_page_language
from admin.views.base import SecuredBaseView
from core.records.accounts import ApiToken


class ApiTokenView(SecuredBaseView):
    """Every signed-in account manages its own tokens (an API token never reaches beyond its account)."""

    def is_accessible(self):
        return current_user() is not None

    def _tokens(self):
        return tokens_visible_to(current_user())

    @expose("/")
    def index(self):
        return self.render("hrpark/tokens.html", tokens=list(self._tokens()), issued=None, user=current_user())

    @expose("/issue", methods=["POST"])
    def issue(self):
        # CSRFProtect has checked the form's token before this view runs.
        try:
            token, clear = issue_token(current_user(), request.form.get("name", ""))
        except TokenError as exc:
            flash(in_page_language(str(exc)), "error")
            return redirect(url_for(".index"))
        # Rendered, not redirected: the clear token must not travel through a URL or a session.
        response = self.render("hrpark/tokens.html", tokens=list(self._tokens()), issued=(token, clear), user=current_user())
        return response

    @expose("/<int:token_id>/revoke", methods=["POST"])
    def revoke(self, token_id):
        token = self._tokens().where(ApiToken.id == token_id).first()
        if token is None:
            abort(404)
        revoke_token(token)
        flash(bilingual("Token “%(name)s” was revoked.", name=token.name), "success")
        return redirect(url_for(".index"))
